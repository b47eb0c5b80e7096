using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Clones.GitHub;

/// <summary>A stateful emulator of GitHub's REST API (api.github.com).</summary>
/// <remarks>
/// Surface: users, repositories, issues, comments, labels, milestones, branches, git refs, contents,
/// commits, pull requests (merge, reviews, requested reviewers), search and rate limits. See
/// <c>docs/clones/github.md</c> and <see cref="GitHubState"/> for the state tables.
/// </remarks>
public sealed class GitHubClone : CloneDefinition
{
    /// <inheritdoc />
    public override string Id => "github";

    /// <inheritdoc />
    public override string DisplayName => "GitHub";

    /// <inheritdoc />
    public override string Description => "GitHub REST API: users, repositories, issues, pull requests and search.";

    /// <inheritdoc />
    public override IReadOnlyList<string> SeedNames { get; } = GitHubSeeds.Names;

    /// <inheritdoc />
    public override string DefaultServiceToken => "ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt";

    /// <inheritdoc />
    public override IReadOnlyList<string> ServiceTokenVariables { get; } = ["GITHUB_TOKEN"];

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context) => GitHubSeeds.Create(context);

    private const string Repo = "/repos/{owner}/{repo}";

    /// <summary>Every route: method, whether it needs a user, template, Octokit-style operation name, handler.</summary>
    private static readonly Route[] Routes =
    [
        new("GET", true, "/user", "users/get-authenticated", GitHubUsers.GetAuthenticated),
        new("GET", false, "/users/{username}", "users/get-by-username", GitHubUsers.GetByUsername),
        new("GET", false, "/rate_limit", "rate-limit/get", RateLimit),
        new("POST", true, "/user/repos", "repos/create-for-authenticated-user", GitHubRepos.CreateForUser),
        new("POST", true, "/orgs/{org}/repos", "repos/create-in-org", GitHubRepos.CreateInOrg),
        new("GET", true, "/user/repos", "repos/list-for-authenticated-user", GitHubRepos.ListForAuthenticatedUser),
        new("GET", false, "/users/{username}/repos", "repos/list-for-user", GitHubRepos.ListForUser),
        new("GET", false, "/orgs/{org}/repos", "repos/list-for-org", GitHubRepos.ListForOrg),
        new("GET", false, Repo, "repos/get", GitHubRepos.Get),
        new("PATCH", true, Repo, "repos/update", GitHubRepos.Update),
        new("DELETE", true, Repo, "repos/delete", GitHubRepos.Delete),
        new("GET", true, "/issues", "issues/list", (HttpContext http) => GitHubIssues.ListForUser(http, includeOrganizations: true)),
        new("GET", true, "/user/issues", "issues/list-for-authenticated-user", (HttpContext http) => GitHubIssues.ListForUser(http, includeOrganizations: false)),
        new("GET", false, $"{Repo}/issues", "issues/list-for-repo", GitHubIssues.ListForRepo),
        new("POST", true, $"{Repo}/issues", "issues/create", GitHubIssues.Create),
        new("GET", false, $"{Repo}/issues/comments", "issues/list-comments-for-repo", GitHubComments.ListForRepo),
        new("GET", false, $"{Repo}/issues/comments/{{comment_id}}", "issues/get-comment", GitHubComments.Get),
        new("PATCH", true, $"{Repo}/issues/comments/{{comment_id}}", "issues/update-comment", GitHubComments.Update),
        new("DELETE", true, $"{Repo}/issues/comments/{{comment_id}}", "issues/delete-comment", GitHubComments.Delete),
        new("GET", false, $"{Repo}/issues/{{issue_number}}", "issues/get", GitHubIssues.Get),
        new("PATCH", true, $"{Repo}/issues/{{issue_number}}", "issues/update", GitHubIssues.Update),
        new("PUT", true, $"{Repo}/issues/{{issue_number}}/lock", "issues/lock", GitHubIssues.Lock),
        new("DELETE", true, $"{Repo}/issues/{{issue_number}}/lock", "issues/unlock", GitHubIssues.Unlock),
        new("POST", true, $"{Repo}/issues/{{issue_number}}/assignees", "issues/add-assignees", GitHubIssues.AddAssignees),
        new("DELETE", true, $"{Repo}/issues/{{issue_number}}/assignees", "issues/remove-assignees", GitHubIssues.RemoveAssignees),
        new("GET", false, $"{Repo}/issues/{{issue_number}}/comments", "issues/list-comments", GitHubComments.ListForIssue),
        new("POST", true, $"{Repo}/issues/{{issue_number}}/comments", "issues/create-comment", GitHubComments.Create),
        new("GET", false, $"{Repo}/issues/{{issue_number}}/labels", "issues/list-labels-on-issue", GitHubLabels.ListForIssue),
        new("POST", true, $"{Repo}/issues/{{issue_number}}/labels", "issues/add-labels", GitHubLabels.AddToIssue),
        new("PUT", true, $"{Repo}/issues/{{issue_number}}/labels", "issues/set-labels", GitHubLabels.SetOnIssue),
        new("DELETE", true, $"{Repo}/issues/{{issue_number}}/labels", "issues/remove-all-labels", GitHubLabels.ClearOnIssue),
        new("DELETE", true, $"{Repo}/issues/{{issue_number}}/labels/{{name}}", "issues/remove-label", GitHubLabels.RemoveFromIssue),
        new("GET", false, $"{Repo}/labels", "issues/list-labels-for-repo", GitHubLabels.List),
        new("POST", true, $"{Repo}/labels", "issues/create-label", GitHubLabels.Create),
        new("GET", false, $"{Repo}/labels/{{name}}", "issues/get-label", GitHubLabels.Get),
        new("PATCH", true, $"{Repo}/labels/{{name}}", "issues/update-label", GitHubLabels.Update),
        new("DELETE", true, $"{Repo}/labels/{{name}}", "issues/delete-label", GitHubLabels.Delete),
        new("GET", false, $"{Repo}/milestones", "issues/list-milestones", GitHubLabels.ListMilestones),
        new("POST", true, $"{Repo}/milestones", "issues/create-milestone", GitHubLabels.CreateMilestone),
        new("GET", false, $"{Repo}/milestones/{{milestone_number}}", "issues/get-milestone", GitHubLabels.GetMilestone),
        new("PATCH", true, $"{Repo}/milestones/{{milestone_number}}", "issues/update-milestone", GitHubLabels.UpdateMilestone),
        new("DELETE", true, $"{Repo}/milestones/{{milestone_number}}", "issues/delete-milestone", GitHubLabels.DeleteMilestone),
        new("GET", false, $"{Repo}/branches", "repos/list-branches", GitHubGit.ListBranches),
        new("GET", false, $"{Repo}/branches/{{**branch}}", "repos/get-branch", GitHubGit.GetBranch),
        new("GET", false, $"{Repo}/git/ref/{{**ref}}", "git/get-ref", GitHubGit.GetRef),
        new("GET", false, $"{Repo}/git/refs/{{**ref}}", "git/get-ref", GitHubGit.GetRef),
        new("POST", true, $"{Repo}/git/refs", "git/create-ref", GitHubGit.CreateRef),
        new("PATCH", true, $"{Repo}/git/refs/{{**ref}}", "git/update-ref", GitHubGit.UpdateRef),
        new("DELETE", true, $"{Repo}/git/refs/{{**ref}}", "git/delete-ref", GitHubGit.DeleteRef),
        new("GET", false, $"{Repo}/contents/{{**path}}", "repos/get-content", GitHubGit.GetContent),
        new("PUT", true, $"{Repo}/contents/{{**path}}", "repos/create-or-update-file-contents", GitHubGit.PutContent),
        new("DELETE", true, $"{Repo}/contents/{{**path}}", "repos/delete-file", GitHubGit.DeleteContent),
        new("GET", false, $"{Repo}/commits", "repos/list-commits", GitHubGit.ListCommits),
        new("GET", false, $"{Repo}/commits/{{ref}}", "repos/get-commit", GitHubGit.GetCommit),
        new("GET", false, $"{Repo}/pulls", "pulls/list", GitHubPulls.List),
        new("POST", true, $"{Repo}/pulls", "pulls/create", GitHubPulls.Create),
        new("GET", false, $"{Repo}/pulls/{{pull_number}}", "pulls/get", GitHubPulls.Get),
        new("PATCH", true, $"{Repo}/pulls/{{pull_number}}", "pulls/update", GitHubPulls.Update),
        new("GET", false, $"{Repo}/pulls/{{pull_number}}/commits", "pulls/list-commits", GitHubPulls.ListCommits),
        new("GET", false, $"{Repo}/pulls/{{pull_number}}/files", "pulls/list-files", GitHubPulls.ListFiles),
        new("GET", false, $"{Repo}/pulls/{{pull_number}}/merge", "pulls/check-if-merged", GitHubPulls.CheckMerged),
        new("PUT", true, $"{Repo}/pulls/{{pull_number}}/merge", "pulls/merge", GitHubPulls.Merge),
        new("GET", false, $"{Repo}/pulls/{{pull_number}}/reviews", "pulls/list-reviews", GitHubPulls.ListReviews),
        new("POST", true, $"{Repo}/pulls/{{pull_number}}/reviews", "pulls/create-review", GitHubPulls.CreateReview),
        new("GET", false, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/list-requested-reviewers", GitHubPulls.ListRequestedReviewers),
        new("POST", true, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/request-reviewers", GitHubPulls.RequestReviewers),
        new("DELETE", true, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/remove-requested-reviewers", GitHubPulls.RemoveRequestedReviewers),
        new("GET", false, "/search/issues", "search/issues-and-pull-requests", GitHubSearch.Issues),
        new("GET", false, "/search/repositories", "search/repos", GitHubSearch.Repositories),
    ];

    private static readonly Dictionary<string, string> Operations =
        Routes.ToDictionary(r => $"{r.Method} {Normalize(r.Template)}", r => r.Operation, StringComparer.OrdinalIgnoreCase);

    private sealed record Route(string Method, bool RequiresUser, string Template, string Operation, Delegate Handler);

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        var user = api.MapGroup("").AddEndpointFilter(GitHubAuth.Pipeline(requireUser: true));
        var open = api.MapGroup("").AddEndpointFilter(GitHubAuth.Pipeline(requireUser: false));
        foreach (var route in Routes)
        {
            (route.RequiresUser ? user : open).MapMethods(route.Template, [route.Method], route.Handler);
        }
    }

    private static string Normalize(string template) => template.Trim('/').Replace("{**", "{", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string DescribeOperation(string method, string routeTemplate, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(routeTemplate);
        var template = Normalize(routeTemplate);
        var api = template.IndexOf("/api/", StringComparison.Ordinal);
        if (api >= 0)
        {
            template = template[(api + 5)..];
        }

        return Operations.TryGetValue($"{method.ToUpperInvariant()} {template}", out var name) ? name : base.DescribeOperation(method, routeTemplate, http);
    }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers["x-github-request-id"] = GitHubAuth.RequestId(http.GetCloneContext().RequestId);
        http.Response.Headers["x-github-media-type"] = "github.v3; format=json";
        return GitHubErrors.NotFound().ExecuteAsync(http);
    }

    private static IResult RateLimit(HttpContext http)
    {
        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUserOrNull();
        Dictionary<string, object?> Resource(string name)
        {
            var window = GitHubAuth.Window(state, user, name);
            var limit = GitHubAuth.Limit(state, user, name);
            return new()
            {
                ["limit"] = limit,
                ["used"] = window.Used,
                ["remaining"] = Math.Max(0, limit - window.Used),
                ["reset"] = window.Reset.ToUnixTimeSeconds(),
            };
        }

        var core = Resource("core");
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["resources"] = new Dictionary<string, object?>
            {
                ["core"] = core,
                ["search"] = Resource("search"),
                ["graphql"] = Resource("graphql"),
                ["integration_manifest"] = Resource("integration_manifest"),
                ["code_search"] = Resource("code_search"),
            },
            ["rate"] = core,
        });
    }

    // ---- Clone knowledge for criteria, seed files and redaction (GitHubVocabulary.cs) ----

    /// <inheritdoc />
    public override CloneVocabulary Vocabulary => GitHubVocabulary.Vocabulary;

    /// <inheritdoc />
    public override CloneSecrets Secrets => GitHubVocabulary.Secrets;

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckSeedData(System.Text.Json.Nodes.JsonObject data, string baseSeed) => GitHubVocabulary.CheckSeedData(data, baseSeed);
}
