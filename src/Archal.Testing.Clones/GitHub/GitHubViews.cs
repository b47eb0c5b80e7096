using System.Globalization;
using System.Text;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>The clone's own base URLs: <c>Api</c> for <c>url</c> fields, <c>Html</c> for <c>html_url</c> fields.</summary>
internal sealed record GitHubUrls(string Api, string Html)
{
    public static GitHubUrls From(HttpContext http)
    {
        var api = http.GetCloneContext().ApiBaseUrl;
        var html = api.EndsWith("/api", StringComparison.Ordinal) ? api[..^4] : api;
        return new GitHubUrls(api, html);
    }
}

/// <summary>Renders state entities as GitHub's REST JSON objects (field names, types and nullability per the OpenAPI description).</summary>
internal sealed class GitHubViews(GitHubState state, GitHubUrls urls, GitHubUser? viewer)
{
    public GitHubState State => state;

    public GitHubUrls Urls => urls;

    public static GitHubViews For(HttpContext http) =>
        new(http.GetCloneState<GitHubState>(), GitHubUrls.From(http), http.CurrentUserOrNull());

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : null;

    public static string NodeId(string prefix, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{prefix}:{id}")).TrimEnd('=');

    // One rendering per login and label per response: list pages repeat the same few users many times.
    private readonly Dictionary<string, Dictionary<string, object?>> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Dictionary<string, object?>> _labels = [];

    public Dictionary<string, object?> User(string login)
    {
        if (!_users.TryGetValue(login, out var view))
        {
            view = state.FindUser(login) is { } user ? GitHubUsers.SimpleUser(urls, user) : GitHubUsers.GhostUser(urls);
            _users[login] = view;
        }

        return view;
    }

    public Dictionary<string, object?>? UserOrNull(string? login) => login is null ? null : User(login);

    public string AuthorAssociation(string login, GitHubRepo repo)
    {
        if (repo.Owner.Equals(login, StringComparison.OrdinalIgnoreCase))
        {
            return "OWNER";
        }

        if (state.Users.Find(repo.Owner) is { Type: "Organization" } org && org.Members.Contains(login))
        {
            return "MEMBER";
        }

        return repo.Collaborators.Contains(login) ? "COLLABORATOR" : "NONE";
    }

    public Dictionary<string, object?> Repo(GitHubRepo repo)
    {
        var url = $"{urls.Api}/repos/{repo.FullName}";
        var html = $"{urls.Html}/{repo.FullName}";
        var openIssues = state.Issues.Items.Count(i => i.Repo == repo.FullName && i.State == "open");
        var body = new Dictionary<string, object?>
        {
            ["id"] = repo.Id,
            ["node_id"] = NodeId("010:Repository", repo.Id),
            ["name"] = repo.Name,
            ["full_name"] = repo.FullName,
            ["private"] = repo.Private,
            ["owner"] = User(repo.Owner),
            ["html_url"] = html,
            ["description"] = repo.Description,
            ["fork"] = false,
            ["url"] = url,
            ["forks_url"] = $"{url}/forks",
            ["keys_url"] = $"{url}/keys{{/key_id}}",
            ["collaborators_url"] = $"{url}/collaborators{{/collaborator}}",
            ["teams_url"] = $"{url}/teams",
            ["hooks_url"] = $"{url}/hooks",
            ["issue_events_url"] = $"{url}/issues/events{{/number}}",
            ["events_url"] = $"{url}/events",
            ["assignees_url"] = $"{url}/assignees{{/user}}",
            ["branches_url"] = $"{url}/branches{{/branch}}",
            ["tags_url"] = $"{url}/tags",
            ["blobs_url"] = $"{url}/git/blobs{{/sha}}",
            ["git_tags_url"] = $"{url}/git/tags{{/sha}}",
            ["git_refs_url"] = $"{url}/git/refs{{/sha}}",
            ["trees_url"] = $"{url}/git/trees{{/sha}}",
            ["statuses_url"] = $"{url}/statuses/{{sha}}",
            ["languages_url"] = $"{url}/languages",
            ["stargazers_url"] = $"{url}/stargazers",
            ["contributors_url"] = $"{url}/contributors",
            ["subscribers_url"] = $"{url}/subscribers",
            ["subscription_url"] = $"{url}/subscription",
            ["commits_url"] = $"{url}/commits{{/sha}}",
            ["git_commits_url"] = $"{url}/git/commits{{/sha}}",
            ["comments_url"] = $"{url}/comments{{/number}}",
            ["issue_comment_url"] = $"{url}/issues/comments{{/number}}",
            ["contents_url"] = $"{url}/contents/{{+path}}",
            ["compare_url"] = $"{url}/compare/{{base}}...{{head}}",
            ["merges_url"] = $"{url}/merges",
            ["archive_url"] = $"{url}/{{archive_format}}{{/ref}}",
            ["downloads_url"] = $"{url}/downloads",
            ["issues_url"] = $"{url}/issues{{/number}}",
            ["pulls_url"] = $"{url}/pulls{{/number}}",
            ["milestones_url"] = $"{url}/milestones{{/number}}",
            ["notifications_url"] = $"{url}/notifications{{?since,all,participating}}",
            ["labels_url"] = $"{url}/labels{{/name}}",
            ["releases_url"] = $"{url}/releases{{/id}}",
            ["deployments_url"] = $"{url}/deployments",
            ["created_at"] = Timestamp(repo.CreatedAt),
            ["updated_at"] = Timestamp(repo.UpdatedAt),
            ["pushed_at"] = Timestamp(repo.PushedAt),
            ["git_url"] = $"{urls.Html.Replace("http://", "git://", StringComparison.Ordinal).Replace("https://", "git://", StringComparison.Ordinal)}/{repo.FullName}.git",
            ["ssh_url"] = $"git@localhost:{repo.FullName}.git",
            ["clone_url"] = $"{html}.git",
            ["svn_url"] = html,
            ["homepage"] = repo.Homepage,
            ["size"] = state.Files.Items.Where(f => f.Repo == repo.FullName && f.Branch == repo.DefaultBranch).Sum(f => f.Size) / 1024,
            ["stargazers_count"] = repo.StargazersCount,
            ["watchers_count"] = repo.StargazersCount,
            ["language"] = repo.Language,
            ["has_issues"] = repo.HasIssues,
            ["has_projects"] = repo.HasProjects,
            ["has_downloads"] = true,
            ["has_wiki"] = repo.HasWiki,
            ["has_pages"] = false,
            ["has_discussions"] = false,
            ["forks_count"] = 0,
            ["mirror_url"] = null,
            ["archived"] = repo.Archived,
            ["disabled"] = false,
            ["open_issues_count"] = openIssues,
            ["license"] = null,
            ["allow_forking"] = true,
            ["is_template"] = repo.IsTemplate,
            ["web_commit_signoff_required"] = false,
            ["topics"] = repo.Topics.ToArray(),
            ["visibility"] = repo.Private ? "private" : "public",
            ["forks"] = 0,
            ["open_issues"] = openIssues,
            ["watchers"] = repo.StargazersCount,
            ["default_branch"] = repo.DefaultBranch,
            ["network_count"] = 0,
            ["subscribers_count"] = 1,
        };
        if (viewer is not null)
        {
            var write = state.CanWrite(viewer, repo);
            body["permissions"] = new Dictionary<string, object?>
            {
                ["admin"] = write,
                ["maintain"] = write,
                ["push"] = write,
                ["triage"] = write,
                ["pull"] = true,
            };
            if (repo.Private)
            {
                // GitHub hands readers of a private repository a short-lived clone token (docs examples and recorded
                // responses carry a 29-character base32 value); derived from repository and viewer so runs repeat.
                body["temp_clone_token"] = TempCloneToken(repo, viewer);
            }

            if (write)
            {
                body["allow_squash_merge"] = repo.AllowSquashMerge;
                body["allow_merge_commit"] = repo.AllowMergeCommit;
                body["allow_rebase_merge"] = repo.AllowRebaseMerge;
                body["allow_auto_merge"] = false;
                body["delete_branch_on_merge"] = repo.DeleteBranchOnMerge;
                body["allow_update_branch"] = false;
                body["use_squash_pr_title_as_default"] = false;
                body["squash_merge_commit_message"] = "COMMIT_MESSAGES";
                body["squash_merge_commit_title"] = "COMMIT_OR_PR_TITLE";
                body["merge_commit_message"] = "PR_TITLE";
                body["merge_commit_title"] = "MERGE_MESSAGE";
            }
        }

        if (state.Users.Find(repo.Owner) is { Type: "Organization" } org)
        {
            body["organization"] = GitHubUsers.SimpleUser(urls, org);
        }

        return body;
    }

    private static string TempCloneToken(GitHubRepo repo, GitHubUser viewer)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{repo.Id}:{viewer.Login}"));
        return string.Concat(hash.Take(29).Select(b => Alphabet[b % Alphabet.Length]));
    }

