using System.Text;

namespace Archal.Testing.Clones.Tests.GitHub;

/// <summary>Every supported operation answers with bodies that validate against GitHub's official OpenAPI response schemas.</summary>
[Collection(CloneHostCollection.Name)]
public class GitHubSchemaTests(CloneHostFixture fixture)
{
    private static readonly string[] AllOperations =
    [
        "GET /user", "GET /users/{username}", "GET /rate_limit",
        "POST /user/repos", "POST /orgs/{org}/repos", "GET /user/repos", "GET /users/{username}/repos", "GET /orgs/{org}/repos",
        "GET /repos/{owner}/{repo}", "PATCH /repos/{owner}/{repo}", "DELETE /repos/{owner}/{repo}",
        "GET /issues", "GET /user/issues", "GET /repos/{owner}/{repo}/issues", "POST /repos/{owner}/{repo}/issues",
        "GET /repos/{owner}/{repo}/issues/{issue_number}", "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
        "PUT /repos/{owner}/{repo}/issues/{issue_number}/lock", "DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock",
        "GET /repos/{owner}/{repo}/issues/comments", "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
        "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments", "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
        "GET /repos/{owner}/{repo}/issues/{issue_number}/labels", "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
        "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels", "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels",
        "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
        "GET /repos/{owner}/{repo}/labels", "POST /repos/{owner}/{repo}/labels", "GET /repos/{owner}/{repo}/labels/{name}",
        "PATCH /repos/{owner}/{repo}/labels/{name}", "DELETE /repos/{owner}/{repo}/labels/{name}",
        "GET /repos/{owner}/{repo}/milestones", "POST /repos/{owner}/{repo}/milestones", "GET /repos/{owner}/{repo}/milestones/{milestone_number}",
        "PATCH /repos/{owner}/{repo}/milestones/{milestone_number}", "DELETE /repos/{owner}/{repo}/milestones/{milestone_number}",
        "GET /repos/{owner}/{repo}/branches", "GET /repos/{owner}/{repo}/branches/{branch}",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        "GET /repos/{owner}/{repo}/git/ref/{ref}", "POST /repos/{owner}/{repo}/git/refs",
        "PATCH /repos/{owner}/{repo}/git/refs/{ref}", "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
        "GET /repos/{owner}/{repo}/contents/{path}", "PUT /repos/{owner}/{repo}/contents/{path}", "DELETE /repos/{owner}/{repo}/contents/{path}",
        "GET /repos/{owner}/{repo}/commits", "GET /repos/{owner}/{repo}/commits/{ref}",
        "GET /repos/{owner}/{repo}/pulls", "POST /repos/{owner}/{repo}/pulls", "GET /repos/{owner}/{repo}/pulls/{pull_number}",
        "PATCH /repos/{owner}/{repo}/pulls/{pull_number}", "GET /repos/{owner}/{repo}/pulls/{pull_number}/merge",
        "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
        "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
        "GET /search/issues", "GET /search/repositories",
    ];

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Every_supported_operation_returns_bodies_matching_the_official_schema()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        var api = new GitHubApi(client);
        const string R = "/repos/{owner}/{repo}";

        // Users and rate limits.
        await api.Get("user", "/user");
        await api.Get("users/hubot", "/users/{username}");
        await api.Get("users/octocat", "/users/{username}");
        await api.Get("rate_limit", "/rate_limit");

        // Repositories.
        await api.Post("user/repos", new { name = "tool", description = "A tool", auto_init = true }, "/user/repos");
        await api.Post("orgs/acme/repos", new { name = "site", @private = true }, "/orgs/{org}/repos");
        await api.Get("user/repos", "/user/repos");
        await api.Get("users/octocat/repos", "/users/{username}/repos");
        await api.Get("orgs/acme/repos", "/orgs/{org}/repos");
        await api.Get("repos/acme/webapp", R);
        await api.Patch("repos/octocat/tool", new { description = "A better tool", has_wiki = false }, R);
        await api.Delete("repos/acme/site", null, R);

        // Issues.
        var created = await api.Post("repos/acme/webapp/issues", new { title = "Schema check", body = "Hi @hubot", labels = new[] { "bug" }, assignees = new[] { "octocat" }, milestone = 1 }, $"{R}/issues");
        var number = created.Json!["number"]!.GetValue<int>();
        await api.Get("repos/acme/webapp/issues?state=all&per_page=5", $"{R}/issues");
        await api.Get($"repos/acme/webapp/issues/{number}", $"{R}/issues/{{issue_number}}");
        await api.Patch($"repos/acme/webapp/issues/{number}", new { state = "closed", state_reason = "not_planned" }, $"{R}/issues/{{issue_number}}");
        await api.Put($"repos/acme/webapp/issues/{number}/lock", new { lock_reason = "resolved" }, $"{R}/issues/{{issue_number}}/lock", 204);
        await api.Delete($"repos/acme/webapp/issues/{number}/lock", null, $"{R}/issues/{{issue_number}}/lock");
        await api.Post($"repos/acme/webapp/issues/{number}/assignees", new { assignees = new[] { "hubot", "nobody" } }, $"{R}/issues/{{issue_number}}/assignees");
        await api.Delete($"repos/acme/webapp/issues/{number}/assignees", new { assignees = new[] { "octocat" } }, $"{R}/issues/{{issue_number}}/assignees", 200);
        await api.Get("issues?filter=all&state=all", "/issues");
        await api.Get("user/issues", "/user/issues");

