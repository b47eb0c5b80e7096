using System.Net;
using System.Text;
using Archal.Testing.Hosting;
using Octokit;
using Octokit.Internal;

namespace Archal.Testing.Conformance.Tests.GitHub;

/// <summary>
/// Octokit.net 14.0.0 (NuGet, unmodified) against the GitHub clone, read through its typed models. The SDK gets the
/// clone's api base URL and an HttpClientAdapter over <see cref="RouteHeaderHandler"/>; nothing else changes.
/// Runs twice: in-process (TestServer handler) and over Kestrel (a socket).
/// </summary>
public abstract class OctokitNetTests
{
    private const string Owner = "acme";
    private const string Name = "webapp";

    protected abstract ArchalHost Host { get; }

    private async Task<(ArchalSession Session, GitHubClient Client)> StartAsync(string seed = "small-project")
    {
        var session = await Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", seed));
        return (session, Client(session, "ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt"));
    }

    private GitHubClient Client(ArchalSession session, string? token)
    {
        var credentials = token is null ? Credentials.Anonymous : new Credentials(token);
        var connection = new Connection(new ProductHeaderValue("archal-conformance"), new Uri(session.ApiBaseUrls["github"] + "/"),
            new InMemoryCredentialStore(credentials), new HttpClientAdapter(() => new RouteHeaderHandler(Host, session)), new SimpleJsonSerializer());
        return new GitHubClient(connection);
    }

    [Fact]
    public async Task Repository_get_and_the_authenticated_user()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        var repository = await github.Repository.Get(Owner, Name);
        var user = await github.User.Current();

        repository.FullName.Should().Be("acme/webapp");
        repository.Owner.Login.Should().Be("acme");
        repository.DefaultBranch.Should().Be("main");
        user.Login.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Issues_page_with_ApiOptions_and_create_update_round_trips()
    {
        var (session, github) = await StartAsync("large-backlog");
        await using var _ = session;

        var twoPages = await github.Issue.GetAllForRepository(Owner, Name, new RepositoryIssueRequest { State = ItemStateFilter.All },
            new ApiOptions { PageSize = 30, PageCount = 2, StartPage = 1 });
        var created = await github.Issue.Create(Owner, Name, new NewIssue("Crash on save") { Body = "Steps…" });
        var closed = await github.Issue.Update(Owner, Name, created.Number, new IssueUpdate { State = ItemState.Closed });
        var read = await github.Issue.Get(Owner, Name, created.Number);

        twoPages.Should().HaveCount(60);
        twoPages.Select(i => i.Number).Should().OnlyHaveUniqueItems();
        created.Number.Should().BeGreaterThan(0);
        created.State.Value.Should().Be(ItemState.Open);
        closed.State.Value.Should().Be(ItemState.Closed);
        read.Title.Should().Be("Crash on save");
        read.Body.Should().Be("Steps…");
    }

    [Fact]
    public async Task Labels_and_comments_on_an_issue()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;
        var issue = await github.Issue.Create(Owner, Name, new NewIssue("Label me"));

        var label = await github.Issue.Labels.Create(Owner, Name, new NewLabel("needs-triage", "ededed") { Description = "Triage" });
        await github.Issue.Labels.AddToIssue(Owner, Name, issue.Number, ["needs-triage", "bug"]);
        var onIssue = await github.Issue.Labels.GetAllForIssue(Owner, Name, issue.Number);
        var comment = await github.Issue.Comment.Create(Owner, Name, issue.Number, "Looking into it");
        var comments = await github.Issue.Comment.GetAllForIssue(Owner, Name, issue.Number);
        var duplicate = await FluentActions.Awaiting(() => github.Issue.Labels.Create(Owner, Name, new NewLabel("needs-triage", "ededed")))
            .Should().ThrowAsync<ApiValidationException>();

        label.Color.Should().Be("ededed");
        onIssue.Select(l => l.Name).Should().BeEquivalentTo("needs-triage", "bug");
        comment.Body.Should().Be("Looking into it");
        comments.Select(c => c.Id).Should().Equal(comment.Id);
        duplicate.Which.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Contents_branches_pull_request_and_merge()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        var main = await github.Repository.Branch.Get(Owner, Name, "main");
        await github.Git.Reference.Create(Owner, Name, new NewReference("refs/heads/docs-fix", main.Commit.Sha));
        var readme = (await github.Repository.Content.GetAllContentsByRef(Owner, Name, "README.md", "docs-fix")).Single();
        var updated = await github.Repository.Content.UpdateFile(Owner, Name, "README.md",
            new UpdateFileRequest("Clarify README", readme.Content + "\nMore.\n", readme.Sha, "docs-fix"));
        var branches = await github.Repository.Branch.GetAll(Owner, Name);
        var pull = await github.PullRequest.Create(Owner, Name, new NewPullRequest("Clarify README", "docs-fix", "main"));
        var merge = await github.PullRequest.Merge(Owner, Name, pull.Number, new MergePullRequest { CommitTitle = "Merge docs" });
        var merged = await github.PullRequest.Get(Owner, Name, pull.Number);

