using Archal.Testing.Clones.GitHub;
using Archal.Testing.Hosting;
using Archal.Testing.Runtime;
using Octokit;
using Octokit.Internal;

namespace Archal.Testing.Conformance.Tests.Routing;

/// <summary>Octokit.net 14 with its default base URL (https://api.github.com) against the GitHub clone, routed in-process.</summary>
public class OctokitNetRoutingTests(InMemoryHostFixture fixture) : IClassFixture<InMemoryHostFixture>
{
    private static GitHubClient Octokit(ArchalSession session, string token) =>
        new(new Connection(new ProductHeaderValue("archal-routing-tests"), new HttpClientAdapter(() => session.CreateRoutingHandler())))
        {
            Credentials = new Credentials(token),
        };

    [Fact]
    public async Task Octokit_with_its_default_base_url_creates_and_reads_an_issue_in_the_clone()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var github = Octokit(session, fixture.ServiceToken("github"));

        var me = await github.User.Current();
        var created = await github.Issue.Create("acme", "webapp", new NewIssue("Routed through Octokit.net") { Body = "No base URL was changed." });
        var read = await github.Issue.Get("acme", "webapp", created.Number);

        github.Connection.BaseAddress.Should().Be(new Uri("https://api.github.com/"));
        me.Login.Should().Be("octocat");
        read.Title.Should().Be("Routed through Octokit.net");
        read.Body.Should().Be("No base URL was changed.");
        session.Trace.Entries.Select(e => e.Operation).Should().Equal("users/get-authenticated", "issues/create", "issues/get");
        session.GetState<GitHubState>("github").Issues.Find($"acme/webapp#{created.Number}")!.Title.Should().Be("Routed through Octokit.net");
    }

    [Fact]
    public async Task Octokit_pages_through_the_clones_link_headers()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var github = Octokit(session, fixture.ServiceToken("github"));
        var expected = session.GetState<GitHubState>("github").Issues.Items.Count(i => i.Repo == "acme/webapp" && i.State == "open");

        var issues = await github.Issue.GetAllForRepository("acme", "webapp", new ApiOptions { PageSize = 2 });

        issues.Should().HaveCount(expected);
        session.Trace.Entries.Should().HaveCountGreaterThan(1).And.OnlyContain(e => e.Operation == "issues/list-for-repo");
    }

    [Fact]
    public async Task Octokit_errors_come_back_as_octokit_exceptions()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var github = Octokit(session, fixture.ServiceToken("github"));

        var act = () => github.Issue.Get("acme", "no-such-repo", 1);

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Octokit_upload_host_is_refused_before_any_network_access()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        using var client = new HttpClient(session.CreateRoutingHandler());

        var act = () => client.GetAsync(new Uri("https://uploads.github.com/repos/acme/webapp/releases/1/assets"));

        (await act.Should().ThrowAsync<ArchalRoutingException>()).Which.Message.Should().Contain("uploads.github.com");
    }
}
