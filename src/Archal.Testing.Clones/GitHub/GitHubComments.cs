using Archal.Testing.Clones.Abstractions;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Issue comments: per issue, per repository, and by id.</summary>
internal static class GitHubComments
{
    private const string Docs = "https://docs.github.com/rest/issues/comments";

    public static IResult ListForIssue(HttpContext http, string owner, string repo, string issue_number)
    {
        var (_, issue) = GitHubIssues.Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        var since = GitHubQuery.Timestamp(http.Request.Query, "since");
        var comments = state.Comments.Items
            .Where(c => c.Repo == issue!.Repo && c.IssueNumber == issue.Number && (since is null || c.UpdatedAt >= since))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToList();
        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, comments).Select(views.Comment).ToArray());
    }

    public static IResult ListForRepo(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var query = http.Request.Query;
        var since = GitHubQuery.Timestamp(query, "since");
        var sort = GitHubQuery.String(query, "sort") ?? "created";
        var descending = GitHubQuery.String(query, "direction") == "desc";
        var comments = state.Comments.Items.Where(c => c.Repo == found!.FullName && (since is null || c.UpdatedAt >= since));
        Func<GitHubComment, DateTimeOffset> key = sort == "updated" ? c => c.UpdatedAt : c => c.CreatedAt;
        var ordered = descending ? comments.OrderByDescending(key).ThenByDescending(c => c.Id) : comments.OrderBy(key).ThenBy(c => c.Id);
        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, ordered.ToList()).Select(views.Comment).ToArray());
    }

    private static (GitHubRepo Repo, GitHubComment Comment) Find(HttpContext http, string owner, string repo, string comment_id)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        if (!long.TryParse(comment_id, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || state.Comments.Find(comment_id) is not { } comment || comment.Repo != found!.FullName)
        {
            throw new GitHubException(GitHubErrors.NotFound($"{Docs}#get-an-issue-comment"));
        }

        return (found, comment);
    }

    public static IResult Get(HttpContext http, string owner, string repo, string comment_id)
    {
        var (_, comment) = Find(http, owner, repo, comment_id);
        return new GitHubResult(GitHubViews.For(http).Comment(comment!));
    }

    private static async Task<string> ReadBody(HttpContext http)
    {
        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);
        var text = body.String("body", nullable: false);
        body.ThrowIfInvalid();

        return string.IsNullOrEmpty(text)
            ? throw new GitHubException(GitHubErrors.Validation(GitHubErrors.Missing("IssueComment", "body")))
            : text;
    }

    public static async Task<IResult> Create(HttpContext http, string owner, string repo, string issue_number)
    {
        var (found, issue) = GitHubIssues.Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        if (found!.Archived)
        {
            return GitHubErrors.Forbidden("Repository was archived so is read-only.");
        }

        if (issue!.Locked && !state.CanWrite(user, found))
        {
            return GitHubErrors.Forbidden("Unable to create comment because issue is locked.");
        }

        var text = await ReadBody(http).ConfigureAwait(false);

        var now = state.Time.GetUtcNow();
        var comment = state.Comments.Add(new GitHubComment
        {
            Id = state.NextId(),
            Repo = found.FullName,
            IssueNumber = issue.Number,
            Body = text!,
            User = user.Login,
            CreatedAt = now,
            UpdatedAt = now,
        });
        state.Issues.Update(issue, i =>
        {
            i.Comments++;
            i.UpdatedAt = now;
        });
        GitHubWebhooks.Comment(http, found, comment, "created");
        var view = GitHubViews.For(http).Comment(comment);
        http.Response.Headers.Location = (string)view["url"]!;
        return new GitHubResult(view, StatusCodes.Status201Created);
    }

    public static async Task<IResult> Update(HttpContext http, string owner, string repo, string comment_id)
    {
        var (found, comment) = Find(http, owner, repo, comment_id);

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        if (comment!.User != user.Login && !state.CanWrite(user, found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var text = await ReadBody(http).ConfigureAwait(false);

        var previous = comment.Body;
        state.Comments.Update(comment, c =>
        {
            c.Body = text!;
            c.UpdatedAt = state.Time.GetUtcNow();
        });
        GitHubWebhooks.Comment(http, found!, comment, "edited", previous);
        return new GitHubResult(GitHubViews.For(http).Comment(comment));
    }

    public static IResult Delete(HttpContext http, string owner, string repo, string comment_id)
    {
        var (found, comment) = Find(http, owner, repo, comment_id);

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        if (comment!.User != user.Login && !state.CanWrite(user, found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        state.Comments.Remove(comment_id);
        if (state.FindIssue(found!, comment.IssueNumber) is { } issue)
        {
            state.Issues.Update(issue, i => i.Comments = Math.Max(0, i.Comments - 1));
        }

        GitHubWebhooks.Comment(http, found!, comment, "deleted");

        return Results.StatusCode(StatusCodes.Status204NoContent);
    }
}
