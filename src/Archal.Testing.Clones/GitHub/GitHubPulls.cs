using Archal.Testing.Clones.Abstractions;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Pull requests: create, list, get, update, merge, reviews and requested reviewers.</summary>
internal static class GitHubPulls
{
    private const string Docs = "https://docs.github.com/rest/pulls/pulls";

    private static (GitHubRepo Repo, GitHubIssue Issue, GitHubPullRequest Pull) Find(HttpContext http, string owner, string repo, string number)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || state.FindPull(found!, n) is not { } pull || state.FindIssue(found!, n) is not { } issue)
        {
            throw new GitHubException(GitHubErrors.NotFound($"{Docs}#get-a-pull-request"));
        }

        return (found, issue, pull);
    }

    private static string BranchName(string value, GitHubRepo repo)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && value[..colon].Equals(repo.Owner, StringComparison.OrdinalIgnoreCase) ? value[(colon + 1)..] : value;
    }

    public static async Task<IResult> Create(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var title = GitHubIssues.TitleOf(body!);
        var head = body!.String("head", nullable: false);
        var @base = body.String("base", nullable: false);
        var text = body.String("body");
        var draft = body.Bool("draft") ?? false;
        var maintainerCanModify = body.Bool("maintainer_can_modify") ?? true;
        body.String("head_repo");
        if (body.Error is not null)
        {
            return body.Error;
        }

        var missing = new List<GitHubErrors.ValidationItem>();
        if (string.IsNullOrEmpty(head))
        {
            missing.Add(GitHubErrors.Missing("PullRequest", "head"));
        }

        if (string.IsNullOrEmpty(@base))
        {
            missing.Add(GitHubErrors.Missing("PullRequest", "base"));
        }

        if (string.IsNullOrEmpty(title))
        {
            missing.Add(GitHubErrors.Missing("PullRequest", "title"));
        }

        if (missing.Count > 0)
        {
            return GitHubErrors.Validation([.. missing]);
        }

        var state = http.GetCloneState<GitHubState>();
        var headName = BranchName(head!, found!);
        var baseName = BranchName(@base!, found!);
        var headBranch = state.FindBranch(found!, headName);
        var baseBranch = state.FindBranch(found!, baseName);
        if (headBranch is null)
        {
            return GitHubErrors.Validation(GitHubErrors.Invalid("PullRequest", "head"));
        }

        if (baseBranch is null)
        {
            return GitHubErrors.Validation(GitHubErrors.Invalid("PullRequest", "base"));
        }

        if (GitHubGit.History(state, found!, baseBranch.Sha).Any(c => c.Sha == headBranch.Sha))
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("PullRequest", null, $"No commits between {baseName} and {headName}"));
        }

        if (state.PullRequests.Items.Any(p => p.Repo == found!.FullName && p.Head == headName && p.Base == baseName
                && state.FindIssue(found, p.Number)?.State == "open"))
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("PullRequest", null, $"A pull request already exists for {found!.Owner}:{headName}."));
        }

        var user = http.CurrentUser();
        var now = state.Time.GetUtcNow();
        var number = GitHubState.NextIssueNumber(found!);
        var issue = state.Issues.Add(new GitHubIssue
        {
            Id = state.NextId(),
            Repo = found!.FullName,
            Number = number,
            Title = title!,
            Body = text,
            User = user.Login,
            IsPullRequest = true,
            CreatedAt = now,
            UpdatedAt = now,
        });
        var pull = state.PullRequests.Add(new GitHubPullRequest
        {
            Id = state.NextId(),
            Repo = found.FullName,
            Number = number,
            Head = headName,
            Base = baseName,
            HeadSha = headBranch.Sha,
            BaseSha = baseBranch.Sha,
            Draft = draft,
            MaintainerCanModify = maintainerCanModify,
        });
        GitHubWebhooks.Opened(http, found, issue);
        var view = GitHubViews.For(http).PullRequest(issue, pull, full: true);
        http.Response.Headers.Location = (string)view["url"]!;
        return new GitHubResult(view, StatusCodes.Status201Created);
    }

    public static IResult List(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var query = http.Request.Query;
        var wanted = GitHubQuery.String(query, "state") ?? "open";
        var head = GitHubQuery.String(query, "head");
        var @base = GitHubQuery.String(query, "base");
        var pairs = state.PullRequests.Items.Where(p => p.Repo == found!.FullName)
            .Select(p => (Pull: p, Issue: state.FindIssue(found!, p.Number)!))
            .Where(x => (wanted == "all" || x.Issue.State == wanted)
                && (head is null || head == $"{found!.Owner}:{x.Pull.Head}" || head == x.Pull.Head)
                && (@base is null || @base == x.Pull.Base));
        var sort = GitHubQuery.String(query, "sort") ?? "created";
        var direction = GitHubQuery.String(query, "direction") ?? (sort == "long-running" ? "asc" : "desc");
        Func<(GitHubPullRequest Pull, GitHubIssue Issue), IComparable> key = sort switch
        {
            "updated" => x => x.Issue.UpdatedAt,
            "popularity" => x => x.Issue.Comments,
            _ => x => x.Issue.CreatedAt,
        };
        var ordered = direction == "asc" ? pairs.OrderBy(key).ThenBy(x => x.Issue.Number) : pairs.OrderByDescending(key).ThenByDescending(x => x.Issue.Number);
        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, ordered.ToList()).Select(x => views.PullRequest(x.Issue, x.Pull, full: false)).ToArray());
    }

    public static IResult Get(HttpContext http, string owner, string repo, string pull_number)
    {
        var (_, issue, pull) = Find(http, owner, repo, pull_number);
        return new GitHubResult(GitHubViews.For(http).PullRequest(issue!, pull!, full: true));
    }

    public static async Task<IResult> Update(HttpContext http, string owner, string repo, string pull_number)
    {
        var (found, issue, pull) = Find(http, owner, repo, pull_number);

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        if (!state.CanWrite(user, found!) && issue!.User != user.Login)
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var title = GitHubIssues.TitleOf(body!);
        var text = body!.String("body");
        var wanted = body.String("state", nullable: false);
        var @base = body.String("base", nullable: false);
        var maintainerCanModify = body.Bool("maintainer_can_modify");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (wanted is not null && wanted is not ("open" or "closed"))
        {
            body.FailEnum("state", wanted, "open", "closed");
            return body.Error!;
        }

        if (wanted == "open" && pull!.Merged)
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("PullRequest", "state",
                "state cannot be changed. The pull request cannot be reopened because it has already been merged."));
        }

        if (@base is not null && state.FindBranch(found!, BranchName(@base, found!)) is null)
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("PullRequest", "base", $"Proposed base branch '{@base}' was not found"));
        }

        if (pull!.Merged && @base is not null)
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("PullRequest", "base", "Cannot change the base branch of a merged pull request."));
        }

        var now = state.Time.GetUtcNow();
        var before = GitHubWebhooks.Before(issue!);
        state.Issues.Update(issue!, i =>
        {
            if (title is not null) i.Title = title;
            if (body.Has("body")) i.Body = text;
            if (wanted is not null && wanted != i.State)
            {
                i.State = wanted;
                i.ClosedAt = wanted == "closed" ? now : null;
                i.ClosedBy = wanted == "closed" ? user.Login : null;
            }

            i.UpdatedAt = now;
        });
        state.PullRequests.Update(pull, p =>
        {
            if (@base is not null) p.Base = BranchName(@base, found!);
            if (maintainerCanModify is { } m) p.MaintainerCanModify = m;
        });
        GitHubWebhooks.Changed(http, found!, issue!, before);
        return new GitHubResult(GitHubViews.For(http).PullRequest(issue!, pull, full: true));
    }

    public static IResult CheckMerged(HttpContext http, string owner, string repo, string pull_number)
    {
        var (_, _, pull) = Find(http, owner, repo, pull_number);

        return pull!.Merged
            ? Results.StatusCode(StatusCodes.Status204NoContent)
            : GitHubErrors.NotFound($"{Docs}#check-if-a-pull-request-has-been-merged");
    }

    public static async Task<IResult> Merge(HttpContext http, string owner, string repo, string pull_number)
    {
        var (found, issue, pull) = Find(http, owner, repo, pull_number);

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        if (!state.CanWrite(user, found!))
        {
            return GitHubErrors.Forbidden("Resource not accessible by personal access token");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var commitTitle = body!.String("commit_title");
        var commitMessage = body.String("commit_message");
        var sha = body.String("sha");
        var method = body.String("merge_method") ?? "merge";
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (method is not ("merge" or "squash" or "rebase"))
        {
            body.FailEnum("merge_method", method, "merge", "squash", "rebase");
            return body.Error!;
        }

        const string NotMergeable = "Pull Request is not mergeable";
        if (pull!.Merged || issue!.State != "open")
        {
            return GitHubErrors.Error(StatusCodes.Status405MethodNotAllowed, NotMergeable, $"{Docs}#merge-a-pull-request");
        }

        if (pull.Draft)
        {
            return GitHubErrors.Error(StatusCodes.Status405MethodNotAllowed, "Pull Request is still a draft", $"{Docs}#merge-a-pull-request");
        }

        var allowed = method switch { "squash" => found!.AllowSquashMerge, "rebase" => found!.AllowRebaseMerge, _ => found!.AllowMergeCommit };
        if (!allowed)
        {
            var what = method switch { "squash" => "Squash merges", "rebase" => "Rebase merges", _ => "Merge commits" };
            return GitHubErrors.Error(StatusCodes.Status405MethodNotAllowed, $"{what} are not allowed on this repository.", $"{Docs}#merge-a-pull-request");
        }

        var headBranch = state.FindBranch(found, pull.Head);
        var baseBranch = state.FindBranch(found, pull.Base);
        if (headBranch is null || baseBranch is null)
        {
            return GitHubErrors.Error(StatusCodes.Status405MethodNotAllowed, NotMergeable, $"{Docs}#merge-a-pull-request");
        }

        if (sha is not null && sha != headBranch.Sha)
        {
            return GitHubErrors.Error(StatusCodes.Status409Conflict, "Head branch was modified. Review and try the merge again.", $"{Docs}#merge-a-pull-request");
        }

        var changes = GitHubGit.MergeChanges(state, found, baseBranch.Sha, headBranch.Sha);
        if (changes is null)
        {
            return GitHubErrors.Error(StatusCodes.Status405MethodNotAllowed, "Merge conflict", $"{Docs}#merge-a-pull-request");
        }

        var now = state.Time.GetUtcNow();
        var message = method == "merge"
            ? $"{commitTitle ?? $"Merge pull request #{issue.Number} from {found.Owner}/{pull.Head}"}\n\n{commitMessage ?? issue.Title}"
            : $"{commitTitle ?? $"{issue.Title} (#{issue.Number})"}{(commitMessage is null ? "" : $"\n\n{commitMessage}")}";
        var headSha = headBranch.Sha;
        var commit = GitHubGit.Commit(state, found, pull.Base, user, message, changes, now,
            extraParents: method == "merge" ? [headSha] : null);
        state.PullRequests.Update(pull, p =>
        {
            p.Merged = true;
            p.MergedAt = now;
            p.MergedBy = user.Login;
            p.MergeCommitSha = commit.Sha;
            p.HeadSha = headSha;
            p.BaseSha = commit.Parents[0];
        });
        state.Issues.Update(issue, i =>
        {
            i.State = "closed";
            i.ClosedAt = now;
            i.ClosedBy = user.Login;
            i.UpdatedAt = now;
        });
        // A merge closes the pull request: GitHub sends pull_request "closed" with merged true.
        GitHubWebhooks.Issue(http, found, issue, "closed", null);
        if (found.DeleteBranchOnMerge && pull.Head != found.DefaultBranch)
        {
            GitHubGit.DeleteBranch(state, found, pull.Head);
        }

        return new GitHubResult(new Dictionary<string, object?>
        {
            ["sha"] = commit.Sha,
            ["merged"] = true,
            ["message"] = "Pull Request successfully merged",
        });
    }

    // ---- reviews ----

    public static IResult ListReviews(HttpContext http, string owner, string repo, string pull_number)
    {
        var (_, _, pull) = Find(http, owner, repo, pull_number);

        var state = http.GetCloneState<GitHubState>();
        var viewer = http.CurrentUserOrNull()?.Login;
        var reviews = state.Reviews.Items.Where(r => r.Repo == pull!.Repo && r.PullNumber == pull.Number && (r.State != "PENDING" || r.User == viewer))
            .OrderBy(r => r.Id).ToList();
        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, reviews).Select(views.Review).ToArray());
    }

    public static async Task<IResult> CreateReview(HttpContext http, string owner, string repo, string pull_number)
    {
        var (found, issue, pull) = Find(http, owner, repo, pull_number);

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var text = body!.String("body");
        var @event = body.String("event");
        var commitId = body.String("commit_id");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (@event is not null && @event is not ("APPROVE" or "REQUEST_CHANGES" or "COMMENT"))
        {
            body.FailEnum("event", @event, "APPROVE", "REQUEST_CHANGES", "COMMENT");
            return body.Error!;
        }

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        if (@event is "REQUEST_CHANGES" or "COMMENT" && string.IsNullOrEmpty(text))
        {
            return GitHubErrors.Unprocessable($"Body is required when the event is {@event}");
        }

        if (@event is "APPROVE" or "REQUEST_CHANGES" && issue!.User == user.Login)
        {
            return GitHubErrors.Unprocessable(@event == "APPROVE" ? "Review Can not approve your own pull request" : "Review Can not request changes on your own pull request");
        }

        if (commitId is not null && state.FindCommit(found!, commitId) is null)
        {
            return GitHubErrors.Unprocessable("Commit ID not found");
        }

        var now = state.Time.GetUtcNow();
        var review = state.Reviews.Add(new GitHubReview
        {
            Id = state.NextId(),
            Repo = found!.FullName,
            PullNumber = pull!.Number,
            User = user.Login,
            Body = text ?? "",
            State = @event switch { "APPROVE" => "APPROVED", "REQUEST_CHANGES" => "CHANGES_REQUESTED", "COMMENT" => "COMMENTED", _ => "PENDING" },
            CommitId = commitId ?? state.FindBranch(found, pull.Head)?.Sha ?? pull.HeadSha ?? "",
            SubmittedAt = @event is null ? null : now,
        });
        if (@event is not null && pull.RequestedReviewers.Contains(user.Login))
        {
            state.PullRequests.Update(pull, p => p.RequestedReviewers = [.. p.RequestedReviewers.Where(r => r != user.Login)]);
        }

        if (@event is not null)
        {
            state.Issues.Update(issue!, i => i.UpdatedAt = now);
            GitHubWebhooks.Review(http, found, issue!, pull, review, "submitted");
        }

        return new GitHubResult(GitHubViews.For(http).Review(review));
    }

    public static IResult ListRequestedReviewers(HttpContext http, string owner, string repo, string pull_number)
    {
        var (_, _, pull) = Find(http, owner, repo, pull_number);

        var views = GitHubViews.For(http);
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["users"] = pull!.RequestedReviewers.Select(views.User).ToArray(),
            ["teams"] = Array.Empty<object>(),
        });
    }

    public static Task<IResult> RequestReviewers(HttpContext http, string owner, string repo, string pull_number) =>
        ChangeReviewers(http, owner, repo, pull_number, add: true);

    public static Task<IResult> RemoveRequestedReviewers(HttpContext http, string owner, string repo, string pull_number) =>
        ChangeReviewers(http, owner, repo, pull_number, add: false);

    private static async Task<IResult> ChangeReviewers(HttpContext http, string owner, string repo, string pull_number, bool add)
    {
        var (found, issue, pull) = Find(http, owner, repo, pull_number);

        var state = http.GetCloneState<GitHubState>();
        if (!state.CanWrite(http.CurrentUser(), found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var reviewers = body!.Strings("reviewers");
        var teams = body.Strings("team_reviewers");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (reviewers is null && teams is null)
        {
            return GitHubErrors.InvalidRequest("\"reviewers\" wasn't supplied.");
        }

        reviewers ??= [];
        if (add)
        {
            if (reviewers.Any(r => r.Equals(issue!.User, StringComparison.OrdinalIgnoreCase)))
            {
                return GitHubErrors.Validation("Review cannot be requested from pull request author.");
            }

            if ((teams?.Count ?? 0) > 0 || reviewers.Any(r => state.FindUser(r) is not { } u || !state.CanWrite(u, found!)))
            {
                return GitHubErrors.Validation(
                    $"Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the {found!.FullName} repository.");
            }
        }

        var logins = reviewers.Select(r => state.FindUser(r)?.Login ?? r).ToList();
        state.PullRequests.Update(pull!, p => p.RequestedReviewers = add
            ? [.. p.RequestedReviewers.Concat(logins.Where(l => !p.RequestedReviewers.Contains(l))).Distinct()]
            : [.. p.RequestedReviewers.Where(r => !logins.Contains(r, StringComparer.OrdinalIgnoreCase))]);
        var view = GitHubViews.For(http).PullRequest(issue!, pull!, full: false);
        return new GitHubResult(view, add ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult ListCommits(HttpContext http, string owner, string repo, string pull_number)
    {
        var (found, _, pull) = Find(http, owner, repo, pull_number);

        var state = http.GetCloneState<GitHubState>();
        var views = GitHubViews.For(http);
        var commits = GitHubGit.CommitsBetween(state, found!, pull!);
        return new GitHubResult(GitHubQuery.Paginate(http, commits).Select(c => GitHubGit.CommitView(views, found!, c, withFiles: false)).ToArray());
    }

    public static IResult ListFiles(HttpContext http, string owner, string repo, string pull_number)
    {
        var (found, _, pull) = Find(http, owner, repo, pull_number);

        var state = http.GetCloneState<GitHubState>();
        var headSha = pull!.Merged ? pull.HeadSha : state.FindBranch(found!, pull.Head)?.Sha ?? pull.HeadSha;
        var baseSha = pull.Merged ? pull.BaseSha : state.FindBranch(found!, pull.Base)?.Sha ?? pull.BaseSha;
        if (headSha is null || state.FindCommit(found!, headSha) is not { } head)
        {
            return new GitHubResult(Array.Empty<object>());
        }

        var ancestor = baseSha is null ? null : GitHubGit.MergeBase(state, found!, baseSha, headSha);
        var diff = GitHubGit.Diff(GitHubViews.For(http), found!, ancestor?.Tree, head.Tree, head.Sha);
        return new GitHubResult(GitHubQuery.Paginate(http, diff).ToArray());
    }
}