    public Dictionary<string, object?> Label(GitHubLabel label)
    {
        if (!_labels.TryGetValue(label.Id, out var view))
        {
            view = RenderLabel(label);
            _labels[label.Id] = view;
        }

        return view;
    }

    private Dictionary<string, object?> RenderLabel(GitHubLabel label) => new()
    {
        ["id"] = label.Id,
        ["node_id"] = NodeId("010:Label", label.Id),
        ["url"] = $"{urls.Api}/repos/{label.Repo}/labels/{Uri.EscapeDataString(label.Name)}",
        ["name"] = label.Name,
        ["color"] = label.Color,
        ["default"] = label.Default,
        ["description"] = label.Description,
    };

    public Dictionary<string, object?> Milestone(GitHubMilestone milestone)
    {
        var issues = state.Issues.Items.Where(i => i.Repo == milestone.Repo && i.Milestone == milestone.Number).ToList();
        var url = $"{urls.Api}/repos/{milestone.Repo}/milestones/{milestone.Number}";
        return new()
        {
            ["url"] = url,
            ["html_url"] = $"{urls.Html}/{milestone.Repo}/milestone/{milestone.Number}",
            ["labels_url"] = $"{url}/labels",
            ["id"] = milestone.Id,
            ["node_id"] = NodeId("09:Milestone", milestone.Id),
            ["number"] = milestone.Number,
            ["state"] = milestone.State,
            ["title"] = milestone.Title,
            ["description"] = milestone.Description,
            ["creator"] = UserOrNull(milestone.Creator),
            ["open_issues"] = issues.Count(i => i.State == "open"),
            ["closed_issues"] = issues.Count(i => i.State == "closed"),
            ["created_at"] = Timestamp(milestone.CreatedAt),
            ["updated_at"] = Timestamp(milestone.UpdatedAt),
            ["closed_at"] = Timestamp(milestone.ClosedAt),
            ["due_on"] = Timestamp(milestone.DueOn),
        };
    }

