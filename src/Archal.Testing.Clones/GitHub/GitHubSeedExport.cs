using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.GitHub;

/// <summary>
/// A GitHub session's state as seed data (<see cref="GitHubClone.ExportSeedData"/>) and back (<see cref="GitHubSeeds"/> reads
/// <c>state</c> in place of its named seed): every table as snapshots show it (absolute times, ids, numbers, relations by
/// key), the git blob store, and the bookkeeping a session continues from (the last id, each repository's last issue and
/// milestone number, token mappings, rate limits, renamed repositories).
/// </summary>
/// <remarks>
/// Not carried: webhook secrets (credentials stay out of files, as GitHub's own API never returns them: a loaded hook has
/// no secret), rate-limit windows in progress, and the random source's position (shas made after a load differ).
/// </remarks>
internal static class GitHubSeedExport
{
    private const string Clone = "GitHub";

    public static JsonObject Export(GitHubState state)
    {
        var exported = new JsonObject
        {
            ["tables"] = SeedDataExport.Tables(state, new Dictionary<string, Func<JsonArray>> { ["hook"] = () => Hooks(state) }),
            ["last_id"] = state.LastId,
            ["issue_numbers"] = new JsonObject([.. state.Repos.Items.Select(r => KeyValuePair.Create(r.FullName, (JsonNode?)r.LastIssueNumber))]),
            ["milestone_numbers"] = new JsonObject([.. state.Repos.Items.Select(r => KeyValuePair.Create(r.FullName, (JsonNode?)r.LastMilestoneNumber))]),
            ["blobs"] = new JsonObject([.. state.Blobs.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)Convert.ToBase64String(b.Value)))]),
            ["default_login"] = state.DefaultLogin,
            ["token_logins"] = new JsonObject([.. state.TokenLogins.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
            ["revoked_tokens"] = new JsonArray([.. state.RevokedTokens.Select(t => (JsonNode?)t)]),
            ["rate_limit"] = state.RateLimit,
            ["user_rate_limits"] = new JsonObject([.. state.UserRateLimits.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)u.Value))]),
            ["search_rate_limit"] = state.SearchRateLimit,
            ["renamed_repos"] = new JsonObject([.. state.RenamedRepos.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]),
        };
        return new JsonObject { [SeedDataExport.Key] = exported };
    }

    // The snapshot row says only whether a hook has a secret; the export keeps every other field (times, SSL setting).
    private static JsonArray Hooks(GitHubState state) =>
        [.. state.Hooks.Items.Select(hook =>
        {
            var row = (JsonObject)JsonSerializer.SerializeToNode(hook, CloneJson.SnakeCase)!;
            row.Remove("secret");
            row.Remove("key");
            return (JsonNode?)row;
        })];

    public static void Load(GitHubState state, JsonObject exported)
    {
        foreach (var row in Rows(exported, "user"))
        {
            state.Users.Add(SeedDataExport.Read<GitHubUser>(row, "user", Clone));
        }

        var issueNumbers = SeedDataExport.Value(exported, "issue_numbers", new Dictionary<string, long>(), Clone);
        var milestoneNumbers = SeedDataExport.Value(exported, "milestone_numbers", new Dictionary<string, long>(), Clone);
        foreach (var row in Rows(exported, "repo"))
        {
            var repo = SeedDataExport.Read<GitHubRepo>(row, "repo", Clone);
            repo.LastIssueNumber = issueNumbers.GetValueOrDefault(repo.FullName);
            repo.LastMilestoneNumber = milestoneNumbers.GetValueOrDefault(repo.FullName);
            state.Repos.Add(repo);
        }

        Add(state.Labels, exported, "label");
        Add(state.Milestones, exported, "milestone");
        Add(state.Issues, exported, "issue");
        Add(state.PullRequests, exported, "pull_request");
        Add(state.Comments, exported, "comment");
        Add(state.Reviews, exported, "review");
        Add(state.Branches, exported, "branch");
        foreach (var row in Rows(exported, "commit"))
        {
            var commit = SeedDataExport.Read<GitHubCommit>(row, "commit", Clone);
            // The tree is ordered by ordinal path, as git orders it; the serializer would build it with the default comparer.
            state.Commits.Add(new GitHubCommit
            {
                Repo = commit.Repo,
                Sha = commit.Sha,
                TreeSha = commit.TreeSha,
                Message = commit.Message,
                Author = commit.Author,
                AuthorName = commit.AuthorName,
                AuthorEmail = commit.AuthorEmail,
                Branch = commit.Branch,
                Parents = commit.Parents,
                Files = commit.Files,
                Tree = new SortedDictionary<string, string>(commit.Tree, StringComparer.Ordinal),
                Date = commit.Date,
            });
        }

        Add(state.Files, exported, "file");
        Add(state.Hooks, exported, "hook");

        foreach (var (sha, content) in SeedDataExport.Value(exported, "blobs", new Dictionary<string, string>(), Clone))
        {
            try
            {
                state.Blobs[sha] = Convert.FromBase64String(content);
            }
            catch (FormatException e)
            {
                throw new CloneSeedException($"GitHub seed data: {SeedDataExport.Key}.blobs['{sha}'] is not base64.", e);
            }
        }

        state.LastId = Math.Max(SeedDataExport.Value(exported, "last_id", 0L, Clone), state.LastId);
        state.DefaultLogin = SeedDataExport.Value(exported, "default_login", state.DefaultLogin, Clone);
        foreach (var (token, login) in SeedDataExport.Value(exported, "token_logins", new Dictionary<string, string>(), Clone))
        {
            state.TokenLogins[token] = login;
        }

        state.RevokedTokens.UnionWith(SeedDataExport.Value(exported, "revoked_tokens", Array.Empty<string>(), Clone));
        state.RateLimit = SeedDataExport.Value(exported, "rate_limit", state.RateLimit, Clone);
        foreach (var (login, limit) in SeedDataExport.Value(exported, "user_rate_limits", new Dictionary<string, int>(), Clone))
        {
            state.UserRateLimits[login] = limit;
        }

        state.SearchRateLimit = SeedDataExport.Value(exported, "search_rate_limit", state.SearchRateLimit, Clone);
        foreach (var (name, id) in SeedDataExport.Value(exported, "renamed_repos", new Dictionary<string, long>(), Clone))
        {
            state.RenamedRepos[name] = id;
        }
    }

    private static IEnumerable<JsonObject> Rows(JsonObject exported, string table) => SeedDataExport.Rows(exported, table, Clone);

    private static void Add<T>(EntityTable<T> table, JsonObject exported, string name) where T : class
    {
        foreach (var row in Rows(exported, name))
        {
            table.Add(SeedDataExport.Read<T>(row, name, Clone));
        }
    }
}
