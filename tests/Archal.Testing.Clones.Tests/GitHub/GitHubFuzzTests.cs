using System.Text;

namespace Archal.Testing.Clones.Tests.GitHub;

/// <summary>Every mutation endpoint answers hostile bodies with a GitHub 4xx (or success), never a 500.</summary>
[Collection(CloneHostCollection.Name)]
public class GitHubFuzzTests(CloneHostFixture fixture)
{
    private static readonly (string Method, string Path)[] Mutations =
    [
        ("POST", "user/repos"), ("POST", "orgs/acme/repos"), ("PATCH", "repos/acme/webapp"),
        ("POST", "repos/acme/webapp/issues"), ("PATCH", "repos/acme/webapp/issues/1"), ("PUT", "repos/acme/webapp/issues/1/lock"),
        ("POST", "repos/acme/webapp/issues/1/assignees"), ("DELETE", "repos/acme/webapp/issues/1/assignees"),
        ("POST", "repos/acme/webapp/issues/1/comments"), ("PATCH", "repos/acme/webapp/issues/comments/1"),
        ("POST", "repos/acme/webapp/issues/1/labels"), ("PUT", "repos/acme/webapp/issues/1/labels"),
        ("POST", "repos/acme/webapp/labels"), ("PATCH", "repos/acme/webapp/labels/bug"),
        ("POST", "repos/acme/webapp/milestones"), ("PATCH", "repos/acme/webapp/milestones/1"),
        ("POST", "repos/acme/webapp/git/refs"), ("PATCH", "repos/acme/webapp/git/refs/heads/main"),
        ("PUT", "repos/acme/webapp/contents/x.txt"), ("DELETE", "repos/acme/webapp/contents/README.md"),
        ("POST", "repos/acme/webapp/pulls"), ("PATCH", "repos/acme/webapp/pulls/13"), ("PUT", "repos/acme/webapp/pulls/13/merge"),
        ("POST", "repos/acme/webapp/pulls/13/reviews"), ("POST", "repos/acme/webapp/pulls/13/requested_reviewers"),
        ("DELETE", "repos/acme/webapp/pulls/13/requested_reviewers"),
    ];

    private static readonly string[] Bodies =
    [
        "", "{", "[]", "null", "42", "\"text\"", "{\"a\":1}",
        """{"title":{},"body":[],"labels":{},"assignees":"x","state":1,"milestone":true,"name":[],"head":1,"base":{},"message":[],"content":1,"sha":{},"ref":[],"reviewers":"x","event":1,"merge_method":[],"new_name":2,"color":[],"due_on":5,"lock_reason":[],"state_reason":{},"branch":3,"private":"yes","description":7,"default_branch":8,"topics":"t","force":"no","commit_title":[],"draft":"d"}""",
        """{"title":"t","labels":[null, 1, {}],"assignees":[null],"reviewers":[null],"name":"n","head":"main","base":"main","message":"m","content":"","sha":"","ref":"refs/heads/","event":"COMMENT","body":""}""",
        """{"title":"","name":"","ref":"refs/heads/a..b","sha":"g","content":"====","message":"","milestone":-1,"due_on":"9999-99-99"}""",
        """{"title":"\u0000\uffff","body":"\ud800","name":"..","labels":["\u0000"],"ref":"refs/heads/\u0000"}""",
    ];

    [Fact]
    public async Task Hostile_bodies_never_yield_a_server_error()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").RateLimit = int.MaxValue;
        var failures = new List<string>();

        foreach (var (method, path) in Mutations)
        {
            foreach (var body in Bodies)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {path} {body} -> {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        failures.Should().BeEmpty();
    }

    private static readonly string[] Reads =
    [
        "user", "users/hubot", "rate_limit", "user/repos", "users/octocat/repos", "orgs/acme/repos", "repos/acme/webapp", "issues", "user/issues",
        "repos/acme/webapp/issues", "repos/acme/webapp/issues/1", "repos/acme/webapp/issues/comments", "repos/acme/webapp/issues/1/comments",
        "repos/acme/webapp/issues/1/labels", "repos/acme/webapp/labels", "repos/acme/webapp/milestones", "repos/acme/webapp/branches",
        "repos/acme/webapp/branches/main", "repos/acme/webapp/git/ref/heads/main", "repos/acme/webapp/contents/src", "repos/acme/webapp/commits",
        "repos/acme/webapp/pulls", "repos/acme/webapp/pulls/13", "repos/acme/webapp/pulls/13/files", "repos/acme/webapp/pulls/13/commits",
        "repos/acme/webapp/pulls/13/reviews", "repos/acme/webapp/pulls/13/requested_reviewers", "search/issues", "search/repositories",
    ];

    private static readonly string[] Queries =
    [
        "?per_page=%00&page=99999999999999&since=%ff&sort=%22&direction=x&state=%00&labels=,,,&q=%22%22%22",
        "?per_page=-1&page=-1&sort=comments&direction=asc&milestone=*&assignee=none&creator=&mentioned=%40&q=-label:+NOT+in:",
        "?ref=..%2F..&sha=%00&path=%2F%2F&author=&since=2024-13-45&until=x&q=created:>=x+comments:..+sort:x-y&filter=x&type=x&visibility=x",
    ];

    [Fact]
    public async Task Hostile_query_strings_never_yield_a_server_error()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").RateLimit = int.MaxValue;
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").SearchRateLimit = int.MaxValue;
        var failures = new List<string>();

        foreach (var path in Reads)
        {
            foreach (var query in Queries)
            {
                using var response = await client.GetAsync(path + query);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {path}{query} -> {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        failures.Should().BeEmpty();
    }
}
