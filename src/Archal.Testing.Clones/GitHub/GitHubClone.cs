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
    public override IReadOnlyList<Uri> ProductionBaseUrls { get; } = [new("https://api.github.com/")];

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context) => GitHubSeeds.Create(context);

    /// <inheritdoc />
    /// <remarks>Every table, the git blobs and the numbering and token bookkeeping; see docs/faults-and-snapshots.md for what does not carry over.</remarks>
    public override System.Text.Json.Nodes.JsonObject ExportSeedData(CloneState state) =>
        GitHubSeedExport.Export(state as GitHubState ?? throw new ArgumentException($"Expected a GitHubState, got {state?.GetType().Name ?? "null"}.", nameof(state)));

    private const string Repo = "/repos/{owner}/{repo}";

    /// <summary>Every operation: method, whether it needs a user, template, Octokit operation id, summary and doc (from GitHub's OpenAPI description), handler.</summary>
    private static readonly CloneOperation[] Table =
    [
        Op("GET", true, "/user", "users/get-authenticated", "Get the authenticated user", "https://docs.github.com/rest/users/users#get-the-authenticated-user", GitHubUsers.GetAuthenticated),
        Op("GET", false, "/users/{username}", "users/get-by-username", "Get a user", "https://docs.github.com/rest/users/users#get-a-user", GitHubUsers.GetByUsername),
        Op("GET", false, "/rate_limit", "rate-limit/get", "Get rate limit status for the authenticated user", "https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user", RateLimit),
        Op("POST", true, "/user/repos", "repos/create-for-authenticated-user", "Create a repository for the authenticated user", "https://docs.github.com/rest/repos/repos#create-a-repository-for-the-authenticated-user", GitHubRepos.CreateForUser),
        Op("POST", true, "/orgs/{org}/repos", "repos/create-in-org", "Create an organization repository", "https://docs.github.com/rest/repos/repos#create-an-organization-repository", GitHubRepos.CreateInOrg),
        Op("GET", true, "/user/repos", "repos/list-for-authenticated-user", "List repositories for the authenticated user", "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user", GitHubRepos.ListForAuthenticatedUser),
        Op("GET", false, "/users/{username}/repos", "repos/list-for-user", "List repositories for a user", "https://docs.github.com/rest/repos/repos#list-repositories-for-a-user", GitHubRepos.ListForUser),
        Op("GET", false, "/orgs/{org}/repos", "repos/list-for-org", "List organization repositories", "https://docs.github.com/rest/repos/repos#list-organization-repositories", GitHubRepos.ListForOrg),
        Op("GET", false, Repo, "repos/get", "Get a repository", "https://docs.github.com/rest/repos/repos#get-a-repository", GitHubRepos.Get),
        Op("PATCH", true, Repo, "repos/update", "Update a repository", "https://docs.github.com/rest/repos/repos#update-a-repository", GitHubRepos.Update),
        Op("DELETE", true, Repo, "repos/delete", "Delete a repository", "https://docs.github.com/rest/repos/repos#delete-a-repository", GitHubRepos.Delete),
        Op("GET", true, "/issues", "issues/list", "List issues assigned to the authenticated user", "https://docs.github.com/rest/issues/issues#list-issues-assigned-to-the-authenticated-user", (HttpContext http) => GitHubIssues.ListForUser(http, includeOrganizations: true)),
        Op("GET", true, "/user/issues", "issues/list-for-authenticated-user", "List user account issues assigned to the authenticated user", "https://docs.github.com/rest/issues/issues#list-user-account-issues-assigned-to-the-authenticated-user", (HttpContext http) => GitHubIssues.ListForUser(http, includeOrganizations: false)),
        Op("GET", false, $"{Repo}/issues", "issues/list-for-repo", "List repository issues", "https://docs.github.com/rest/issues/issues#list-repository-issues", GitHubIssues.ListForRepo),
        Op("POST", true, $"{Repo}/issues", "issues/create", "Create an issue", "https://docs.github.com/rest/issues/issues#create-an-issue", GitHubIssues.Create),
        Op("GET", false, $"{Repo}/issues/comments", "issues/list-comments-for-repo", "List issue comments for a repository", "https://docs.github.com/rest/issues/comments#list-issue-comments-for-a-repository", GitHubComments.ListForRepo),
        Op("GET", false, $"{Repo}/issues/comments/{{comment_id}}", "issues/get-comment", "Get an issue comment", "https://docs.github.com/rest/issues/comments#get-an-issue-comment", GitHubComments.Get),
        Op("PATCH", true, $"{Repo}/issues/comments/{{comment_id}}", "issues/update-comment", "Update an issue comment", "https://docs.github.com/rest/issues/comments#update-an-issue-comment", GitHubComments.Update),
        Op("DELETE", true, $"{Repo}/issues/comments/{{comment_id}}", "issues/delete-comment", "Delete an issue comment", "https://docs.github.com/rest/issues/comments#delete-an-issue-comment", GitHubComments.Delete),
        Op("GET", false, $"{Repo}/issues/{{issue_number}}", "issues/get", "Get an issue", "https://docs.github.com/rest/issues/issues#get-an-issue", GitHubIssues.Get),
        Op("PATCH", true, $"{Repo}/issues/{{issue_number}}", "issues/update", "Update an issue", "https://docs.github.com/rest/issues/issues#update-an-issue", GitHubIssues.Update),
        Op("PUT", true, $"{Repo}/issues/{{issue_number}}/lock", "issues/lock", "Lock an issue", "https://docs.github.com/rest/issues/issues#lock-an-issue", GitHubIssues.Lock),
        Op("DELETE", true, $"{Repo}/issues/{{issue_number}}/lock", "issues/unlock", "Unlock an issue", "https://docs.github.com/rest/issues/issues#unlock-an-issue", GitHubIssues.Unlock),
        Op("POST", true, $"{Repo}/issues/{{issue_number}}/assignees", "issues/add-assignees", "Add assignees to an issue", "https://docs.github.com/rest/issues/assignees#add-assignees-to-an-issue", GitHubIssues.AddAssignees),
        Op("DELETE", true, $"{Repo}/issues/{{issue_number}}/assignees", "issues/remove-assignees", "Remove assignees from an issue", "https://docs.github.com/rest/reference/issues#remove-assignees-from-an-issue", GitHubIssues.RemoveAssignees),
        Op("GET", false, $"{Repo}/issues/{{issue_number}}/comments", "issues/list-comments", "List issue comments", "https://docs.github.com/rest/issues/comments#list-issue-comments", GitHubComments.ListForIssue),
        Op("POST", true, $"{Repo}/issues/{{issue_number}}/comments", "issues/create-comment", "Create an issue comment", "https://docs.github.com/rest/issues/comments#create-an-issue-comment", GitHubComments.Create),
        Op("GET", false, $"{Repo}/issues/{{issue_number}}/labels", "issues/list-labels-on-issue", "List labels for an issue", "https://docs.github.com/rest/issues/labels#list-labels-for-an-issue", GitHubLabels.ListForIssue),
        Op("POST", true, $"{Repo}/issues/{{issue_number}}/labels", "issues/add-labels", "Add labels to an issue", "https://docs.github.com/rest/issues/labels#add-labels-to-an-issue", GitHubLabels.AddToIssue),
        Op("PUT", true, $"{Repo}/issues/{{issue_number}}/labels", "issues/set-labels", "Set labels for an issue", "https://docs.github.com/rest/issues/labels#set-labels-for-an-issue", GitHubLabels.SetOnIssue),
        Op("DELETE", true, $"{Repo}/issues/{{issue_number}}/labels", "issues/remove-all-labels", "Remove all labels from an issue", "https://docs.github.com/rest/issues/labels#remove-all-labels-from-an-issue", GitHubLabels.ClearOnIssue),
        Op("DELETE", true, $"{Repo}/issues/{{issue_number}}/labels/{{name}}", "issues/remove-label", "Remove a label from an issue", "https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue", GitHubLabels.RemoveFromIssue),
        Op("GET", false, $"{Repo}/labels", "issues/list-labels-for-repo", "List labels for a repository", "https://docs.github.com/rest/issues/labels#list-labels-for-a-repository", GitHubLabels.List),
        Op("POST", true, $"{Repo}/labels", "issues/create-label", "Create a label", "https://docs.github.com/rest/issues/labels#create-a-label", GitHubLabels.Create),
        Op("GET", false, $"{Repo}/labels/{{name}}", "issues/get-label", "Get a label", "https://docs.github.com/rest/issues/labels#get-a-label", GitHubLabels.Get),
        Op("PATCH", true, $"{Repo}/labels/{{name}}", "issues/update-label", "Update a label", "https://docs.github.com/rest/issues/labels#update-a-label", GitHubLabels.Update),
        Op("DELETE", true, $"{Repo}/labels/{{name}}", "issues/delete-label", "Delete a label", "https://docs.github.com/rest/issues/labels#delete-a-label", GitHubLabels.Delete),
        Op("GET", false, $"{Repo}/milestones", "issues/list-milestones", "List milestones", "https://docs.github.com/rest/issues/milestones#list-milestones", GitHubLabels.ListMilestones),
        Op("POST", true, $"{Repo}/milestones", "issues/create-milestone", "Create a milestone", "https://docs.github.com/rest/issues/milestones#create-a-milestone", GitHubLabels.CreateMilestone),
        Op("GET", false, $"{Repo}/milestones/{{milestone_number}}", "issues/get-milestone", "Get a milestone", "https://docs.github.com/rest/issues/milestones#get-a-milestone", GitHubLabels.GetMilestone),
        Op("PATCH", true, $"{Repo}/milestones/{{milestone_number}}", "issues/update-milestone", "Update a milestone", "https://docs.github.com/rest/issues/milestones#update-a-milestone", GitHubLabels.UpdateMilestone),
        Op("DELETE", true, $"{Repo}/milestones/{{milestone_number}}", "issues/delete-milestone", "Delete a milestone", "https://docs.github.com/rest/issues/milestones#delete-a-milestone", GitHubLabels.DeleteMilestone),
        Op("GET", false, $"{Repo}/branches", "repos/list-branches", "List branches", "https://docs.github.com/rest/branches/branches#list-branches", GitHubGit.ListBranches),
        Op("GET", false, $"{Repo}/branches/{{**branch}}", "repos/get-branch", "Get a branch", "https://docs.github.com/rest/branches/branches#get-a-branch", GitHubGit.GetBranch),
        Op("GET", false, $"{Repo}/git/ref/{{**ref}}", "git/get-ref", "Get a reference", "https://docs.github.com/rest/git/refs#get-a-reference", GitHubGit.GetRef),
        Op("GET", false, $"{Repo}/git/refs/{{**ref}}", "git/get-ref", "Get a reference (legacy refs/ path)", "https://docs.github.com/rest/git/refs#get-a-reference", GitHubGit.GetRef),
        Op("POST", true, $"{Repo}/git/refs", "git/create-ref", "Create a reference", "https://docs.github.com/rest/git/refs#create-a-reference", GitHubGit.CreateRef),
        Op("PATCH", true, $"{Repo}/git/refs/{{**ref}}", "git/update-ref", "Update a reference", "https://docs.github.com/rest/git/refs#update-a-reference", GitHubGit.UpdateRef),
        Op("DELETE", true, $"{Repo}/git/refs/{{**ref}}", "git/delete-ref", "Delete a reference", "https://docs.github.com/rest/git/refs#delete-a-reference", GitHubGit.DeleteRef),
        Op("GET", false, $"{Repo}/contents/{{**path}}", "repos/get-content", "Get repository content", "https://docs.github.com/rest/repos/contents#get-repository-content", GitHubGit.GetContent),
        Op("PUT", true, $"{Repo}/contents/{{**path}}", "repos/create-or-update-file-contents", "Create or update file contents", "https://docs.github.com/rest/repos/contents#create-or-update-file-contents", GitHubGit.PutContent),
        Op("DELETE", true, $"{Repo}/contents/{{**path}}", "repos/delete-file", "Delete a file", "https://docs.github.com/rest/repos/contents#delete-a-file", GitHubGit.DeleteContent),
        Op("GET", false, $"{Repo}/commits", "repos/list-commits", "List commits", "https://docs.github.com/rest/commits/commits#list-commits", GitHubGit.ListCommits),
        Op("GET", false, $"{Repo}/commits/{{ref}}", "repos/get-commit", "Get a commit", "https://docs.github.com/rest/commits/commits#get-a-commit", GitHubGit.GetCommit),
        Op("GET", false, $"{Repo}/pulls", "pulls/list", "List pull requests", "https://docs.github.com/rest/pulls/pulls#list-pull-requests", GitHubPulls.List),
        Op("POST", true, $"{Repo}/pulls", "pulls/create", "Create a pull request", "https://docs.github.com/rest/pulls/pulls#create-a-pull-request", GitHubPulls.Create),
        Op("GET", false, $"{Repo}/pulls/{{pull_number}}", "pulls/get", "Get a pull request", "https://docs.github.com/rest/pulls/pulls#get-a-pull-request", GitHubPulls.Get),
        Op("PATCH", true, $"{Repo}/pulls/{{pull_number}}", "pulls/update", "Update a pull request", "https://docs.github.com/rest/pulls/pulls#update-a-pull-request", GitHubPulls.Update),
        Op("GET", false, $"{Repo}/pulls/{{pull_number}}/commits", "pulls/list-commits", "List commits on a pull request", "https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request", GitHubPulls.ListCommits),
        Op("GET", false, $"{Repo}/pulls/{{pull_number}}/files", "pulls/list-files", "List pull requests files", "https://docs.github.com/rest/pulls/pulls#list-pull-requests-files", GitHubPulls.ListFiles),
        Op("GET", false, $"{Repo}/pulls/{{pull_number}}/merge", "pulls/check-if-merged", "Check if a pull request has been merged", "https://docs.github.com/rest/pulls/pulls#check-if-a-pull-request-has-been-merged", GitHubPulls.CheckMerged),
        Op("PUT", true, $"{Repo}/pulls/{{pull_number}}/merge", "pulls/merge", "Merge a pull request", "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request", GitHubPulls.Merge),
        Op("GET", false, $"{Repo}/pulls/{{pull_number}}/reviews", "pulls/list-reviews", "List reviews for a pull request", "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request", GitHubPulls.ListReviews),
        Op("POST", true, $"{Repo}/pulls/{{pull_number}}/reviews", "pulls/create-review", "Create a review for a pull request", "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request", GitHubPulls.CreateReview),
        Op("GET", false, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/list-requested-reviewers", "Get all requested reviewers for a pull request", "https://docs.github.com/rest/pulls/review-requests#get-all-requested-reviewers-for-a-pull-request", GitHubPulls.ListRequestedReviewers),
        Op("POST", true, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/request-reviewers", "Request reviewers for a pull request", "https://docs.github.com/rest/reference/pulls#request-reviewers-for-a-pull-request", GitHubPulls.RequestReviewers),
        Op("DELETE", true, $"{Repo}/pulls/{{pull_number}}/requested_reviewers", "pulls/remove-requested-reviewers", "Remove requested reviewers from a pull request", "https://docs.github.com/rest/pulls/review-requests#remove-requested-reviewers-from-a-pull-request", GitHubPulls.RemoveRequestedReviewers),
        Op("GET", true, $"{Repo}/hooks", "repos/list-webhooks", "List repository webhooks", "https://docs.github.com/rest/repos/webhooks#list-repository-webhooks", GitHubHooks.ListForRepo),
        Op("POST", true, $"{Repo}/hooks", "repos/create-webhook", "Create a repository webhook", "https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook", GitHubHooks.CreateForRepo),
        Op("GET", true, $"{Repo}/hooks/{{hook_id}}", "repos/get-webhook", "Get a repository webhook", "https://docs.github.com/rest/repos/webhooks#get-a-repository-webhook", GitHubHooks.GetForRepo),
        Op("PATCH", true, $"{Repo}/hooks/{{hook_id}}", "repos/update-webhook", "Update a repository webhook", "https://docs.github.com/rest/repos/webhooks#update-a-repository-webhook", GitHubHooks.UpdateForRepo),
        Op("DELETE", true, $"{Repo}/hooks/{{hook_id}}", "repos/delete-webhook", "Delete a repository webhook", "https://docs.github.com/rest/repos/webhooks#delete-a-repository-webhook", GitHubHooks.DeleteForRepo),
        Op("POST", true, $"{Repo}/hooks/{{hook_id}}/pings", "repos/ping-webhook", "Ping a repository webhook", "https://docs.github.com/rest/repos/webhooks#ping-a-repository-webhook", GitHubHooks.PingForRepo),
        Op("GET", true, $"{Repo}/hooks/{{hook_id}}/deliveries", "repos/list-webhook-deliveries", "List deliveries for a repository webhook", "https://docs.github.com/rest/repos/webhooks#list-deliveries-for-a-repository-webhook", GitHubHooks.DeliveriesForRepo),
        Op("GET", true, $"{Repo}/hooks/{{hook_id}}/deliveries/{{delivery_id}}", "repos/get-webhook-delivery", "Get a delivery for a repository webhook", "https://docs.github.com/rest/repos/webhooks#get-a-delivery-for-a-repository-webhook", GitHubHooks.DeliveryForRepo),
        Op("POST", true, $"{Repo}/hooks/{{hook_id}}/deliveries/{{delivery_id}}/attempts", "repos/redeliver-webhook-delivery", "Redeliver a delivery for a repository webhook", "https://docs.github.com/rest/repos/webhooks#redeliver-a-delivery-for-a-repository-webhook", GitHubHooks.RedeliverForRepo),
        Op("GET", true, "/orgs/{org}/hooks", "orgs/list-webhooks", "List organization webhooks", "https://docs.github.com/rest/orgs/webhooks#list-organization-webhooks", GitHubHooks.ListForOrg),
        Op("POST", true, "/orgs/{org}/hooks", "orgs/create-webhook", "Create an organization webhook", "https://docs.github.com/rest/orgs/webhooks#create-an-organization-webhook", GitHubHooks.CreateForOrg),
        Op("GET", true, "/orgs/{org}/hooks/{hook_id}", "orgs/get-webhook", "Get an organization webhook", "https://docs.github.com/rest/orgs/webhooks#get-an-organization-webhook", GitHubHooks.GetForOrg),
        Op("PATCH", true, "/orgs/{org}/hooks/{hook_id}", "orgs/update-webhook", "Update an organization webhook", "https://docs.github.com/rest/orgs/webhooks#update-an-organization-webhook", GitHubHooks.UpdateForOrg),
        Op("DELETE", true, "/orgs/{org}/hooks/{hook_id}", "orgs/delete-webhook", "Delete an organization webhook", "https://docs.github.com/rest/orgs/webhooks#delete-an-organization-webhook", GitHubHooks.DeleteForOrg),
        Op("POST", true, "/orgs/{org}/hooks/{hook_id}/pings", "orgs/ping-webhook", "Ping an organization webhook", "https://docs.github.com/rest/orgs/webhooks#ping-an-organization-webhook", GitHubHooks.PingForOrg),
        Op("GET", true, "/orgs/{org}/hooks/{hook_id}/deliveries", "orgs/list-webhook-deliveries", "List deliveries for an organization webhook", "https://docs.github.com/rest/orgs/webhooks#list-deliveries-for-an-organization-webhook", GitHubHooks.DeliveriesForOrg),
        Op("GET", true, "/orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}", "orgs/get-webhook-delivery", "Get a webhook delivery for an organization webhook", "https://docs.github.com/rest/orgs/webhooks#get-a-webhook-delivery-for-an-organization-webhook", GitHubHooks.DeliveryForOrg),
        Op("POST", true, "/orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts", "orgs/redeliver-webhook-delivery", "Redeliver a delivery for an organization webhook", "https://docs.github.com/rest/orgs/webhooks#redeliver-a-delivery-for-an-organization-webhook", GitHubHooks.RedeliverForOrg),
        Op("GET", false, "/search/issues", "search/issues-and-pull-requests", "Search issues and pull requests", "https://docs.github.com/rest/search/search#search-issues-and-pull-requests", GitHubSearch.Issues),
        Op("GET", false, "/search/repositories", "search/repos", "Search repositories", "https://docs.github.com/rest/search/search#search-repositories", GitHubSearch.Repositories),
    ];

    private static CloneOperation Op(string method, bool requiresUser, string template, string id, string summary, string doc, Delegate handler) =>
        new(id, method, template, summary, handler) { DocUrl = new Uri(doc), Tag = requiresUser };

    /// <inheritdoc />
    /// <remarks>Operation ids are Octokit's (<c>issues/create</c>), the <c>operationId</c>s of GitHub's OpenAPI description.</remarks>
    public override IReadOnlyList<CloneOperation> Operations => Table;

    /// <inheritdoc />
    public override IReadOnlyList<CloneTool> Tools => GitHubMcpTools.Tools;

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var operation in Table)
        {
            var requireUser = (bool)operation.Tag!;
            if (operation.Template.StartsWith(Repo, StringComparison.Ordinal))
            {
                MapOperation(api, operation, handler => http => GitHubAuth.RunAsync(http, requireUser,
                    context => GitHubRepos.RedirectIfRenamed(context) is { } redirect ? redirect.ExecuteAsync(context) : handler(context)));
                MapById(api, operation, requireUser);
            }
            else
            {
                MapOperation(api, operation, handler => http => GitHubAuth.RunAsync(http, requireUser, handler));
            }
        }
    }

    /// <summary>
    /// The same operation at <c>/repositories/{repository_id}/…</c>: GitHub serves every repository route by numeric id
    /// too (Octokit.net's id overloads such as <c>Repository.Get(long)</c> and <c>Issue.Get(long, int)</c> call them).
    /// Not a second table row: it is the same operation, so the endpoint carries the same metadata; the id is resolved
    /// to owner and name, which the handler then binds as usual.
    /// </summary>
    private static void MapById(IEndpointRouteBuilder api, CloneOperation operation, bool requireUser)
    {
        var template = "/repositories/{repository_id}" + operation.Template[Repo.Length..];
        RequestDelegate handler;
        if (operation.Handler is RequestDelegate direct)
        {
            handler = direct;
        }
        else
        {
            RequestDelegate? compiled = null;
            var names = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(operation.Template).Parameters.Select(p => p.Name).ToList();
            handler = http => (compiled ??= RequestDelegateFactory.Create(operation.Handler, new RequestDelegateFactoryOptions
            {
                ServiceProvider = api.ServiceProvider,
                RouteParameterNames = names,
            }).RequestDelegate)(http);
        }

        api.MapMethods(template, operation.RouteMethods, http => GitHubAuth.RunAsync(http, requireUser, context =>
        {
            var state = context.GetCloneState<GitHubState>();
            var id = context.Request.RouteValues["repository_id"]?.ToString();
            var repo = long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? state.Repos.Items.FirstOrDefault(r => r.Id == number)
                : null;
            if (repo is null)
            {
                throw new GitHubException(GitHubErrors.NotFound());
            }

            context.Request.RouteValues["owner"] = repo.Owner;
            context.Request.RouteValues["repo"] = repo.Name;
            return handler(context);
        })).WithMetadata(operation);
    }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers["x-github-request-id"] = GitHubAuth.RequestId(http.GetCloneContext().RequestId);
        http.Response.Headers["x-github-media-type"] = "github.v3; format=json";
        return GitHubErrors.NotFound().ExecuteAsync(http);
    }

    /// <inheritdoc />
    /// <remarks>GitHub answers 413 with its usual <c>{message, documentation_url}</c> body.</remarks>
    public override Task WriteRequestTooLargeAsync(HttpContext http, long limit)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers["x-github-request-id"] = GitHubAuth.RequestId(http.GetCloneContext().RequestId);
        http.Response.Headers["x-github-media-type"] = "github.v3; format=json";
        return GitHubErrors.PayloadTooLarge().ExecuteAsync(http);
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
    /// <remarks>Codes: <c>primary_rate_limit</c> (the default for 403) and <c>secondary_rate_limit</c> (the default for 429).</remarks>
    public override string? CheckFault(CloneFault fault) => GitHubFaults.Check(fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <inheritdoc />
    public override Task WriteFaultAsync(HttpContext http, CloneFault fault) =>
        GitHubFaults.WriteAsync(http ?? throw new ArgumentNullException(nameof(http)), fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <inheritdoc />
    public override CloneVocabulary Vocabulary => GitHubVocabulary.Vocabulary;

    /// <inheritdoc />
    public override CloneSecrets Secrets => GitHubVocabulary.Secrets;

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckSeedData(System.Text.Json.Nodes.JsonObject data, string baseSeed) => GitHubVocabulary.CheckSeedData(data, baseSeed);
}