        readme.Name.Should().Be("README.md");
        readme.Content.Should().Contain("webapp");
        updated.Commit.Message.Should().Be("Clarify README");
        branches.Select(b => b.Name).Should().Contain(["main", "docs-fix"]);
        pull.State.Value.Should().Be(ItemState.Open);
        pull.Head.Ref.Should().Be("docs-fix");
        merge.Merged.Should().BeTrue();
        merged.Merged.Should().BeTrue();
    }

    [Fact]
    public async Task Repository_id_overloads_use_the_repositories_routes()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;
        var byName = await github.Repository.Get(Owner, Name);
        var created = await github.Issue.Create(Owner, Name, new NewIssue("By id"));

        var byId = await github.Repository.Get(byName.Id);
        var issue = await github.Issue.Get(byName.Id, created.Number);
        var comment = await github.Issue.Comment.Create(byName.Id, created.Number, "via id");
        var missing = await FluentActions.Awaiting(() => github.Repository.Get(987654321)).Should().ThrowAsync<NotFoundException>();

        byId.FullName.Should().Be("acme/webapp");
        issue.Title.Should().Be("By id");
        comment.Body.Should().Be("via id");
        missing.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task After_a_rename_the_old_name_redirects_and_Octokit_follows()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        var renamed = await github.Repository.Edit(Owner, Name, new RepositoryUpdate { Name = "storefront" });
        var viaOldName = await github.Repository.Get(Owner, Name);
        var created = await github.Issue.Create(Owner, Name, new NewIssue("Filed at the old name"));
        var read = await github.Issue.Get(Owner, "storefront", created.Number);

        renamed.FullName.Should().Be("acme/storefront");
        viaOldName.FullName.Should().Be("acme/storefront");
        read.Title.Should().Be("Filed at the old name");
    }

    [Fact]
    public async Task A_new_repository_has_GitHubs_nine_default_labels()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        var created = await github.Repository.Create(new NewRepository("fresh") { AutoInit = true });
        var labels = await github.Issue.Labels.GetAllForRepository(created.Owner.Login, "fresh");

        labels.Select(l => l.Name).Should().Equal("bug", "documentation", "duplicate", "enhancement", "good first issue", "help wanted",
            "invalid", "question", "wontfix");
        labels.Should().OnlyContain(l => l.Default);
        labels[0].Color.Should().Be("d73a4a");
    }

    [Fact]
    public async Task Raw_content_returns_the_files_bytes()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        var raw = await github.Repository.Content.GetRawContent(Owner, Name, "README.md");
        var json = (await github.Repository.Content.GetAllContents(Owner, Name, "README.md")).Single();

        raw.Should().NotBeNull();
        Encoding.UTF8.GetString(raw).Should().Be(json.Content);
    }

    [Fact]
    public async Task Search_issues_returns_typed_results()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;
        await github.Issue.Create(Owner, Name, new NewIssue("Zebra stripes render wrong"));

        var result = await github.Search.SearchIssues(new SearchIssuesRequest("zebra") { Repos = new RepositoryCollection { "acme/webapp" } });

        result.TotalCount.Should().Be(1);
        result.Items.Single().Title.Should().Be("Zebra stripes render wrong");
    }

    [Fact]
    public async Task Errors_surface_as_Octokit_exceptions()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        var notFound = await FluentActions.Awaiting(() => github.Issue.Get(Owner, Name, 999999)).Should().ThrowAsync<NotFoundException>();
        var anonymous = await FluentActions.Awaiting(() => Client(session, null).User.Current()).Should().ThrowAsync<AuthorizationException>();
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").RevokedTokens.Add("ghp_revoked");
        var revoked = await FluentActions.Awaiting(() => Client(session, "ghp_revoked").User.Current()).Should().ThrowAsync<AuthorizationException>();

        notFound.Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        anonymous.Which.Message.Should().Be("Requires authentication");
        revoked.Which.Message.Should().Be("Bad credentials");
    }

    [Fact]
    public async Task Rate_limit_info_from_headers_and_the_endpoint()
    {
        var (session, github) = await StartAsync();
        await using var _ = session;

        await github.Repository.Get(Owner, Name);
        var fromHeaders = github.GetLastApiInfo().RateLimit;
        var limits = await github.RateLimit.GetRateLimits();

        fromHeaders.Limit.Should().Be(5000);
        fromHeaders.Remaining.Should().BeLessThan(5000);
        limits.Resources.Core.Limit.Should().Be(5000);
    }
}

[Collection(InProcessCollection.Name)]
public sealed class OctokitNetInProcessTests(InProcessHostFixture fixture) : OctokitNetTests
{
    protected override ArchalHost Host => fixture.Host;
}

[Collection(KestrelCollection.Name)]
public sealed class OctokitNetKestrelTests(KestrelHostFixture fixture) : OctokitNetTests
{
    protected override ArchalHost Host => fixture.Host;
}
