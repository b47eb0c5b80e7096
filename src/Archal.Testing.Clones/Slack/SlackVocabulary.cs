using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using static Archal.Testing.Clones.Abstractions.SnapshotFields;

namespace Archal.Testing.Clones.Slack;

/// <summary>Slack's words for [D] criteria, its seed-file checks and its secrets.</summary>
internal static class SlackVocabulary
{
    // Declared before Vocabulary: static fields initialize in order.
    private static readonly EntityRelation Channel = new("channel", ["channel", "channels"])
    {
        Prepositions = ["in", "to", "into", "on", "within"],
        Values = (o, context) => [ChannelName(o, context.Snapshot)],
        Hash = true,
        Missing = "are not in channels",
    };

    public static CloneVocabulary Vocabulary { get; } = new()
    {
        Kinds =
        [
            new("message", ["message"], ["message", "messages", "slack message", "slack messages", "post", "posts"])
            {
                Key = o => $"{Str(o, "channel", "channel_id")}:{Str(o, "ts")}",
                Enrich = MarkPinned,
                Describe = o => $"message in #{Str(o, "channel_name")} by {Str(o, "user", "bot_id")}: \"{Clip(Str(o, "text"))}\"",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["text"] = ["text"], ["body"] = ["text"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["threaded"] = o => Present(o, "thread_ts") && Str(o, "thread_ts") != Str(o, "ts"),
                    ["pinned"] = o => Bool(o, "pinned"),
                },
                Author = o => Str(o, "user", "username", "bot_id"),
                Relations = [Channel],
            },
            // One row per (message, emoji), flattened from the messages' reactions arrays.
            new("reaction", ["message"], ["reaction", "reactions", "emoji reaction", "emoji reactions"])
            {
                Key = o => $"{Str(o, "channel")}:{Str(o, "ts")}:{Str(o, "name")}",
                Flatten = o => (Get(o, "reactions") as JsonArray ?? []).OfType<JsonObject>().Select(r => new JsonObject
                {
                    ["channel"] = Str(o, "channel", "channel_id"),
                    ["channel_name"] = Str(o, "channel_name"),
                    ["ts"] = Str(o, "ts"),
                    ["name"] = Str(r, "name"),
                    ["users"] = r["users"]?.DeepClone(),
                    ["text"] = Str(o, "text"),
                }),
                Describe = o => $":{Str(o, "name")}: on \"{Clip(Str(o, "text"))}\" in #{Str(o, "channel_name")}",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["emoji"] = ["name"], ["text"] = ["text"] },
                Relations = [Channel],
            },
            new("channel", ["channel"], ["channel", "channels", "conversation", "conversations"])
            {
                Key = o => Str(o, "id", "name"),
                Describe = o => $"#{Str(o, "name")}",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["topic"] = ["topic"], ["purpose"] = ["purpose"], ["text"] = ["name", "topic", "purpose"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["archived"] = o => Bool(o, "is_archived"),
                    ["private"] = o => Bool(o, "is_private"),
                    ["public"] = o => !Bool(o, "is_private"),
                },
                Relations = [Channel with { Values = (o, _) => [Str(o, "name")] }],
                NamedByHash = true,
            },
            new("scheduled message", ["scheduled_message"], ["scheduled message", "scheduled messages"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"scheduled message in #{Str(o, "channel_name")}: \"{Clip(Str(o, "text"))}\"",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["text"] = ["text"] },
                Relations = [Channel],
            },
        ],
        Examples =
        [
            "At most 2 messages were posted in #incidents",
            "Zero messages were sent to channels other than #engineering",
            "At least 1 message was posted in #incidents",
            "A message containing \"INC-42\" was posted in #incidents",
        ],
    };

    /// <summary>Slack's token shapes: bot, user, app and configuration tokens.</summary>
    public static CloneSecrets Secrets { get; } = new() { TokenPatterns = [@"xox[abposr]-[A-Za-z0-9-]{8,}"] };

    /// <summary>On the empty seed (which has #general), messages name channels the file declares.</summary>
    public static IReadOnlyList<string> CheckSeedData(JsonObject data, string baseSeed)
    {
        // An exported state declares its own world; entries on top of it are checked when the session is seeded.
        if (baseSeed != "empty" || data.ContainsKey("state"))
        {
            return [];
        }

        // Users are left to the clone (its seeds include the bot and the owner).
        var problems = new List<string>();
        var channels = Rows(data, "channels").Select(c => c["name"]?.ToString()?.TrimStart('#') ?? "").Append("general").ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, i) in Rows(data, "messages").Select((r, i) => (r, i)))
        {
            if (row["channel"]?.ToString()?.TrimStart('#') is { } channel && !channels.Contains(channel))
            {
                problems.Add(SeedFileCheck.Missing($"slack.messages[{i}].channel '#{channel}' is not declared in slack.channels", channels.Select(c => "#" + c)));
            }
        }

        return problems;
    }

    private static JsonObject MarkPinned(JsonObject message, JsonObject snapshot)
    {
        if (snapshot["pin"] is not JsonArray pins || Present(message, "pinned"))
        {
            return message;
        }

        var channel = Str(message, "channel", "channel_id");
        var ts = Str(message, "ts");
        if (!pins.OfType<JsonObject>().Any(p => Str(p, "channel") == channel && Str(p, "ts") == ts))
        {
            return message;
        }

        var pinned = message.DeepClone().AsObject();
        pinned["pinned"] = true;
        return pinned;
    }

    private static string ChannelName(JsonObject message, JsonObject snapshot)
    {
        var name = Str(message, "channel_name");
        if (name.Length > 0)
        {
            return name.TrimStart('#');
        }

        var id = Str(message, "channel", "channel_id");
        var channel = (snapshot["channel"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Str(c, "id") == id);
        return channel is null ? id : Str(channel, "name");
    }
}
