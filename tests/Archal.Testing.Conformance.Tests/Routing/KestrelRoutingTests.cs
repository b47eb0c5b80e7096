using Archal.Testing.Hosting;
using Octokit;
using Octokit.Internal;

namespace Archal.Testing.Conformance.Tests.Routing;

/// <summary>The same routing when the host listens on Kestrel: requests go over loopback to the host, never to GitHub.</summary>
[Collection(KestrelCollection.Name)]
public class KestrelRoutingTests(KestrelHostFixture fixture)
{
    [Fact]
    public async Task Octokit_routes_to_a_kestrel_hosted_clone_over_loopback()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var github = new GitHubClient(new Connection(new ProductHeaderValue("archal-routing-tests"), new HttpClientAdapter(() => session.CreateRoutingHandler())))
        {
            Credentials = new Credentials(fixture.Host.Options.Clones.Single(c => c.Id == "github").DefaultServiceToken),
        };

        var issue = await github.Issue.Create("acme", "webapp", new NewIssue("Routed over Kestrel"));

        fixture.Host.IsKestrel.Should().BeTrue();
        session.Trace.Entries.Should().ContainSingle().Which.Url.Should().StartWith(fixture.Host.BaseAddress.ToString());
        issue.Title.Should().Be("Routed over Kestrel");
    }
}
