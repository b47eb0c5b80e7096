using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.Foundation;

[Collection(KestrelCollection.Name)]
public class OctokitSmokeTests(KestrelHostFixture fixture)
{
    [Fact]
    public async Task Octokit_reaches_the_github_clone_through_the_agent_environment()
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("github"));
        await using var _ = session;

        var result = await NodeScript.RunAsync("smoke.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }
}
