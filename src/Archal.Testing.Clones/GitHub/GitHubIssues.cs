using Archal.Testing.Clones.Abstractions;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Issues: list, create, get, update, lock; the cross-repository listings.</summary>
internal static class GitHubIssues
{
    private const string Docs = "https://docs.github.com/rest/issues/issues";
    internal static readonly string[] StateReasons = ["completed", "not_planned", "duplicate", "reopened"];

    public static (GitHubRepo Repo, GitHubIssue Issue) Find(HttpContext http, string owner, string repo, string number)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || http.GetCloneState<GitHubState>().FindIssue(found!, n) is not { } issue)
        {
            throw new GitHubException(GitHubErrors.NotFound($"{Docs}#get-an-issue"));
        }

        return (found, issue);
    }

    public static IResult ListForRepo(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var query = http.Request.Query;
        var fullName = found!.FullName;
        IEnumerable<GitHubIssue> issues = state.Issues.Items.Where(i => i.Repo == fullName);
        if (GitHubQuery.String(query, "milestone") is { } milestone)
        {
            issues = milestone switch
            {
                "none" => issues.Where(i => i.Milestone is null),
                "*" => issues.Where(i => i.Milestone is not null),
                _ when long.TryParse(milestone, NumberStyles.None, CultureInfo.InvariantCulture, out var m) => issues.Where(i => i.Milestone == m),
                _ => [],
            };
        }

        if (GitHubQuery.String(query, "assignee") is { } assignee)
        {
            issues = assignee switch
            {
                "none" => issues.Where(i => i.Assignees.Count == 0),
                "*" => issues.Where(i => i.Assignees.Count > 0),
                _ => issues.Where(i => i.Assignees.Contains(assignee, StringComparer.OrdinalIgnoreCase)),
            };
        }

        if (GitHubQuery.String(query, "creator") is { } creator)
        {
            issues = issues.Where(i => i.User.Equals(creator, StringComparison.OrdinalIgnoreCase));
        }

        if (GitHubQuery.String(query, "mentioned") is { } mentioned)
        {
            issues = issues.Where(i => Mentions(state, i, mentioned));
        }

        if (GitHubQuery.String(query, "type") is not null)
        {
            issues = [];
        }

        var filtered = Filter(http, issues);

        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, filtered).Select(i => views.Issue(i)).ToArray());
    }

    internal static bool Mentions(GitHubState state, GitHubIssue issue, string login)
    {
        var mention = "@" + login;
        return (issue.Body?.Contains(mention, StringComparison.OrdinalIgnoreCase) ?? false)
            || state.Comments.Items.Any(c => c.Repo == issue.Repo && c.IssueNumber == issue.Number && c.Body.Contains(mention, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The filters every issue listing shares: state, labels, since, sort and direction.</summary>
    private static List<GitHubIssue> Filter(HttpContext http, IEnumerable<GitHubIssue> issues)
    {
        var query = http.Request.Query;
        var state = GitHubQuery.String(query, "state") ?? "open";
        if (state is not ("open" or "closed" or "all"))
        {
            throw new GitHubException(GitHubErrors.Validation(GitHubErrors.Invalid("Issue", "state")));
        }

        if (state != "all")
        {
            issues = issues.Where(i => i.State == state);
        }

        if (GitHubQuery.String(query, "labels") is { } labels)
        {
            var wanted = labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            issues = issues.Where(i => wanted.All(w => i.Labels.Contains(w, StringComparer.OrdinalIgnoreCase)));
        }

        if (GitHubQuery.String(query, "since") is { } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                throw new GitHubException(GitHubErrors.Validation(GitHubErrors.Invalid("Issue", "since")));
            }

            issues = issues.Where(i => i.UpdatedAt >= since);
        }

        var sort = GitHubQuery.String(query, "sort") ?? "created";
        var ascending = GitHubQuery.String(query, "direction") == "asc";
        Func<GitHubIssue, long> key = sort switch
        {
            "updated" => i => i.UpdatedAt.UtcTicks,
            "comments" => i => i.Comments,
            _ => i => i.CreatedAt.UtcTicks,
        };
        var ordered = ascending
            ? issues.OrderBy(key).ThenBy(i => i.Number)
            : issues.OrderByDescending(key).ThenByDescending(i => i.Number);
        return [.. ordered];
    }

    /// <summary><c>GET /issues</c> and <c>GET /user/issues</c>: issues across the user's repositories.</summary>
    public static IResult ListForUser(HttpContext http, bool includeOrganizations)
    {
        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        var filter = GitHubQuery.String(http.Request.Query, "filter") ?? "assigned";
        var repos = state.Repos.Items.Where(r => r.Owner == user.Login || r.Collaborators.Contains(user.Login)
                || (includeOrganizations && state.Users.Find(r.Owner) is { Type: "Organization" } org && org.Members.Contains(user.Login)))
            .Select(r => r.FullName).ToHashSet(StringComparer.Ordinal);
        var issues = state.Issues.Items.Where(i => repos.Contains(i.Repo) && filter switch
        {
            "created" => i.User == user.Login,
            "mentioned" => Mentions(state, i, user.Login),
            "subscribed" => i.User == user.Login || i.Assignees.Contains(user.Login) || Mentions(state, i, user.Login),
            "repos" or "all" => true,
            _ => i.Assignees.Contains(user.Login),
        });
        var filtered = Filter(http, issues);

        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, filtered).Select(i => views.Issue(i, withRepository: true)).ToArray());
    }

    public static IResult Get(HttpContext http, string owner, string repo, string issue_number)
    {
        var (_, issue) = Find(http, owner, repo, issue_number);
        return new GitHubResult(GitHubViews.For(http).Issue(issue!));
    }

    public static async Task<IResult> Create(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        if (!found!.HasIssues)
        {
            return GitHubErrors.Error(StatusCodes.Status410Gone, "Issues are disabled for this repo", $"{Docs}#create-an-issue");
        }

        if (found.Archived)
        {
            return GitHubErrors.Forbidden("Repository was archived so is read-only.");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var title = TitleOf(body!);
        var text = body!.String("body");
        var assignee = body.String("assignee");
        var assignees = body.Strings("assignees");
        var labels = body.Strings("labels", allowObjectsWithName: true);
        var milestone = body.Integer("milestone");
        body.String("type");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (string.IsNullOrEmpty(title))
        {
            return GitHubErrors.Validation(GitHubErrors.Missing("Issue", "title"));
        }

        var user = http.CurrentUser();
        var canWrite = state.CanWrite(user, found);
        var people = canWrite ? (assignees ?? (assignee is null ? [] : [assignee])) : [];
        if (Validate(state, found, people, canWrite ? milestone : null) is { } invalid)
        {
            return invalid;
        }

        var now = state.Time.GetUtcNow();
        var issue = state.Issues.Add(new GitHubIssue
        {
            Id = state.NextId(),
            Repo = found.FullName,
            Number = GitHubState.NextIssueNumber(found),
            Title = title,
            Body = text,
            User = user.Login,
            Labels = canWrite ? EnsureLabels(state, found, labels ?? []) : [],
            Assignees = [.. people.Select(p => state.FindUser(p)!.Login).Distinct()],
            Milestone = canWrite ? milestone : null,
            CreatedAt = now,
            UpdatedAt = now,
        });
        GitHubWebhooks.Opened(http, found, issue);
        http.Response.Headers.Location = $"{GitHubUrls.From(http).Api}/repos/{found.FullName}/issues/{issue.Number}";
        return new GitHubResult(GitHubViews.For(http).Issue(issue), StatusCodes.Status201Created);
    }

    /// <summary>GitHub accepts a string or an integer title.</summary>
    internal static string? TitleOf(JsonBody body) =>
        body.IsNumber("title") ? body.Integer("title")?.ToString(CultureInfo.InvariantCulture) : body.String("title");

    private static IResult? Validate(GitHubState state, GitHubRepo repo, IEnumerable<string> assignees, long? milestone)
    {
        foreach (var login in assignees)
        {
            var user = state.FindUser(login);
            if (user is null || !state.CanWrite(user, repo))
            {
                return GitHubErrors.Validation(GitHubErrors.InvalidValue("Issue", "assignees", login));
            }
        }

        if (milestone is { } m && state.Milestones.Find($"{repo.FullName}/milestone/{m}") is null)
        {
            return GitHubErrors.Validation(GitHubErrors.InvalidValue("Issue", "milestone", m));
        }

        return null;
    }

    /// <summary>Returns the labels' canonical names, creating missing ones as GitHub does.</summary>
    internal static List<string> EnsureLabels(GitHubState state, GitHubRepo repo, IEnumerable<string> names)
    {
        var result = new List<string>();
        foreach (var name in names.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            var label = state.FindLabel(repo, name) ?? state.Labels.Add(new GitHubLabel
            {
                Id = state.NextId(),
                Repo = repo.FullName,
                Name = name,
                Color = "ededed",
            });
            if (!result.Contains(label.Name, StringComparer.Ordinal))
            {
                result.Add(label.Name);
            }
        }

        return result;
    }

    public static async Task<IResult> Update(HttpContext http, string owner, string repo, string issue_number)
    {
        var (found, issue) = Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        var canWrite = state.CanWrite(user, found!);
        if (!canWrite && issue!.User != user.Login)
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        if (found!.Archived)
        {
            return GitHubErrors.Forbidden("Repository was archived so is read-only.");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var title = TitleOf(body!);
        var text = body!.String("body");
        var newState = body.String("state", nullable: false);
        var reason = body.String("state_reason");
        var assignee = body.String("assignee");
        var assignees = body.Strings("assignees");
        var labels = body.Strings("labels", allowObjectsWithName: true);
        var milestone = body.Integer("milestone");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (newState is not null && newState is not ("open" or "closed"))
        {
            body.FailEnum("state", newState, "open", "closed");
            return body.Error!;
        }

        if (reason is not null && !StateReasons.Contains(reason))
        {
            body.FailEnum("state_reason", reason, StateReasons);
            return body.Error!;
        }

        if (body.Has("title") && string.IsNullOrEmpty(title))
        {
            return GitHubErrors.Validation(GitHubErrors.Missing("Issue", "title"));
        }

        if (issue!.IsPullRequest && newState == "open" && state.FindPull(found, issue.Number) is { Merged: true })
        {
            return GitHubErrors.Validation(GitHubErrors.Custom("PullRequest", "state", "state cannot be changed. The pull request cannot be reopened because it has already been merged."));
        }

        var people = assignees ?? (body.Has("assignee") ? (assignee is null ? [] : [assignee]) : null);
        if (canWrite && Validate(state, found, people ?? [], body.Has("milestone") ? milestone : null) is { } invalid)
        {
            return invalid;
        }

        var now = state.Time.GetUtcNow();
        var before = GitHubWebhooks.Before(issue);
        state.Issues.Update(issue, i =>
        {
            if (title is not null) i.Title = title;
            if (body.Has("body")) i.Body = text;
            if (newState is not null && newState != i.State)
            {
                i.State = newState;
                if (newState == "closed")
                {
                    i.ClosedAt = now;
                    i.ClosedBy = user.Login;
                    i.StateReason = reason ?? "completed";
                }
                else
                {
                    i.ClosedAt = null;
                    i.ClosedBy = null;
                    i.StateReason = "reopened";
                }
            }
            else if (reason is not null && i.State == "closed" && reason != "reopened")
            {
                i.StateReason = reason;
            }

            if (canWrite)
            {
                if (people is not null) i.Assignees = [.. people.Select(p => state.FindUser(p)!.Login).Distinct()];
                if (labels is not null) i.Labels = EnsureLabels(state, found, labels);
                if (body.Has("milestone")) i.Milestone = milestone;
            }

            i.UpdatedAt = now;
        });
        GitHubWebhooks.Changed(http, found, issue, before);
        return new GitHubResult(GitHubViews.For(http).Issue(issue));
    }

    public static async Task<IResult> Lock(HttpContext http, string owner, string repo, string issue_number)
    {
        var (found, issue) = Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        if (!state.CanWrite(http.CurrentUser(), found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var reason = body!.String("lock_reason");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (reason is not null && reason is not ("off-topic" or "too heated" or "resolved" or "spam"))
        {
            body.FailEnum("lock_reason", reason, "off-topic", "too heated", "resolved", "spam");
            return body.Error!;
        }

        var before = GitHubWebhooks.Before(issue!);
        state.Issues.Update(issue!, i =>
        {
            i.Locked = true;
            i.ActiveLockReason = reason;
            i.UpdatedAt = state.Time.GetUtcNow();
        });
        GitHubWebhooks.Changed(http, found!, issue!, before);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    public static IResult Unlock(HttpContext http, string owner, string repo, string issue_number)
    {
        var (found, issue) = Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        if (!state.CanWrite(http.CurrentUser(), found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var before = GitHubWebhooks.Before(issue!);
        state.Issues.Update(issue!, i =>
        {
            i.Locked = false;
            i.ActiveLockReason = null;
            i.UpdatedAt = state.Time.GetUtcNow();
        });
        GitHubWebhooks.Changed(http, found!, issue!, before);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    public static Task<IResult> AddAssignees(HttpContext http, string owner, string repo, string issue_number) =>
        ChangeAssignees(http, owner, repo, issue_number, add: true);

    public static Task<IResult> RemoveAssignees(HttpContext http, string owner, string repo, string issue_number) =>
        ChangeAssignees(http, owner, repo, issue_number, add: false);

    /// <summary>Assignees without push access are silently ignored, as GitHub documents.</summary>
    private static async Task<IResult> ChangeAssignees(HttpContext http, string owner, string repo, string issue_number, bool add)
    {
        var (found, issue) = Find(http, owner, repo, issue_number);

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var assignees = body!.Strings("assignees");
        if (body.Error is not null)
        {
            return body.Error;
        }

        var state = http.GetCloneState<GitHubState>();
        if (state.CanWrite(http.CurrentUser(), found!) && assignees is { Count: > 0 })
        {
            var logins = assignees.Select(a => state.FindUser(a)).OfType<GitHubUser>().Where(u => state.CanWrite(u, found!)).Select(u => u.Login).ToList();
            var removed = assignees.Select(a => state.FindUser(a)?.Login ?? a).ToList();
            var before = GitHubWebhooks.Before(issue!);
            state.Issues.Update(issue!, i =>
            {
                i.Assignees = add
                    ? [.. i.Assignees.Concat(logins.Where(l => !i.Assignees.Contains(l))).Distinct().Take(10)]
                    : [.. i.Assignees.Where(a => !removed.Contains(a, StringComparer.OrdinalIgnoreCase))];
                i.UpdatedAt = state.Time.GetUtcNow();
            });
            GitHubWebhooks.Changed(http, found!, issue!, before);
        }

        return new GitHubResult(GitHubViews.For(http).Issue(issue!), add ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