        // Comments.
        var comment = await api.Post($"repos/acme/webapp/issues/{number}/comments", new { body = "First!" }, $"{R}/issues/{{issue_number}}/comments");
        var commentId = comment.Json!["id"]!.GetValue<long>();
        await api.Get($"repos/acme/webapp/issues/{number}/comments", $"{R}/issues/{{issue_number}}/comments");
        await api.Get("repos/acme/webapp/issues/comments", $"{R}/issues/comments");
        await api.Get($"repos/acme/webapp/issues/comments/{commentId}", $"{R}/issues/comments/{{comment_id}}");
        await api.Patch($"repos/acme/webapp/issues/comments/{commentId}", new { body = "Edited" }, $"{R}/issues/comments/{{comment_id}}");
        await api.Delete($"repos/acme/webapp/issues/comments/{commentId}", null, $"{R}/issues/comments/{{comment_id}}");

        // Labels.
        await api.Post("repos/acme/webapp/labels", new { name = "triage", color = "ff0000", description = "Needs triage" }, $"{R}/labels");
        await api.Get("repos/acme/webapp/labels", $"{R}/labels");
        await api.Get("repos/acme/webapp/labels/triage", $"{R}/labels/{{name}}");
        await api.Patch("repos/acme/webapp/labels/triage", new { new_name = "needs-triage", color = "00ff00" }, $"{R}/labels/{{name}}");
        await api.Post($"repos/acme/webapp/issues/{number}/labels", new { labels = new[] { "needs-triage" } }, $"{R}/issues/{{issue_number}}/labels", 200);
        await api.Get($"repos/acme/webapp/issues/{number}/labels", $"{R}/issues/{{issue_number}}/labels");
        await api.Put($"repos/acme/webapp/issues/{number}/labels", new { labels = new[] { "bug", "needs-triage" } }, $"{R}/issues/{{issue_number}}/labels");
        await api.Delete($"repos/acme/webapp/issues/{number}/labels/bug", null, $"{R}/issues/{{issue_number}}/labels/{{name}}", 200);
        await api.Delete($"repos/acme/webapp/issues/{number}/labels", null, $"{R}/issues/{{issue_number}}/labels");
        await api.Delete("repos/acme/webapp/labels/needs-triage", null, $"{R}/labels/{{name}}");

        // Milestones.
        var milestone = await api.Post("repos/acme/webapp/milestones", new { title = "v2.0", due_on = "2030-01-01T00:00:00Z" }, $"{R}/milestones");
        var milestoneNumber = milestone.Json!["number"]!.GetValue<int>();
        await api.Get("repos/acme/webapp/milestones", $"{R}/milestones");
        await api.Get($"repos/acme/webapp/milestones/{milestoneNumber}", $"{R}/milestones/{{milestone_number}}");
        await api.Patch($"repos/acme/webapp/milestones/{milestoneNumber}", new { state = "closed" }, $"{R}/milestones/{{milestone_number}}");
        await api.Delete($"repos/acme/webapp/milestones/{milestoneNumber}", null, $"{R}/milestones/{{milestone_number}}");

        // Branches, refs, contents, commits.
        await api.Get("repos/acme/webapp/branches", $"{R}/branches");
        await api.Get("repos/acme/webapp/branches/feature/login-form", $"{R}/branches/{{branch}}");
        var main = await api.Get("repos/acme/webapp/git/ref/heads/main", $"{R}/git/ref/{{ref}}");
        var mainSha = main.Json!["object"]!["sha"]!.GetValue<string>();
        await api.Post("repos/acme/webapp/git/refs", new { @ref = "refs/heads/docs", sha = mainSha }, $"{R}/git/refs");
        await api.Get("repos/acme/webapp/contents/README.md?ref=docs", $"{R}/contents/{{path}}");
        await api.Get("repos/acme/webapp/contents/src", $"{R}/contents/{{path}}");
        var put = await api.Put("repos/acme/webapp/contents/docs/guide.md", new { message = "Add guide", content = B64("# Guide\n"), branch = "docs" }, $"{R}/contents/{{path}}", 201);
        var fileSha = put.Json!["content"]!["sha"]!.GetValue<string>();
        var update = await api.Put("repos/acme/webapp/contents/docs/guide.md", new { message = "Edit guide", content = B64("# Guide v2\n"), sha = fileSha, branch = "docs" }, $"{R}/contents/{{path}}");
        await api.Put("repos/acme/webapp/contents/docs/tmp.md", new { message = "tmp", content = B64("tmp"), branch = "docs" }, null, 201);
        var tmp = await api.Get("repos/acme/webapp/contents/docs/tmp.md?ref=docs");
        await api.Delete("repos/acme/webapp/contents/docs/tmp.md", new { message = "rm tmp", sha = tmp.Json!["sha"]!.GetValue<string>(), branch = "docs" }, $"{R}/contents/{{path}}", 200);
        await api.Get("repos/acme/webapp/commits?sha=docs", $"{R}/commits");
        await api.Get($"repos/acme/webapp/commits/{update.Json!["commit"]!["sha"]}", $"{R}/commits/{{ref}}");
        await api.Post("repos/acme/webapp/git/refs", new { @ref = "refs/heads/scratch", sha = mainSha }, null);
        await api.Patch("repos/acme/webapp/git/refs/heads/scratch", new { sha = update.Json!["commit"]!["sha"]!.GetValue<string>(), force = true }, $"{R}/git/refs/{{ref}}");
        await api.Delete("repos/acme/webapp/git/refs/heads/scratch", null, $"{R}/git/refs/{{ref}}");

