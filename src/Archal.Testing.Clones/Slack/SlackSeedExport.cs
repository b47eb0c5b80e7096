using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// A Slack session's state as seed data (<see cref="SlackClone.ExportSeedData"/>) and back (<see cref="SlackSeeds"/> reads
/// <c>state</c> in place of its named seed): every table as snapshots show it (the workspace, users, conversations with
/// members and read markers, messages with threads, reactions and edits, scheduled messages, pins, bookmarks), the
/// registered tokens, the bot user, the ts and scheduled-message counters, strict tokens and rate limits.
/// </summary>
/// <remarks>
/// Not carried: Events API subscriptions (app settings with a signing secret; declare them again with
/// <c>event_subscriptions</c>), rate-limit windows in progress, and the random source's position (ids made after a load
/// differ). The loaded session's own user tokens (<see cref="SlackState.UserToken"/>) are registered too.
/// </remarks>
internal static class SlackSeedExport
{
    private const string Clone = "slack";

    public static JsonObject Export(SlackState state)
    {
        var (lastTs, nextScheduledId) = state.Counters;
        var exported = new JsonObject
        {
            ["tables"] = SeedDataExport.Tables(state, new Dictionary<string, Func<JsonArray>>
            {
                ["bookmark"] = () => [.. state.Bookmarks.Items.Select(b =>
                {
                    var row = (JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(b, state.SnapshotJson)!;
                    row["team_id"] = b.TeamId;
                    return (JsonNode?)row;
                })],
            }),
            ["bot_user_id"] = state.BotUserId,
            ["tokens"] = new JsonArray([.. state.Tokens.Select(t => (JsonNode?)new JsonObject
            {
                ["token"] = t.Key,
                ["user"] = t.Value,
                ["scopes"] = state.ScopesForToken(t.Key) is { } scopes ? new JsonArray([.. scopes.Select(s => (JsonNode?)s)]) : null,
            })]),
            ["last_ts"] = lastTs,
            ["next_scheduled_id"] = nextScheduledId,
            ["strict_tokens"] = state.StrictTokens,
            ["rate_limits"] = state.RateLimits is { } limits
                ? new JsonObject
                {
                    ["tier1"] = limits.Tier1,
                    ["tier2"] = limits.Tier2,
                    ["tier3"] = limits.Tier3,
                    ["tier4"] = limits.Tier4,
                    ["post_message_per_second"] = limits.PostMessagePerSecond,
                }
                : null,
        };
        return new JsonObject { [SeedDataExport.Key] = exported };
    }

    public static void Load(SlackState state, JsonObject exported)
    {
        Add(state.Teams, exported, "team");
        Add(state.Users, exported, "user");
        Add(state.Channels, exported, "channel");
        foreach (var row in SeedDataExport.Rows(exported, "message", Clone))
        {
            // Through AddMessage, so the channel timelines and thread indexes are built as the clone keeps them.
            state.AddMessage(SeedDataExport.Read<SlackMessage>(row, "message", Clone, state.SnapshotJson));
        }

        Add(state.ScheduledMessages, exported, "scheduled_message");
        Add(state.Pins, exported, "pin");
        foreach (var row in SeedDataExport.Rows(exported, "bookmark", Clone))
        {
            var bookmark = SeedDataExport.Read<SlackBookmark>(row, "bookmark", Clone, state.SnapshotJson);
            state.Bookmarks.Add(new SlackBookmark
            {
                Id = bookmark.Id,
                ChannelId = bookmark.ChannelId,
                Title = bookmark.Title,
                Link = bookmark.Link,
                Emoji = bookmark.Emoji,
                DateCreated = bookmark.DateCreated,
                DateUpdated = bookmark.DateUpdated,
                Rank = bookmark.Rank,
                UpdatedBy = bookmark.UpdatedBy,
                TeamId = row["team_id"] is JsonValue team && team.TryGetValue<string>(out var teamId) ? teamId : state.Teams.Items.FirstOrDefault()?.Id ?? "",
            });
        }

        if (state.Teams.Count != 1)
        {
            throw new CloneSeedException($"slack seed data: {SeedDataExport.Key}.tables.team must hold exactly one workspace, not {state.Teams.Count}.");
        }

        state.BotUserId = SeedDataExport.Value(exported, "bot_user_id", "", Clone);
        if (state.Users.Find(state.BotUserId) is not { IsBot: true })
        {
            throw new CloneSeedException($"slack seed data: {SeedDataExport.Key}.bot_user_id '{state.BotUserId}' is not a bot user of {SeedDataExport.Key}.tables.user.");
        }

        foreach (var token in SeedDataExport.Value(exported, "tokens", Array.Empty<ExportedToken>(), Clone))
        {
            state.RegisterToken(token.Token, token.User, token.Scopes);
        }

        // This session's own user tokens (derived from its random seed) authenticate as their users, as in a seeded session.
        foreach (var user in state.Users.Items.Where(u => !u.IsBot))
        {
            if (!state.Tokens.ContainsKey(state.UserToken(user.Id)))
            {
                state.RegisterToken(state.UserToken(user.Id), user.Id);
            }
        }

        if (!state.Tokens.ContainsKey(SlackClone.BotToken))
        {
            state.RegisterToken(SlackClone.BotToken, state.BotUserId);
        }

        var (lastTs, nextScheduledId) = state.Counters;
        state.Counters = (Math.Max(lastTs, SeedDataExport.Value(exported, "last_ts", 0L, Clone)), SeedDataExport.Value(exported, "next_scheduled_id", nextScheduledId, Clone));
        state.StrictTokens = SeedDataExport.Value(exported, "strict_tokens", false, Clone);
        state.RateLimits = SlackRateLimits.FromSeed(exported["rate_limits"]);
    }

    private static void Add<T>(EntityTable<T> table, JsonObject exported, string name) where T : class
    {
        foreach (var row in SeedDataExport.Rows(exported, name, Clone))
        {
            table.Add(SeedDataExport.Read<T>(row, name, Clone));
        }
    }

    private sealed record ExportedToken(string Token, string User, string[]? Scopes);
}
