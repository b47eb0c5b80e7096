using Archal.Testing.Clones.Slack;
using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.Slack;

/// <summary>The official @slack/web-api WebClient (npm, unmodified) drives the Slack clone.</summary>
[Collection(KestrelCollection.Name)]
public class SlackWebApiTests(KestrelHostFixture fixture)
{
    [Fact]
    public async Task Web_api_client_posts_threads_reacts_paginates_and_surfaces_platform_errors()
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("slack").WithSeed("slack", "engineering-team"));
        await using var _ = session;
        var state = session.GetState<SlackState>("slack");
        environment["SLACK_ALICE_TOKEN"] = state.UserToken(state.Users.Items.Single(u => u.Name == "alice").Id);

        var result = await NodeScript.RunAsync("slack/web-api.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Fact]
    public async Task Web_api_client_reports_429_as_a_rate_limited_error()
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("slack"));
        await using var _ = session;
        session.GetState<SlackState>("slack").RateLimits = new SlackRateLimits { Tier2 = 1 };

        var result = await NodeScript.RunAsync("slack/rate-limit.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }
}
