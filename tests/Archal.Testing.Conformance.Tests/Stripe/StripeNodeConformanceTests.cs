using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.Stripe;

/// <summary>
/// The official stripe-node SDK (npm, unmodified) against the Stripe clone. Each script in node/stripe/ asserts
/// with node:assert and exits non-zero on the first failure. See node/stripe/client.mjs for how the SDK is aimed
/// at the clone (host/port/protocol plus a fetch-based httpClient that adds the base path and route header).
/// </summary>
[Collection(KestrelCollection.Name)]
public class StripeNodeConformanceTests(KestrelHostFixture fixture)
{
    [Theory]
    [InlineData("checkout")]
    [InlineData("declines")]
    [InlineData("refunds")]
    [InlineData("subscriptions")]
    [InlineData("paging")]
    [InlineData("idempotency")]
    [InlineData("test-clocks")]
    [InlineData("webhooks")]
    public async Task Stripe_node_script_passes_against_the_clone(string script)
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("stripe"));
        await using var _ = session;

        var result = await NodeScript.RunAsync($"stripe/{script}.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }
}
