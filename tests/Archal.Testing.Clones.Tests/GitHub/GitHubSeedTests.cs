using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Clones.GitHub;

namespace Archal.Testing.Clones.Tests.GitHub;

public class GitHubSeedTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static GitHubState Create(string seed, JsonObject? data = null, int randomSeed = 7) =>
        (GitHubState)new GitHubClone().CreateState(new CloneSeedContext("ses-test", seed, randomSeed, new FixedTime(Now), data));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("small-project")]
    [InlineData("stale-issues")]
    [InlineData("large-backlog")]
    public void Every_seed_has_the_default_user_octocat(string seed)
    {
        var state = Create(seed);

        state.DefaultLogin.Should().Be("octocat");
        state.Users.Find("octocat").Should().NotBeNull();
    }

    [Fact]
    public void Snapshot_uses_the_documented_table_names()
    {
        var snapshot = Create("small-project").Snapshot();

        snapshot.Select(p => p.Key).Should().Equal("user", "repo", "label", "milestone", "issue", "pull_request", "comment", "review", "branch", "commit", "file", "hook");
        var issue = snapshot["issue"]!.AsArray()[0]!.AsObject();
        issue.Select(p => p.Key).Should().Contain(["number", "repo", "title", "body", "state", "state_reason", "labels", "assignees", "user", "comments",
            "is_pull_request", "created_at", "updated_at", "closed_at"]);
        issue["repo"]!.GetValue<string>().Should().Be("acme/webapp");
        snapshot["comment"]!.AsArray()[0]!.AsObject().Select(p => p.Key).Should().Contain(["issue_number", "repo", "body", "user", "created_at"]);
    }

    [Fact]
    public void Seeds_are_deterministic_for_the_same_random_seed()
    {
        Create("large-backlog", randomSeed: 42).Snapshot().ToJsonString()
            .Should().Be(Create("large-backlog", randomSeed: 42).Snapshot().ToJsonString());
        Create("large-backlog", randomSeed: 42).Snapshot().ToJsonString()
            .Should().NotBe(Create("large-backlog", randomSeed: 43).Snapshot().ToJsonString());
    }

    [Fact]
    public void Large_backlog_has_at_least_500_issues()
    {
        Create("large-backlog").Issues.Items.Count(i => !i.IsPullRequest).Should().BeGreaterThanOrEqualTo(500);
    }

    [Fact]
    public void Stale_issues_has_old_open_issues_some_labelled_keep_open()
    {
        var state = Create("stale-issues");
        var stale = state.Issues.Items.Where(i => i.State == "open" && i.UpdatedAt < Now.AddDays(-60)).ToList();

        stale.Should().HaveCountGreaterThanOrEqualTo(30);
        stale.Should().Contain(i => i.Labels.Contains("keep-open"));
        stale.Should().Contain(i => !i.Labels.Contains("keep-open"));
        state.Issues.Items.Should().Contain(i => i.UpdatedAt > Now.AddDays(-30), "recently active issues must not be stale");
    }

    [Fact]
    public void Small_project_has_an_open_pull_request_sharing_the_issue_sequence()
    {
        var state = Create("small-project");
        var pr = state.Issues.Items.Single(i => i.IsPullRequest);

        pr.Number.Should().Be(state.Issues.Items.Where(i => i.Repo == pr.Repo).Max(i => i.Number));
        state.PullRequests.Find($"{pr.Repo}#{pr.Number}")!.Head.Should().Be("feature/login-form");
    }

    [Fact]
    public void Unknown_seed_name_throws_a_clear_CloneSeedException()
    {
        var act = () => Create("nope");

        act.Should().Throw<CloneSeedException>().WithMessage("GitHub has no seed named 'nope'. Known seeds: empty, small-project, stale-issues, large-backlog.");
    }

    [Fact]
    public void Seed_data_declares_users_repos_labels_and_issues_on_top_of_the_named_seed()
    {
        var data = JsonNode.Parse("""
            {
              "users": [{ "login": "alice", "name": "Alice", "token": "ghp_alice" }],
              "repos": [{ "owner": "alice", "name": "app", "private": true, "files": { "README.md": "# app" } }],
              "labels": [{ "repo": "alice/app", "name": "keep-open", "color": "00ff00" }],
              "issues": [{ "repo": "alice/app", "title": "Old bug", "labels": ["bug", "keep-open"], "assignees": ["alice"],
                           "author": "octocat", "created_days_ago": 200, "updated_days_ago": 120,
                           "comments": [{ "author": "alice", "body": "Still happening" }] },
                         { "repo": "alice/app", "title": "Done", "state": "closed" }]
            }
            """)!.AsObject();

        var state = Create("empty", data);

        state.UserForToken("ghp_alice")!.Login.Should().Be("alice");
        state.Repos.Find("alice/app")!.Private.Should().BeTrue();
        state.Files.Find("alice/app:main:README.md")!.Content.Should().Be("# app");
        state.FindLabel(state.Repos.Find("alice/app")!, "keep-open")!.Color.Should().Be("00ff00");
        var issue = state.Issues.Find("alice/app#1")!;
        issue.Labels.Should().Equal("bug", "keep-open");
        issue.Assignees.Should().Equal("alice");
        issue.User.Should().Be("octocat");
        issue.CreatedAt.Should().Be(Now.AddDays(-200));
        issue.UpdatedAt.Should().Be(Now.AddDays(-120));
        issue.Comments.Should().Be(1);
        state.Comments.Items.Single().User.Should().Be("alice");
        var done = state.Issues.Find("alice/app#2")!;
        done.State.Should().Be("closed");
        done.StateReason.Should().Be("completed");
        done.User.Should().Be("octocat", "the default user authors issues that name no author");
    }

    [Theory]
    [InlineData("""{ "issues": [{ "repo": "ghost/none", "title": "x" }] }""", "*issues[0] refers to repository 'ghost/none', which does not exist*")]
    [InlineData("""{ "issues": [{ "repo": "octocat/x", "title": "x" }], "repos": [{ "owner": "octocat", "name": "y" }] }""", "*repository 'octocat/x'*")]
    [InlineData("""{ "repos": [{ "owner": "nobody", "name": "x" }] }""", "*repos[0].owner refers to user 'nobody', which does not exist*")]
    [InlineData("""{ "repos": [{ "owner": "octocat", "name": "x" }], "issues": [{ "repo": "octocat/x", "title": "t", "assignees": ["ghost"] }] }""", "*issues[0].assignees refers to user 'ghost'*")]
    [InlineData("""{ "issues": [{ "repo": "octocat/x" }], "repos": [{ "owner": "octocat", "name": "x" }] }""", "*issues[0] has no 'title'*")]
    [InlineData("""{ "pulls": [] }""", "*unknown section 'pulls'*")]
    public void Seed_data_with_a_missing_reference_throws_CloneSeedException(string json, string message)
    {
        var act = () => Create("empty", JsonNode.Parse(json)!.AsObject());

        act.Should().Throw<CloneSeedException>().WithMessage(message);
    }
}