        // Pull requests.
        var pr = await api.Post("repos/acme/webapp/pulls", new { title = "Add guide", head = "docs", @base = "main", body = "Docs" }, $"{R}/pulls");
        var prNumber = pr.Json!["number"]!.GetValue<int>();
        await api.Get("repos/acme/webapp/pulls?state=all", $"{R}/pulls");
        await api.Get($"repos/acme/webapp/pulls/{prNumber}", $"{R}/pulls/{{pull_number}}");
        await api.Patch($"repos/acme/webapp/pulls/{prNumber}", new { body = "Docs, edited" }, $"{R}/pulls/{{pull_number}}");
        await api.Post($"repos/acme/webapp/pulls/{prNumber}/requested_reviewers", new { reviewers = new[] { "hubot", "monalisa" } }, $"{R}/pulls/{{pull_number}}/requested_reviewers");
        await api.Get($"repos/acme/webapp/pulls/{prNumber}/requested_reviewers", $"{R}/pulls/{{pull_number}}/requested_reviewers");
        await api.Delete($"repos/acme/webapp/pulls/{prNumber}/requested_reviewers", new { reviewers = new[] { "monalisa" } }, $"{R}/pulls/{{pull_number}}/requested_reviewers", 200);
        var hubot = new GitHubApi(session.CreateClient("github", "ghp_hubot"));
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").TokenLogins["ghp_hubot"] = "hubot";
        await hubot.Post($"repos/acme/webapp/pulls/{prNumber}/reviews", new { @event = "APPROVE", body = "LGTM" }, $"{R}/pulls/{{pull_number}}/reviews", 200);
        await api.Get($"repos/acme/webapp/pulls/{prNumber}/reviews", $"{R}/pulls/{{pull_number}}/reviews");
        await api.Get($"repos/acme/webapp/pulls/{prNumber}/commits", $"{R}/pulls/{{pull_number}}/commits");
        var files = await api.Get($"repos/acme/webapp/pulls/{prNumber}/files", $"{R}/pulls/{{pull_number}}/files");
        files.Json!.AsArray().Select(f => f!["filename"]!.GetValue<string>()).Should().Equal("docs/guide.md");
        await api.Get($"repos/acme/webapp/pulls/{prNumber}/merge", $"{R}/pulls/{{pull_number}}/merge", 404);
        await api.Put($"repos/acme/webapp/pulls/{prNumber}/merge", new { merge_method = "squash" }, $"{R}/pulls/{{pull_number}}/merge");
        await api.Get($"repos/acme/webapp/pulls/{prNumber}/merge", $"{R}/pulls/{{pull_number}}/merge", 204);
        await api.Get($"repos/acme/webapp/pulls/{prNumber}", $"{R}/pulls/{{pull_number}}");

        // Search.
        await api.Get("search/issues?q=repo:acme/webapp+is:open+label:bug", "/search/issues");
        await api.Get("search/issues?q=is:pr+is:merged", "/search/issues");
        await api.Get("search/repositories?q=webapp", "/search/repositories");

        api.Validated.Concat(hubot.Validated).Should().BeEquivalentTo(AllOperations);
    }

    [Theory]
    [InlineData("GET", "user", "/user", 401)]
    [InlineData("GET", "repos/acme/nope", "/repos/{owner}/{repo}", 404)]
    [InlineData("POST", "repos/acme/webapp/issues", "/repos/{owner}/{repo}/issues", 422)]
    public async Task Error_bodies_match_the_official_error_schemas(string method, string path, string template, int status)
    {
        var (session, _) = await fixture.StartAsync("github", "small-project");
        await using var __ = session;
        var client = session.CreateClient("github", status == 401 ? "" : null);
        var api = new GitHubApi(client);

        await api.Send(new HttpMethod(method), path, method == "POST" ? new { body = "no title" } : null, template, status);
    }
}
