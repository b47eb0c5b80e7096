using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.Faults;

/// <summary>Injected faults as the official Node SDKs see them (@slack/web-api, stripe-node; npm, unmodified), over Kestrel.</summary>
[Collection(KestrelCollection.Name)]
public class InjectedFaultNodeTests(KestrelHostFixture fixture)
{
    [Fact]
    public async Task Slack_web_api_sees_injected_ratelimited_and_fatal_error()
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("slack").WithSeed("slack", "engineering-team")
            .WithFault(new FaultRule("slack", "chat.postMessage", FaultTrigger.FirstCalls(1), FaultEffect.Status(429)))
            .WithFault(new FaultRule("slack", "conversations.list", null, FaultEffect.Error("fatal_error"))));
        await using var _ = session;

        var result = await NodeScript.RunAsync("faults/slack-faults.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Fact]
    public async Task Stripe_node_sees_injected_rate_limit_api_error_and_decline()
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("stripe")
            .WithFault(new FaultRule("stripe", "customers/create", FaultTrigger.FirstCalls(1), FaultEffect.Status(429)))
            .WithFault(new FaultRule("stripe", "customers/list", null, FaultEffect.Status(500)))
            .WithFault(new FaultRule("stripe", "payment_intents/confirm", null, FaultEffect.Error("insufficient_funds"))));
        await using var _ = session;

        var result = await NodeScript.RunAsync("faults/stripe-faults.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }
}
