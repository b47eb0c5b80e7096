using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>Run ids never repeat across invocations (records are never overwritten), while clone data follows the seed.</summary>
public class RunIdTests
{
    private static async Task<(string RunId, string CustomerId, string Token)> OneInvocationAsync()
    {
        await using var host = new ArchalHost();
        await host.StartAsync();
        await using var session = await host.StartSessionAsync(new SessionRequest("stripe"));
        using var stripe = session.CreateClient("stripe");
        using var response = await stripe.PostAsync("v1/customers", new FormUrlEncodedContent([new("email", "a@example.com")]));
        var customer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (session.RunId, customer["id"]!.GetValue<string>(), host.Token);
    }

    [Fact]
    public async Task Two_invocations_get_different_run_ids_and_tokens_but_the_same_seeded_data()
    {
        var first = await OneInvocationAsync();
        var second = await OneInvocationAsync();

        second.RunId.Should().NotBe(first.RunId, "a run id names a record file; a later invocation must not overwrite it");
        second.Token.Should().NotBe(first.Token, "default tokens come from a cryptographic random source");
        second.CustomerId.Should().Be(first.CustomerId, "ids of generated data derive from the seed, not from the session id");
    }
}