    public Dictionary<string, object?> Issue(GitHubIssue issue, bool withRepository = false)
    {
        var repo = state.Repos.Find(issue.Repo)!;
        var repoUrl = $"{urls.Api}/repos/{issue.Repo}";
        var url = $"{repoUrl}/issues/{issue.Number}";
        var body = new Dictionary<string, object?>
        {
            ["url"] = url,
            ["repository_url"] = repoUrl,
            ["labels_url"] = $"{url}/labels{{/name}}",
            ["comments_url"] = $"{url}/comments",
            ["events_url"] = $"{url}/events",
            ["html_url"] = $"{urls.Html}/{issue.Repo}/{(issue.IsPullRequest ? "pull" : "issues")}/{issue.Number}",
            ["id"] = issue.Id,
            ["node_id"] = NodeId(issue.IsPullRequest ? "011:PullRequest" : "05:Issue", issue.Id),
            ["number"] = issue.Number,
            ["title"] = issue.Title,
            ["user"] = User(issue.User),
            ["labels"] = IssueLabels(issue),
            ["state"] = issue.State,
            ["locked"] = issue.Locked,
            ["assignee"] = issue.Assignees.Count > 0 ? User(issue.Assignees[0]) : null,
            ["assignees"] = issue.Assignees.Select(User).ToArray(),
            ["milestone"] = issue.Milestone is { } m && state.Milestones.Find($"{issue.Repo}/milestone/{m}") is { } milestone ? Milestone(milestone) : null,
            ["comments"] = issue.Comments,
            ["created_at"] = Timestamp(issue.CreatedAt),
            ["updated_at"] = Timestamp(issue.UpdatedAt),
            ["closed_at"] = Timestamp(issue.ClosedAt),
            ["author_association"] = AuthorAssociation(issue.User, repo),
            ["active_lock_reason"] = issue.ActiveLockReason,
            ["body"] = issue.Body,
            ["closed_by"] = issue.State == "closed" ? UserOrNull(issue.ClosedBy) : null,
            ["reactions"] = Reactions($"{url}/reactions"),
            ["timeline_url"] = $"{url}/timeline",
            ["performed_via_github_app"] = null,
            ["state_reason"] = issue.StateReason,
        };
        if (issue.IsPullRequest)
        {
            var pull = state.PullRequests.Find($"{issue.Repo}#{issue.Number}");
            body["draft"] = pull?.Draft ?? false;
            body["pull_request"] = new Dictionary<string, object?>
            {
                ["url"] = $"{repoUrl}/pulls/{issue.Number}",
                ["html_url"] = $"{urls.Html}/{issue.Repo}/pull/{issue.Number}",
                ["diff_url"] = $"{urls.Html}/{issue.Repo}/pull/{issue.Number}.diff",
                ["patch_url"] = $"{urls.Html}/{issue.Repo}/pull/{issue.Number}.patch",
                ["merged_at"] = Timestamp(pull?.MergedAt),
            };
        }

        if (withRepository)
        {
            body["repository"] = Repo(repo);
        }

        return body;
    }

