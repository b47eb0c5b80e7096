using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary><c>GET /search/issues</c> and <c>GET /search/repositories</c> over the session's visible data.</summary>
internal static class GitHubSearch
{
    private const int MaxResults = 1000;

    private static IResult MissingQuery() =>
        GitHubErrors.Validation(new GitHubErrors.ValidationItem("Search", "q", "missing", null, null));

    public static IResult Issues(HttpContext http)
    {
        var q = http.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(q))
        {
            return MissingQuery();
        }

        var state = http.GetCloneState<GitHubState>();
        var viewer = http.CurrentUserOrNull();
        var query = GitHubSearchQuery.Parse(q);
        var scored = new List<(GitHubIssue Issue, double Score)>();
        foreach (var issue in state.Issues.Items)
        {
            var repo = state.Repos.Find(issue.Repo);
            if (repo is null || !state.CanRead(viewer, repo) || !MatchesIssue(state, query, issue, repo, viewer))
            {
                continue;
            }

            var score = TextScore(state, query, issue);
            if (score is not null)
            {
                scored.Add((issue, score.Value));
            }
        }

        var sort = http.Request.Query["sort"].ToString();
        var ascending = http.Request.Query["order"].ToString() == "asc";
        var inline = query.All("sort").LastOrDefault()?.Value;
        if (sort.Length == 0 && inline is not null)
        {
            var dash = inline.LastIndexOf('-');
            sort = dash > 0 ? inline[..dash] : inline;
            ascending = dash > 0 && inline[(dash + 1)..] == "asc";
        }

