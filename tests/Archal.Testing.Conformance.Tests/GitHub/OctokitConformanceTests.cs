using Archal.Testing.Clones.GitHub;
using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.GitHub;

/// <summary>The official Octokit.js client (@octokit/rest, unmodified) drives the GitHub clone through agent workflows.</summary>
[Collection(KestrelCollection.Name)]
public class OctokitConformanceTests(KestrelHostFixture fixture)
{
    [Theory]
    [InlineData("github/repo-setup.mjs", "small-project")]
    [InlineData("github/issue-triage.mjs", "small-project")]
    [InlineData("github/pagination.mjs", "large-backlog")]
    [InlineData("github/pull-request-flow.mjs", "small-project")]
    [InlineData("github/search.mjs", "small-project")]
    [InlineData("github/errors.mjs", "small-project")]
    [InlineData("github/stale-triage.mjs", "stale-issues")]
    public async Task Octokit_workflow_succeeds_against_the_clone(string script, string seed)
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("github").WithSeed("github", seed));
        await using var _ = session;
        var state = session.GetState<GitHubState>("github");
        // Extra identities the scripts use: a reviewer, an outsider, a revoked and a rate-limited token.
        state.TokenLogins["ghp_hubot"] = "hubot";
        state.TokenLogins["ghp_mona_dev"] = "mona-dev";
        state.TokenLogins["ghp_limited"] = "monalisa";
        state.UserRateLimits["monalisa"] = 2;
        state.RevokedTokens.Add("ghp_revoked");

        var result = await NodeScript.RunAsync(script, environment);

        result.ExitCode.Should().Be(0, result.ToString());
    }
}