    public object[] IssueLabels(GitHubIssue issue) =>
        [.. issue.Labels.Select(name => state.Labels.Find($"{issue.Repo}:{name.ToUpperInvariant()}")).OfType<GitHubLabel>().Select(Label)];

    public static Dictionary<string, object?> Reactions(string url) => new()
    {
        ["url"] = url,
        ["total_count"] = 0,
        ["+1"] = 0,
        ["-1"] = 0,
        ["laugh"] = 0,
        ["hooray"] = 0,
        ["confused"] = 0,
        ["heart"] = 0,
        ["rocket"] = 0,
        ["eyes"] = 0,
    };

    public Dictionary<string, object?> Comment(GitHubComment comment)
    {
        var repo = state.Repos.Find(comment.Repo)!;
        var url = $"{urls.Api}/repos/{comment.Repo}/issues/comments/{comment.Id}";
        var isPull = state.Issues.Find($"{comment.Repo}#{comment.IssueNumber}")?.IsPullRequest ?? false;
        return new()
        {
            ["url"] = url,
            ["html_url"] = $"{urls.Html}/{comment.Repo}/{(isPull ? "pull" : "issues")}/{comment.IssueNumber}#issuecomment-{comment.Id}",
            ["issue_url"] = $"{urls.Api}/repos/{comment.Repo}/issues/{comment.IssueNumber}",
            ["id"] = comment.Id,
            ["node_id"] = NodeId("012:IssueComment", comment.Id),
            ["user"] = User(comment.User),
            ["created_at"] = Timestamp(comment.CreatedAt),
            ["updated_at"] = Timestamp(comment.UpdatedAt),
            ["author_association"] = AuthorAssociation(comment.User, repo),
            ["body"] = comment.Body,
            ["reactions"] = Reactions($"{url}/reactions"),
            ["performed_via_github_app"] = null,
        };
    }

