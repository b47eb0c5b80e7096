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
    private readonly Dictionary<string, string> _operations = new(StringComparer.OrdinalIgnoreCase);

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
    public override CloneState CreateState(CloneSeedContext context) => GitHubSeeds.Create(context);

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        var user = api.MapGroup("").AddEndpointFilter(GitHubAuth.Pipeline(requireUser: true));
        var open = api.MapGroup("").AddEndpointFilter(GitHubAuth.Pipeline(requireUser: false));
        const string Repo = "/repos/{owner}/{repo}";

        Get(user, "/user", "users/get-authenticated", GitHubUsers.GetAuthenticated);
        Get(open, "/users/{username}", "users/get-by-username", GitHubUsers.GetByUsername);
        Get(open, "/rate_limit", "rate-limit/get", RateLimit);

        Post(user, "/user/repos", "repos/create-for-authenticated-user", GitHubRepos.CreateForUser);
        Post(user, "/orgs/{org}/repos", "repos/create-in-org", GitHubRepos.CreateInOrg);
        Get(user, "/user/repos", "repos/list-for-authenticated-user", GitHubRepos.ListForAuthenticatedUser);
        Get(open, "/users/{username}/repos", "repos/list-for-user", GitHubRepos.ListForUser);
        Get(open, "/orgs/{org}/repos", "repos/list-for-org", GitHubRepos.ListForOrg);
        Get(open, Repo, "repos/get", GitHubRepos.Get);
        Patch(user, Repo, "repos/update", GitHubRepos.Update);
        Delete(user, Repo, "repos/delete", GitHubRepos.Delete);

        Get(user, "/issues", "issues/list", (HttpContext http) => GitHubIssues.ListForUser(http, includeOrganizations: true));
        Get(user, "/user/issues", "issues/list-for-authenticated-user", (HttpContext http) => GitHubIssues.ListForUser(http, includeOrganizations: false));
        Get(open, $"{Repo}/issues", "issues/list-for-repo", GitHubIssues.ListForRepo);
        Post(user, $"{Repo}/issues", "issues/create", GitHubIssues.Create);
        Get(open, $"{Repo}/issues/comments", "issues/list-comments-for-repo", GitHubComments.ListForRepo);
        Get(open, $"{Repo}/issues/comments/{{comment_id}}", "issues/get-comment", GitHubComments.Get);
        Patch(user, $"{Repo}/issues/comments/{{comment_id}}", "issues/update-comment", GitHubComments.Update);
        Delete(user, $"{Repo}/issues/comments/{{comment_id}}", "issues/delete-comment", GitHubComments.Delete);
        Get(open, $"{Repo}/issues/{{issue_number}}", "issues/get", GitHubIssues.Get);
        Patch(user, $"{Repo}/issues/{{issue_number}}", "issues/update", GitHubIssues.Update);
        Put(user, $"{Repo}/issues/{{issue_number}}/lock", "issues/lock", GitHubIssues.Lock);
        Delete(user, $"{Repo}/issues/{{issue_number}}/lock", "issues/unlock", GitHubIssues.Unlock);
        Get(open, $"{Repo}/issues/{{issue_number}}/comments", "issues/list-comments", GitHubComments.ListForIssue);
        Post(user, $"{Repo}/issues/{{issue_number}}/comments", "issues/create-comment", GitHubComments.Create);
        Get(open, $"{Repo}/issues/{{issue_number}}/labels", "issues/list-labels-on-issue", GitHubLabels.ListForIssue);
        Post(user, $"{Repo}/issues/{{issue_number}}/labels", "issues/add-labels", GitHubLabels.AddToIssue);
        Put(user, $"{Repo}/issues/{{issue_number}}/labels", "issues/set-labels", GitHubLabels.SetOnIssue);
        Delete(user, $"{Repo}/issues/{{issue_number}}/labels", "issues/remove-all-labels", GitHubLabels.ClearOnIssue);
        Delete(user, $"{Repo}/issues/{{issue_number}}/labels/{{name}}", "issues/remove-label", GitHubLabels.RemoveFromIssue);

        Get(open, $"{Repo}/labels", "issues/list-labels-for-repo", GitHubLabels.List);
        Post(user, $"{Repo}/labels", "issues/create-label", GitHubLabels.Create);
        Get(open, $"{Repo}/labels/{{name}}", "issues/get-label", GitHubLabels.Get);
        Patch(user, $"{Repo}/labels/{{name}}", "issues/update-label", GitHubLabels.Update);
        Delete(user, $"{Repo}/labels/{{name}}", "issues/delete-label", GitHubLabels.Delete);
        Get(open, $"{Repo}/milestones", "issues/list-milestones", GitHubLabels.ListMilestones);
        Post(user, $"{Repo}/milestones", "issues/create-milestone", GitHubLabels.CreateMilestone);
        Get(open, $"{Repo}/milestones/{{milestone_number}}", "issues/get-milestone", GitHubLabels.GetMilestone);
        Patch(user, $"{Repo}/milestones/{{milestone_number}}", "issues/update-milestone", GitHubLabels.UpdateMilestone);
        Delete(user, $"{Repo}/milestones/{{milestone_number}}", "issues/delete-milestone", GitHubLabels.DeleteMilestone);

        Get(open, $"{Repo}/branches", "repos/list-branches", GitHubGit.ListBranches);
        Get(open, $"{Repo}/git/ref/{{**ref}}", "git/get-ref", GitHubGit.GetRef);
        Get(open, $"{Repo}/git/refs/{{**ref}}", "git/get-ref", GitHubGit.GetRef);
        Post(user, $"{Repo}/git/refs", "git/create-ref", GitHubGit.CreateRef);
        Patch(user, $"{Repo}/git/refs/{{**ref}}", "git/update-ref", GitHubGit.UpdateRef);
        Delete(user, $"{Repo}/git/refs/{{**ref}}", "git/delete-ref", GitHubGit.DeleteRef);
        Get(open, $"{Repo}/contents/{{**path}}", "repos/get-content", GitHubGit.GetContent);
        Put(user, $"{Repo}/contents/{{**path}}", "repos/create-or-update-file-contents", GitHubGit.PutContent);
        Delete(user, $"{Repo}/contents/{{**path}}", "repos/delete-file", GitHubGit.DeleteContent);
        Get(open, $"{Repo}/commits", "repos/list-commits", GitHubGit.ListCommits);
        Get(open, $"{Repo}/commits/{{ref}}", "repos/get-commit", GitHubGit.GetCommit);

        Get(open, $"{Repo}/pulls", "pulls/list", GitHubPulls.List);
        Post(user, $"{Repo}/pulls", "pulls/create", GitHubPulls.Create);
        Get(open, $"{Repo}/pulls/{{pull_number}}", "pulls/get", GitHubPulls.Get);
        Patch(user, $"{Repo}/pulls/{{pull_number}}", "pulls/update", GitHubPulls.Update);
        Get(open, $"{Repo}/pulls/{{pull_number}}/merge", "pulls/check-if-merged", GitHubPulls.CheckMerged);
        Put(user, $"{Repo}/pulls/{{pull_number}}/merge", "pulls/merge", GitHubPulls.Merge);
        Get(open, $"{Repo}/pulls/{{pull_number}}/reviews", "pulls/list-reviews", GitHubPulls.ListReviews);
        Post(user, $"{Repo}/pulls/{{pull_number}}/reviews", "pulls/create-review", GitHubPulls.CreateReview);
        Get(open, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/list-requested-reviewers", GitHubPulls.ListRequestedReviewers);
        Post(user, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/request-reviewers", GitHubPulls.RequestReviewers);
        Delete(user, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/remove-requested-reviewers", GitHubPulls.RemoveRequestedReviewers);

        Get(open, "/search/issues", "search/issues-and-pull-requests", GitHubSearch.Issues);
        Get(open, "/search/repositories", "search/repos", GitHubSearch.Repositories);
    }

    private void Get(RouteGroupBuilder group, string template, string operation, Delegate handler) => Map(group, "GET", template, operation, handler);

    private void Post(RouteGroupBuilder group, string template, string operation, Delegate handler) => Map(group, "POST", template, operation, handler);

    private void Put(RouteGroupBuilder group, string template, string operation, Delegate handler) => Map(group, "PUT", template, operation, handler);

    private void Patch(RouteGroupBuilder group, string template, string operation, Delegate handler) => Map(group, "PATCH", template, operation, handler);

    private void Delete(RouteGroupBuilder group, string template, string operation, Delegate handler) => Map(group, "DELETE", template, operation, handler);

    private void Map(RouteGroupBuilder group, string method, string template, string operation, Delegate handler)
    {
        group.MapMethods(template, [method], handler);
        _operations[$"{method} {Normalize(template)}"] = operation;
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

        return _operations.TryGetValue($"{method.ToUpperInvariant()} {template}", out var name) ? name : base.DescribeOperation(method, routeTemplate, http);
    }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http) =>
        GitHubErrors.NotFound().ExecuteAsync(http);

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
}
