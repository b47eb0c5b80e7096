using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using static Archal.Testing.Clones.Abstractions.SnapshotFields;

namespace Archal.Testing.Clones.GitHub;

/// <summary>GitHub's words for [D] criteria, its seed-file checks and its secrets.</summary>
internal static class GitHubVocabulary
{
    // Declared before Vocabulary: static fields initialize in order.
    private static readonly string[] RepoFields = ["repo", "repository", "repo_full_name", "full_name"];

    private static readonly string[] IssueNumberFields = ["issue_number", "issue", "number"];

    private static readonly EntityRelation Repo = new("repo", ["repo", "repository"])
    {
        Prepositions = ["in", "on", "for", "from", "of"],
        Values = (o, _) => [Str(o, RepoFields)],
        Shape = value => value.Contains('/', StringComparison.Ordinal),
        Missing = "do not belong to a repository",
    };

    private static readonly EntityChildren Comments = new("comment", CommentBelongsTo) { CountField = "comments" };

    public static CloneVocabulary Vocabulary { get; } = new()
    {
        Kinds =
        [
            new("issue", ["issue"], ["issue", "issues", "ticket", "tickets"])
            {
                Key = o => $"{Str(o, RepoFields)}#{Str(o, "number")}",
                Where = o => !IsPullRequest(o),
                Describe = o => $"{Str(o, RepoFields)}#{Str(o, "number")} \"{Str(o, "title")}\" ({Str(o, "state")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["title"] = ["title"], ["body"] = ["body"], ["state"] = ["state"], ["text"] = ["title", "body"], ["name"] = ["title"], ["number"] = ["number"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["open"] = o => Is(o, "state", "open"),
                    ["closed"] = o => Is(o, "state", "closed"),
                    ["locked"] = o => Bool(o, "locked"),
                },
                Labels = o => Names(o, "labels"),
                Relations = [Repo],
                Author = o => Str(o, "user", "author"),
                Children = Comments,
            },
            // A pull request is an issue row (title, state, labels) joined with its pull_request row (merged, head, base).
            new("pull request", ["issue"], ["pull request", "pull requests", "pr", "prs"])
            {
                Key = o => $"{Str(o, RepoFields)}#{Str(o, "number")}",
                Where = IsPullRequest,
                JoinTable = "pull_request",
                Describe = o => $"{Str(o, RepoFields)}#{Str(o, "number")} \"{Str(o, "title")}\" ({Str(o, "state")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["title"] = ["title"], ["body"] = ["body"], ["text"] = ["title", "body"], ["name"] = ["title"], ["number"] = ["number"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["open"] = o => Is(o, "state", "open"),
                    ["closed"] = o => Is(o, "state", "closed"),
                    ["merged"] = o => Bool(o, "merged") || Present(o, "merged_at") || Present(o["pull_request"] as JsonObject, "merged_at"),
                    ["draft"] = o => Bool(o, "draft"),
                },
                Labels = o => Names(o, "labels"),
                Relations = [Repo],
                Author = o => Str(o, "user", "author"),
                Children = Comments,
            },
            new("comment", ["comment"], ["comment", "comments", "reply", "replies"])
            {
                Key = o => Str(o, "id", "node_id") is { Length: > 0 } id ? id : $"{Str(o, RepoFields)}#{Str(o, IssueNumberFields)}:{Str(o, "body")}",
                Describe = o => $"comment on {Str(o, RepoFields)}#{Str(o, IssueNumberFields)} by {Str(o, "user", "author")}: \"{Clip(Str(o, "body"))}\"",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["body"] = ["body"], ["text"] = ["body"] },
                Relations = [Repo],
                Author = o => Str(o, "user", "author"),
            },
            new("label", ["label"], ["label", "labels"])
            {
                Key = o => $"{Str(o, RepoFields)}:{Str(o, "name")}",
                Describe = o => $"label \"{Str(o, "name")}\" in {Str(o, RepoFields)}",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["color"] = ["color"], ["description"] = ["description"], ["text"] = ["name", "description"] },
                Relations = [Repo],
            },
            new("repository", ["repo"], ["repository", "repositories", "repo", "repos"])
            {
                Key = FullName,
                Describe = FullName,
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["name", "full_name"], ["title"] = ["name"], ["description"] = ["description"], ["text"] = ["name", "description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["private"] = o => Bool(o, "private"),
                    ["public"] = o => !Bool(o, "private"),
                    ["archived"] = o => Bool(o, "archived"),
                },
                Relations = [Repo with { Values = (o, _) => [FullName(o)] }],
            },
            new("branch", ["branch"], ["branch", "branches"])
            {
                Key = o => $"{Str(o, RepoFields)}:{Str(o, "name")}",
                Describe = o => $"branch {Str(o, "name")} in {Str(o, RepoFields)}",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal) { ["protected"] = o => Bool(o, "protected") },
                Relations = [Repo],
            },
            new("milestone", ["milestone"], ["milestone", "milestones"])
            {
                Key = o => $"{Str(o, RepoFields)}:{Str(o, "number", "title")}",
                Describe = o => $"milestone \"{Str(o, "title")}\" in {Str(o, RepoFields)}",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["title"] = ["title"], ["name"] = ["title"], ["text"] = ["title", "description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal) { ["open"] = o => Is(o, "state", "open"), ["closed"] = o => Is(o, "state", "closed") },
                Relations = [Repo],
            },
        ],
        Examples =
        [
            "Exactly 4 issues are closed",
            "Exactly 4 issues were closed",
            "At least 1 comment was posted",
            "3 pull requests were merged",
            "The issue titled \"Fix login\" is closed",
            "A label named \"stale\" exists",
            "An issue titled \"hello world\" exists",
            "Zero issues remain open",
            "No issues with label \"keep-open\" were closed",
            "All closed issues have a new comment",
            "Issues with label \"keep-open\" remain open",
            "The repository acme/webapp exists",
        ],
    };

    /// <summary>GitHub's token shapes: classic and fine-grained personal access tokens, app and OAuth tokens.</summary>
    public static CloneSecrets Secrets { get; } = new()
    {
        TokenPatterns = [@"gh[pousr]_[A-Za-z0-9]{20,}", @"github_pat_[A-Za-z0-9_]{20,}"],
    };

    /// <summary>On the empty seed, issues, labels and pull requests name repositories the file declares.</summary>
    public static IReadOnlyList<string> CheckSeedData(JsonObject data, string baseSeed)
    {
        // An exported state declares its own world; entries on top of it are checked when the session is seeded.
        if (baseSeed != "empty" || data.ContainsKey("state"))
        {
            return [];
        }

        var problems = new List<string>();
        var repos = Rows(data, "repos").Select(r => r["full_name"]?.ToString() ?? $"{r["owner"]}/{r["name"]}").ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var table in new[] { "issues", "labels", "pulls", "pull_requests" })
        {
            foreach (var (row, i) in Rows(data, table).Select((r, i) => (r, i)))
            {
                if (row["repo"]?.ToString() is { } repo && !repos.Contains(repo))
                {
                    problems.Add(SeedFileCheck.Missing($"github.{table}[{i}].repo '{repo}' is not declared in github.repos", repos));
                }
            }
        }

        return problems;
    }

    private static string FullName(JsonObject o) => Str(o, "full_name") is { Length: > 0 } full ? full : $"{Str(o, "owner")}/{Str(o, "name")}";

    private static bool IsPullRequest(JsonObject o) =>
        Bool(o, "is_pull_request") || (Get(o, "pull_request") is { } pr && pr.GetValueKind() is not (JsonValueKind.False or JsonValueKind.Null));

    private static bool CommentBelongsTo(JsonObject comment, JsonObject issue) =>
        Str(comment, IssueNumberFields) == Str(issue, "number")
        && (Str(comment, RepoFields) is not { Length: > 0 } commentRepo || string.Equals(commentRepo, Str(issue, RepoFields), StringComparison.OrdinalIgnoreCase));
}
