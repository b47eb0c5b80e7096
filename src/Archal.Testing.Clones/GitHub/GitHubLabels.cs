using Archal.Testing.Clones.Abstractions;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Repository labels, labels on an issue, and milestones.</summary>
internal static partial class GitHubLabels
{
    private const string Docs = "https://docs.github.com/rest/issues/labels";
    private const string MilestoneDocs = "https://docs.github.com/rest/issues/milestones";

    public static IResult List(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var labels = state.Labels.Items.Where(l => l.Repo == found!.FullName).OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, labels).Select(views.Label).ToArray());
    }

    public static IResult Get(HttpContext http, string owner, string repo, string name)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var label = http.GetCloneState<GitHubState>().FindLabel(found!, name);
        return label is null ? GitHubErrors.NotFound($"{Docs}#get-a-label") : new GitHubResult(GitHubViews.For(http).Label(label));
    }

    public static async Task<IResult> Create(HttpContext http, string owner, string repo)
    {
        var (found, body) = await GitHubRepos.FindWritableWithBodyAsync(http, owner, repo).ConfigureAwait(false);

        var name = body!.String("name", nullable: false);
        var color = body.String("color");
        var description = body.String("description");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return GitHubErrors.Validation(GitHubErrors.Missing("Label", "name"));
        }

        color = color?.TrimStart('#');
        if (color is not null && !HexColor().IsMatch(color))
        {
            return GitHubErrors.Validation(GitHubErrors.Invalid("Label", "color"));
        }

        var state = http.GetCloneState<GitHubState>();
        if (state.FindLabel(found!, name.Trim()) is not null)
        {
            return GitHubErrors.Validation(GitHubErrors.AlreadyExists("Label", "name"));
        }

        var label = state.Labels.Add(new GitHubLabel
        {
            Id = state.NextId(),
            Repo = found!.FullName,
            Name = name.Trim(),
            Color = (color ?? state.Random.NextHex(6)).ToLowerInvariant(),
            Description = description,
        });
        GitHubWebhooks.Label(http, found, label, "created");
        return new GitHubResult(GitHubViews.For(http).Label(label), StatusCodes.Status201Created);
    }

    public static async Task<IResult> Update(HttpContext http, string owner, string repo, string name)
    {
        var found = GitHubRepos.Find(http, owner, repo, write: true);

        var state = http.GetCloneState<GitHubState>();
        var label = state.FindLabel(found!, name);
        if (label is null)
        {
            return GitHubErrors.NotFound($"{Docs}#update-a-label");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var newName = body!.String("new_name") ?? body.String("name");
        var color = body.String("color")?.TrimStart('#');
        var description = body.String("description");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (color is not null && !HexColor().IsMatch(color))
        {
            return GitHubErrors.Validation(GitHubErrors.Invalid("Label", "color"));
        }

        if (newName is not null && !newName.Equals(label.Name, StringComparison.OrdinalIgnoreCase) && state.FindLabel(found!, newName) is not null)
        {
            return GitHubErrors.Validation(GitHubErrors.AlreadyExists("Label", "name"));
        }

        var oldName = label.Name;
        var (oldColor, oldDescription) = (label.Color, label.Description);
        if (newName is not null && newName != oldName)
        {
            // The key includes the name: re-add under the new key, then point issues at it.
            state.Labels.Remove($"{label.Repo}:{oldName.ToUpperInvariant()}");
            label = state.Labels.Add(new GitHubLabel
            {
                Id = label.Id,
                Repo = label.Repo,
                Name = newName,
                Color = color?.ToLowerInvariant() ?? label.Color,
                Description = body.Has("description") ? description : label.Description,
                Default = label.Default,
            });
            foreach (var issue in state.Issues.Items.Where(i => i.Repo == found!.FullName && i.Labels.Contains(oldName)).ToList())
            {
                state.Issues.Update(issue, i => i.Labels = [.. i.Labels.Select(l => l == oldName ? newName : l)]);
            }
        }
        else
        {
            state.Labels.Update(label, l =>
            {
                if (color is not null) l.Color = color.ToLowerInvariant();
                if (body.Has("description")) l.Description = description;
            });
        }

        var changes = new Dictionary<string, object?>();
        if (label.Name != oldName) changes["name"] = new Dictionary<string, object?> { ["from"] = oldName };
        if (label.Color != oldColor) changes["color"] = new Dictionary<string, object?> { ["from"] = oldColor };
        if (label.Description != oldDescription) changes["description"] = new Dictionary<string, object?> { ["from"] = oldDescription };
        GitHubWebhooks.Label(http, found!, label, "edited", changes);
        return new GitHubResult(GitHubViews.For(http).Label(label));
    }

    public static IResult Delete(HttpContext http, string owner, string repo, string name)
    {
        var found = GitHubRepos.Find(http, owner, repo, write: true);

        var state = http.GetCloneState<GitHubState>();
        var label = state.FindLabel(found!, name);
        if (label is null)
        {
            return GitHubErrors.NotFound($"{Docs}#delete-a-label");
        }

        foreach (var issue in state.Issues.Items.Where(i => i.Repo == found!.FullName && i.Labels.Contains(label.Name)).ToList())
        {
            state.Issues.Update(issue, i => i.Labels = [.. i.Labels.Where(l => l != label.Name)]);
        }

        state.Labels.Remove($"{label.Repo}:{label.Name.ToUpperInvariant()}");
        GitHubWebhooks.Label(http, found!, label, "deleted");
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    // ---- labels on an issue ----

    public static IResult ListForIssue(HttpContext http, string owner, string repo, string issue_number)
    {
        var (_, issue) = GitHubIssues.Find(http, owner, repo, issue_number);

        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, views.IssueLabels(issue!)));
    }

    public static Task<IResult> AddToIssue(HttpContext http, string owner, string repo, string issue_number) =>
        ChangeIssueLabels(http, owner, repo, issue_number, replace: false);

    public static Task<IResult> SetOnIssue(HttpContext http, string owner, string repo, string issue_number) =>
        ChangeIssueLabels(http, owner, repo, issue_number, replace: true);

    private static async Task<IResult> ChangeIssueLabels(HttpContext http, string owner, string repo, string issue_number, bool replace)
    {
        var (found, issue) = GitHubIssues.Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        if (!state.CanWrite(http.CurrentUser(), found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var body = await JsonBody.ReadAsync(http, wrapArrayAs: "labels").ConfigureAwait(false);

        var labels = body!.Strings("labels", allowObjectsWithName: true);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (labels is null && !replace)
        {
            return GitHubErrors.InvalidRequest("\"labels\" wasn't supplied.");
        }

        var names = GitHubIssues.EnsureLabels(state, found!, labels ?? []);
        var before = GitHubWebhooks.Before(issue!);
        state.Issues.Update(issue!, i =>
        {
            i.Labels = replace ? names : [.. i.Labels.Concat(names.Where(n => !i.Labels.Contains(n)))];
            i.UpdatedAt = state.Time.GetUtcNow();
        });
        GitHubWebhooks.Changed(http, found!, issue!, before);
        return new GitHubResult(GitHubViews.For(http).IssueLabels(issue!));
    }

    public static IResult RemoveFromIssue(HttpContext http, string owner, string repo, string issue_number, string name)
    {
        var (found, issue) = GitHubIssues.Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        if (!state.CanWrite(http.CurrentUser(), found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var present = issue!.Labels.FirstOrDefault(l => l.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (present is null)
        {
            return GitHubErrors.Error(StatusCodes.Status404NotFound, "Label does not exist", $"{Docs}#remove-a-label-from-an-issue");
        }

        var before = GitHubWebhooks.Before(issue);
        state.Issues.Update(issue, i =>
        {
            i.Labels = [.. i.Labels.Where(l => l != present)];
            i.UpdatedAt = state.Time.GetUtcNow();
        });
        GitHubWebhooks.Changed(http, found!, issue, before);
        return new GitHubResult(GitHubViews.For(http).IssueLabels(issue));
    }

    public static IResult ClearOnIssue(HttpContext http, string owner, string repo, string issue_number)
    {
        var (found, issue) = GitHubIssues.Find(http, owner, repo, issue_number);

        var state = http.GetCloneState<GitHubState>();
        if (!state.CanWrite(http.CurrentUser(), found!))
        {
            return GitHubErrors.Forbidden("Must have push access to repository");
        }

        var before = GitHubWebhooks.Before(issue!);
        state.Issues.Update(issue!, i =>
        {
            i.Labels = [];
            i.UpdatedAt = state.Time.GetUtcNow();
        });
        GitHubWebhooks.Changed(http, found!, issue!, before);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    // ---- milestones ----

    public static IResult ListMilestones(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var query = http.Request.Query;
        var wanted = GitHubQuery.String(query, "state") ?? "open";
        var sort = GitHubQuery.String(query, "sort") ?? "due_on";
        var descending = GitHubQuery.String(query, "direction") == "desc";
        var milestones = state.Milestones.Items.Where(m => m.Repo == found!.FullName && (wanted == "all" || m.State == wanted));
        var views = GitHubViews.For(http);
        IEnumerable<GitHubMilestone> ordered = sort == "completeness"
            ? milestones.OrderBy(m => Completeness(state, m)).ThenBy(m => m.Number)
            : milestones.OrderBy(m => m.DueOn ?? DateTimeOffset.MaxValue).ThenBy(m => m.Number);
        if (descending)
        {
            ordered = ordered.Reverse();
        }

        return new GitHubResult(GitHubQuery.Paginate(http, ordered.ToList()).Select(views.Milestone).ToArray());
    }

    private static double Completeness(GitHubState state, GitHubMilestone milestone)
    {
        var issues = state.Issues.Items.Where(i => i.Repo == milestone.Repo && i.Milestone == milestone.Number).ToList();
        return issues.Count == 0 ? 0 : issues.Count(i => i.State == "closed") / (double)issues.Count;
    }

    private static GitHubMilestone? FindMilestone(GitHubState state, GitHubRepo repo, string number) =>
        long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? state.Milestones.Find($"{repo.FullName}/milestone/{n}") : null;

    public static IResult GetMilestone(HttpContext http, string owner, string repo, string milestone_number)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var milestone = FindMilestone(http.GetCloneState<GitHubState>(), found!, milestone_number);
        return milestone is null ? GitHubErrors.NotFound($"{MilestoneDocs}#get-a-milestone") : new GitHubResult(GitHubViews.For(http).Milestone(milestone));
    }

    public static Task<IResult> CreateMilestone(HttpContext http, string owner, string repo) => SaveMilestone(http, owner, repo, null);

    public static Task<IResult> UpdateMilestone(HttpContext http, string owner, string repo, string milestone_number) =>
        SaveMilestone(http, owner, repo, milestone_number);

    private static async Task<IResult> SaveMilestone(HttpContext http, string owner, string repo, string? number)
    {
        var found = GitHubRepos.Find(http, owner, repo, write: true);

        var state = http.GetCloneState<GitHubState>();
        var existing = number is null ? null : FindMilestone(state, found!, number);
        if (number is not null && existing is null)
        {
            return GitHubErrors.NotFound($"{MilestoneDocs}#update-a-milestone");
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var title = body!.String("title", nullable: false);
        var wanted = body.String("state", nullable: false);
        var description = body.String("description");
        var dueText = body.String("due_on");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (wanted is not null && wanted is not ("open" or "closed"))
        {
            body.FailEnum("state", wanted, "open", "closed");
            return body.Error!;
        }

        DateTimeOffset? dueOn = null;
        if (dueText is not null)
        {
            if (!DateTimeOffset.TryParse(dueText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return GitHubErrors.Validation(GitHubErrors.Invalid("Milestone", "due_on"));
            }

            dueOn = parsed;
        }

        if (existing is null && string.IsNullOrWhiteSpace(title))
        {
            return GitHubErrors.Validation(GitHubErrors.Missing("Milestone", "title"));
        }

        if (title is not null && state.Milestones.Items.Any(m => m.Repo == found!.FullName && m != existing && m.Title == title))
        {
            return GitHubErrors.Validation(GitHubErrors.AlreadyExists("Milestone", "title"));
        }

        var now = state.Time.GetUtcNow();
        if (existing is null)
        {
            GitHubState.NextMilestoneNumber(found!);
            existing = state.Milestones.Add(new GitHubMilestone
            {
                Id = state.NextId(),
                Repo = found!.FullName,
                Number = found.LastMilestoneNumber,
                Title = title!,
                Description = description,
                State = wanted ?? "open",
                Creator = http.CurrentUser().Login,
                DueOn = dueOn,
                CreatedAt = now,
                UpdatedAt = now,
                ClosedAt = wanted == "closed" ? now : null,
            });
            return new GitHubResult(GitHubViews.For(http).Milestone(existing), StatusCodes.Status201Created);
        }

        state.Milestones.Update(existing, m =>
        {
            if (title is not null) m.Title = title;
            if (body.Has("description")) m.Description = description;
            if (body.Has("due_on")) m.DueOn = dueOn;
            if (wanted is not null && wanted != m.State)
            {
                m.State = wanted;
                m.ClosedAt = wanted == "closed" ? now : null;
            }

            m.UpdatedAt = now;
        });
        return new GitHubResult(GitHubViews.For(http).Milestone(existing));
    }

    public static IResult DeleteMilestone(HttpContext http, string owner, string repo, string milestone_number)
    {
        var found = GitHubRepos.Find(http, owner, repo, write: true);

        var state = http.GetCloneState<GitHubState>();
        var milestone = FindMilestone(state, found!, milestone_number);
        if (milestone is null)
        {
            return GitHubErrors.NotFound($"{MilestoneDocs}#delete-a-milestone");
        }

        foreach (var issue in state.Issues.Items.Where(i => i.Repo == found!.FullName && i.Milestone == milestone.Number).ToList())
        {
            state.Issues.Update(issue, i => i.Milestone = null);
        }

        state.Milestones.Remove($"{milestone.Repo}/milestone/{milestone.Number}");
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    [GeneratedRegex("^[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}