    public Dictionary<string, object?> PullRequest(GitHubIssue issue, GitHubPullRequest pull, bool full)
    {
        var repo = state.Repos.Find(issue.Repo)!;
        var repoUrl = $"{urls.Api}/repos/{issue.Repo}";
        var url = $"{repoUrl}/pulls/{issue.Number}";
        var html = $"{urls.Html}/{issue.Repo}/pull/{issue.Number}";
        var headSha = state.FindBranch(repo, pull.Head)?.Sha ?? pull.HeadSha ?? "";
        var baseSha = state.FindBranch(repo, pull.Base)?.Sha ?? pull.BaseSha ?? "";
        var body = new Dictionary<string, object?>
        {
            ["url"] = url,
            ["id"] = pull.Id,
            ["node_id"] = NodeId("011:PullRequest", pull.Id),
            ["html_url"] = html,
            ["diff_url"] = $"{html}.diff",
            ["patch_url"] = $"{html}.patch",
            ["issue_url"] = $"{repoUrl}/issues/{issue.Number}",
            ["number"] = issue.Number,
            ["state"] = issue.State,
            ["locked"] = issue.Locked,
            ["title"] = issue.Title,
            ["user"] = User(issue.User),
            ["body"] = issue.Body,
            ["created_at"] = Timestamp(issue.CreatedAt),
            ["updated_at"] = Timestamp(issue.UpdatedAt),
            ["closed_at"] = Timestamp(issue.ClosedAt),
            ["merged_at"] = Timestamp(pull.MergedAt),
            ["merge_commit_sha"] = pull.MergeCommitSha,
            ["assignee"] = issue.Assignees.Count > 0 ? User(issue.Assignees[0]) : null,
            ["assignees"] = issue.Assignees.Select(User).ToArray(),
            ["requested_reviewers"] = pull.RequestedReviewers.Select(User).ToArray(),
            ["requested_teams"] = Array.Empty<object>(),
            ["labels"] = IssueLabels(issue),
            ["milestone"] = issue.Milestone is { } m && state.Milestones.Find($"{issue.Repo}/milestone/{m}") is { } milestone ? Milestone(milestone) : null,
            ["draft"] = pull.Draft,
            ["commits_url"] = $"{url}/commits",
            ["review_comments_url"] = $"{url}/comments",
            ["review_comment_url"] = $"{repoUrl}/pulls/comments{{/number}}",
            ["comments_url"] = $"{repoUrl}/issues/{issue.Number}/comments",
            ["statuses_url"] = $"{repoUrl}/statuses/{headSha}",
            ["head"] = Side(repo, pull.Head, pull.Merged ? pull.HeadSha ?? headSha : headSha),
            ["base"] = Side(repo, pull.Base, baseSha),
            ["_links"] = new Dictionary<string, object?>
            {
                ["self"] = Href(url),
                ["html"] = Href(html),
                ["issue"] = Href($"{repoUrl}/issues/{issue.Number}"),
                ["comments"] = Href($"{repoUrl}/issues/{issue.Number}/comments"),
                ["review_comments"] = Href($"{url}/comments"),
                ["review_comment"] = Href($"{repoUrl}/pulls/comments{{/number}}"),
                ["commits"] = Href($"{url}/commits"),
                ["statuses"] = Href($"{repoUrl}/statuses/{headSha}"),
            },
            ["author_association"] = AuthorAssociation(issue.User, repo),
            ["auto_merge"] = null,
            ["active_lock_reason"] = issue.ActiveLockReason,
        };
        if (full)
        {
            var commits = GitHubGit.CommitsBetween(state, repo, pull);
            var files = commits.SelectMany(c => c.Files).Distinct(StringComparer.Ordinal).Count();
            bool? mergeable = null;
            if (issue.State == "open" && !pull.Merged && state.FindBranch(repo, pull.Head) is { } head && state.FindBranch(repo, pull.Base) is { } target)
            {
                mergeable = GitHubGit.MergeChanges(state, repo, target.Sha, head.Sha) is not null;
            }

            body["merged"] = pull.Merged;
            body["mergeable"] = mergeable;
            body["rebaseable"] = mergeable;
            body["mergeable_state"] = mergeable switch { true => pull.Draft ? "draft" : "clean", false => "dirty", null => "unknown" };
            body["merged_by"] = UserOrNull(pull.MergedBy);
            body["comments"] = issue.Comments;
            body["review_comments"] = 0;
            body["maintainer_can_modify"] = pull.MaintainerCanModify;
            body["commits"] = commits.Count;
            body["additions"] = files;
            body["deletions"] = 0;
            body["changed_files"] = files;
        }

        return body;
    }

    private Dictionary<string, object?> Side(GitHubRepo repo, string branch, string sha) => new()
    {
        ["label"] = $"{repo.Owner}:{branch}",
        ["ref"] = branch,
        ["sha"] = sha,
        ["user"] = User(repo.Owner),
        ["repo"] = Repo(repo),
    };

    private static Dictionary<string, object?> Href(string href) => new() { ["href"] = href };

    public Dictionary<string, object?> Review(GitHubReview review)
    {
        var repo = state.Repos.Find(review.Repo)!;
        var pullUrl = $"{urls.Api}/repos/{review.Repo}/pulls/{review.PullNumber}";
        var html = $"{urls.Html}/{review.Repo}/pull/{review.PullNumber}#pullrequestreview-{review.Id}";
        var body = new Dictionary<string, object?>
        {
            ["id"] = review.Id,
            ["node_id"] = NodeId("017:PullRequestReview", review.Id),
            ["user"] = User(review.User),
            ["body"] = review.Body,
            ["state"] = review.State,
            ["html_url"] = html,
            ["pull_request_url"] = pullUrl,
            ["author_association"] = AuthorAssociation(review.User, repo),
            ["_links"] = new Dictionary<string, object?> { ["html"] = Href(html), ["pull_request"] = Href(pullUrl) },
            ["commit_id"] = review.CommitId,
        };
        if (review.SubmittedAt is { } submitted)
        {
            body["submitted_at"] = Timestamp(submitted);
        }

        return body;
    }
}