        Func<(GitHubIssue Issue, double Score), IComparable> key = sort switch
        {
            "created" => x => x.Issue.CreatedAt,
            "updated" => x => x.Issue.UpdatedAt,
            "comments" or "interactions" => x => x.Issue.Comments,
            _ => x => x.Score,
        };
        var ordered = ascending
            ? scored.OrderBy(key).ThenBy(x => x.Issue.Id)
            : scored.OrderByDescending(key).ThenByDescending(x => x.Issue.UpdatedAt).ThenByDescending(x => x.Issue.Id);
        var all = ordered.ToList();
        var page = GitHubQuery.Paginate(http, all.Take(MaxResults).ToList());
        var views = GitHubViews.For(http);
        // "search_type" is required by GitHub's OpenAPI description of /search/issues. The clone searches lexically
        // only, so that is what it reports (also for search_type=semantic|hybrid). It follows "items": Octokit's
        // paginate deletes total_count and incomplete_results and takes the first remaining key as the page's list.
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["total_count"] = all.Count,
            ["incomplete_results"] = false,
            ["items"] = page.Select(x =>
            {
                var item = views.Issue(x.Issue);
                item["score"] = x.Score;
                return item;
            }).ToArray(),
            ["search_type"] = "lexical",
        });
    }

    private static bool MatchesIssue(GitHubState state, GitHubSearchQuery query, GitHubIssue issue, GitHubRepo repo, GitHubUser? viewer)
    {
        var labelGroups = new List<(string[] Names, bool Negated)>();
        foreach (var qualifier in query.Qualifiers)
        {
            var value = qualifier.Value;
            var match = qualifier.Key switch
            {
                "repo" => repo.FullName.Equals(value, StringComparison.OrdinalIgnoreCase),
                "org" or "user" or "owner" => repo.Owner.Equals(value, StringComparison.OrdinalIgnoreCase),
                "is" => value.ToLowerInvariant() switch
                {
                    "open" => issue.State == "open",
                    "closed" => issue.State == "closed",
                    "issue" => !issue.IsPullRequest,
                    "pr" or "pull-request" => issue.IsPullRequest,
                    "merged" => issue.IsPullRequest && state.FindPull(repo, issue.Number) is { Merged: true },
                    "unmerged" => issue.IsPullRequest && state.FindPull(repo, issue.Number) is { Merged: false },
                    "draft" => issue.IsPullRequest && state.FindPull(repo, issue.Number) is { Draft: true },
                    "locked" => issue.Locked,
                    "unlocked" => !issue.Locked,
                    "public" => !repo.Private,
                    "private" => repo.Private,
                    _ => true,
                },
                "state" => issue.State.Equals(value, StringComparison.OrdinalIgnoreCase),
                "type" => value.ToLowerInvariant() switch { "issue" => !issue.IsPullRequest, "pr" or "pull-request" => issue.IsPullRequest, _ => true },
                "reason" => (issue.StateReason ?? "").Replace('_', ' ').Equals(value.Replace('_', ' ').Replace('-', ' '), StringComparison.OrdinalIgnoreCase),
                "label" => LabelMatch(issue, value),
                "no" => value.ToLowerInvariant() switch
                {
                    "label" => issue.Labels.Count == 0,
                    "assignee" => issue.Assignees.Count == 0,
                    "milestone" => issue.Milestone is null,
                    _ => true,
                },
                "author" => issue.User.Equals(Me(value, viewer), StringComparison.OrdinalIgnoreCase),
                "assignee" => issue.Assignees.Contains(Me(value, viewer), StringComparer.OrdinalIgnoreCase),
                "mentions" => GitHubIssues.Mentions(state, issue, Me(value, viewer)),
                "commenter" => state.Comments.Items.Any(c => c.Repo == issue.Repo && c.IssueNumber == issue.Number && c.User.Equals(Me(value, viewer), StringComparison.OrdinalIgnoreCase)),
                "involves" => Involves(state, issue, Me(value, viewer)),
                "milestone" => issue.Milestone is { } m && state.Milestones.Find($"{issue.Repo}/milestone/{m}") is { } ms && ms.Title.Equals(value, StringComparison.OrdinalIgnoreCase),
                "created" => GitHubSearchQuery.MatchesDate(issue.CreatedAt, value),
                "updated" => GitHubSearchQuery.MatchesDate(issue.UpdatedAt, value),
                "closed" => issue.ClosedAt is { } closed && GitHubSearchQuery.MatchesDate(closed, value),
                "merged" => state.FindPull(repo, issue.Number)?.MergedAt is { } merged && GitHubSearchQuery.MatchesDate(merged, value),
                "comments" => GitHubSearchQuery.MatchesRange(issue.Comments, value),
                "head" => state.FindPull(repo, issue.Number)?.Head.Equals(value, StringComparison.OrdinalIgnoreCase) ?? false,
                "base" => state.FindPull(repo, issue.Number)?.Base.Equals(value, StringComparison.OrdinalIgnoreCase) ?? false,
                "draft" => state.FindPull(repo, issue.Number)?.Draft == (value == "true"),
                _ => true,
            };
            if (match == qualifier.Negated)
            {
                return false;
            }
        }

        return true;
    }

    // label:a,b means a OR b; repeated label: qualifiers AND together.
    private static bool LabelMatch(GitHubIssue issue, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(name => issue.Labels.Contains(name, StringComparer.OrdinalIgnoreCase));

    private static string Me(string value, GitHubUser? viewer) => value == "@me" && viewer is not null ? viewer.Login : value;

    private static bool Involves(GitHubState state, GitHubIssue issue, string login) =>
        issue.User.Equals(login, StringComparison.OrdinalIgnoreCase)
        || issue.Assignees.Contains(login, StringComparer.OrdinalIgnoreCase)
        || GitHubIssues.Mentions(state, issue, login)
        || state.Comments.Items.Any(c => c.Repo == issue.Repo && c.IssueNumber == issue.Number && c.User.Equals(login, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when a free-text term does not match; otherwise a relevance score (1 with no terms).</summary>
    private static double? TextScore(GitHubState state, GitHubSearchQuery query, GitHubIssue issue)
    {
        if (query.Terms.Count == 0)
        {
            return 1.0;
        }

        var scopes = query.All("in").Select(q => q.Value.ToLowerInvariant()).SelectMany(v => v.Split(',')).ToHashSet();
        var inTitle = scopes.Count == 0 || scopes.Contains("title");
        var inBody = scopes.Count == 0 || scopes.Contains("body");
        var inComments = scopes.Count == 0 || scopes.Contains("comments");
        double score = 0;
        foreach (var term in query.Terms)
        {
            var hit = 0.0;
            if (inTitle && issue.Title.Contains(term, StringComparison.OrdinalIgnoreCase))
            {
                hit += 2;
            }

            if (inBody && (issue.Body?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false))
            {
                hit += 1;
            }

            if (inComments && hit == 0 && state.Comments.Items.Any(c => c.Repo == issue.Repo && c.IssueNumber == issue.Number
                    && c.Body.Contains(term, StringComparison.OrdinalIgnoreCase)))
            {
                hit += 0.5;
            }

            if (hit == 0)
            {
                return null;
            }

            score += hit;
        }

        return score;
    }

    public static IResult Repositories(HttpContext http)
    {
        var q = http.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(q))
        {
            return MissingQuery();
        }

        var state = http.GetCloneState<GitHubState>();
        var viewer = http.CurrentUserOrNull();
        var query = GitHubSearchQuery.Parse(q);
        var scopes = query.All("in").SelectMany(v => v.Value.ToLowerInvariant().Split(',')).ToHashSet();
        var results = new List<(GitHubRepo Repo, double Score)>();
        foreach (var repo in state.Repos.Items.Where(r => state.CanRead(viewer, r)))
        {
            var ok = query.Qualifiers.All(qualifier =>
            {
                var value = qualifier.Value;
                var match = qualifier.Key switch
                {
                    "repo" => repo.FullName.Equals(value, StringComparison.OrdinalIgnoreCase),
                    "org" or "user" or "owner" => repo.Owner.Equals(Me(value, viewer), StringComparison.OrdinalIgnoreCase),
                    "is" => value.ToLowerInvariant() switch
                    {
                        "public" => !repo.Private,
                        "private" => repo.Private,
                        "archived" => repo.Archived,
                        "template" => repo.IsTemplate,
                        _ => true,
                    },
                    "archived" => repo.Archived == (value == "true"),
                    "language" => string.Equals(repo.Language, value, StringComparison.OrdinalIgnoreCase),
                    "topic" => repo.Topics.Contains(value, StringComparer.OrdinalIgnoreCase),
                    "stars" => GitHubSearchQuery.MatchesRange(repo.StargazersCount, value),
                    "created" => GitHubSearchQuery.MatchesDate(repo.CreatedAt, value),
                    "pushed" => GitHubSearchQuery.MatchesDate(repo.PushedAt, value),
                    "fork" => value != "only",
                    _ => true,
                };
                return match != qualifier.Negated;
            });
            if (!ok)
            {
                continue;
            }

            double score = query.Terms.Count == 0 ? 1 : 0;
            foreach (var term in query.Terms)
            {
                var hit = 0.0;
                if ((scopes.Count == 0 || scopes.Contains("name")) && repo.Name.Contains(term, StringComparison.OrdinalIgnoreCase))
                {
                    hit += 2;
                }

                if ((scopes.Count == 0 || scopes.Contains("description")) && (repo.Description?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false))
                {
                    hit += 1;
                }

                if ((scopes.Count == 0 || scopes.Contains("topics")) && repo.Topics.Any(t => t.Contains(term, StringComparison.OrdinalIgnoreCase)))
                {
                    hit += 1;
                }

                if (hit == 0)
                {
                    score = -1;
                    break;
                }

                score += hit;
            }

            if (score >= 0)
            {
                results.Add((repo, score));
            }
        }

        var sort = http.Request.Query["sort"].ToString();
        var ascending = http.Request.Query["order"].ToString() == "asc";
        Func<(GitHubRepo Repo, double Score), IComparable> key = sort switch
        {
            "stars" => x => x.Repo.StargazersCount,
            "updated" => x => x.Repo.UpdatedAt,
            "forks" or "help-wanted-issues" => x => 0,
            _ => x => x.Score,
        };
        var ordered = (ascending ? results.OrderBy(key) : results.OrderByDescending(key)).ThenBy(x => x.Repo.FullName, StringComparer.Ordinal).ToList();
        var page = GitHubQuery.Paginate(http, ordered.Take(MaxResults).ToList());
        var views = GitHubViews.For(http);
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["total_count"] = ordered.Count,
            ["incomplete_results"] = false,
            ["items"] = page.Select(x =>
            {
                var item = views.Repo(x.Repo);
                item["score"] = x.Score;
                return item;
            }).ToArray(),
        });
    }
}
