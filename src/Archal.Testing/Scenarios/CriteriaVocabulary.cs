using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Scenarios;

/// <summary>
/// The ONE place that maps the words of [D] criteria onto the clones' snapshot tables and fields
/// (<c>session.Snapshot(clone)</c>: one JSON array per entity type). Adjust here when a clone's
/// snapshot shape changes; the grammar and evaluator only speak in these terms.
/// </summary>
internal static class CriteriaVocabulary
{
    // Declared before Kinds: static fields initialize in order.
    private static readonly string[] RepoFields = ["repo", "repository", "repo_full_name", "full_name"];

    private static readonly string[] IssueNumberFields = ["issue_number", "issue", "number"];

    public static readonly IReadOnlyList<EntityKind> Kinds =
    [
        // ---- GitHub ----
        new("issue", "github", ["issue"], ["issue", "issues", "ticket", "tickets"])
        {
            Key = o => $"{Str(o, RepoFields)}#{Str(o, "number")}",
            Where = o => !IsPullRequest(o),
            Describe = o => $"{Str(o, RepoFields)}#{Str(o, "number")} \"{Str(o, "title")}\" ({Str(o, "state")})",
            Fields = new(StringComparer.Ordinal) { ["title"] = ["title"], ["body"] = ["body"], ["state"] = ["state"], ["text"] = ["title", "body"], ["name"] = ["title"], ["number"] = ["number"] },
            States = new(StringComparer.Ordinal)
            {
                ["open"] = o => Is(o, "state", "open"),
                ["closed"] = o => Is(o, "state", "closed"),
                ["locked"] = o => Bool(o, "locked"),
            },
            Labels = o => Names(o, "labels"),
            Repo = o => Str(o, RepoFields),
            Author = o => Str(o, "user", "author"),
        },
        // A pull request is an issue row (title, state, labels) joined with its pull_request row (merged, head, base).
        new("pull request", "github", ["issue"], ["pull request", "pull requests", "pr", "prs"])
        {
            Key = o => $"{Str(o, RepoFields)}#{Str(o, "number")}",
            Where = IsPullRequest,
            JoinTable = "pull_request",
            Describe = o => $"{Str(o, RepoFields)}#{Str(o, "number")} \"{Str(o, "title")}\" ({Str(o, "state")})",
            Fields = new(StringComparer.Ordinal) { ["title"] = ["title"], ["body"] = ["body"], ["text"] = ["title", "body"], ["name"] = ["title"], ["number"] = ["number"] },
            States = new(StringComparer.Ordinal)
            {
                ["open"] = o => Is(o, "state", "open"),
                ["closed"] = o => Is(o, "state", "closed"),
                ["merged"] = o => Bool(o, "merged") || Present(o, "merged_at") || Present(o["pull_request"] as JsonObject, "merged_at"),
                ["draft"] = o => Bool(o, "draft"),
            },
            Labels = o => Names(o, "labels"),
            Repo = o => Str(o, RepoFields),
            Author = o => Str(o, "user", "author"),
        },
        new("comment", "github", ["comment"], ["comment", "comments", "reply", "replies"])
        {
            Key = o => Str(o, "id", "node_id") is { Length: > 0 } id ? id : $"{Str(o, RepoFields)}#{Str(o, IssueNumberFields)}:{Str(o, "body")}",
            Describe = o => $"comment on {Str(o, RepoFields)}#{Str(o, IssueNumberFields)} by {Str(o, "user", "author")}: \"{Clip(Str(o, "body"))}\"",
            Fields = new(StringComparer.Ordinal) { ["body"] = ["body"], ["text"] = ["body"] },
            Repo = o => Str(o, RepoFields),
            Author = o => Str(o, "user", "author"),
        },
        new("label", "github", ["label"], ["label", "labels"])
        {
            Key = o => $"{Str(o, RepoFields)}:{Str(o, "name")}",
            Describe = o => $"label \"{Str(o, "name")}\" in {Str(o, RepoFields)}",
            Fields = new(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["color"] = ["color"], ["description"] = ["description"], ["text"] = ["name", "description"] },
            Repo = o => Str(o, RepoFields),
        },
        new("repository", "github", ["repo"], ["repository", "repositories", "repo", "repos"])
        {
            Key = o => Str(o, "full_name") is { Length: > 0 } full ? full : $"{Str(o, "owner")}/{Str(o, "name")}",
            Describe = o => Str(o, "full_name") is { Length: > 0 } full ? full : $"{Str(o, "owner")}/{Str(o, "name")}",
            Fields = new(StringComparer.Ordinal) { ["name"] = ["name", "full_name"], ["title"] = ["name"], ["description"] = ["description"], ["text"] = ["name", "description"] },
            States = new(StringComparer.Ordinal)
            {
                ["private"] = o => Bool(o, "private"),
                ["public"] = o => !Bool(o, "private"),
                ["archived"] = o => Bool(o, "archived"),
            },
            Repo = o => Str(o, "full_name") is { Length: > 0 } full ? full : $"{Str(o, "owner")}/{Str(o, "name")}",
        },
        new("branch", "github", ["branch"], ["branch", "branches"])
        {
            Key = o => $"{Str(o, RepoFields)}:{Str(o, "name")}",
            Describe = o => $"branch {Str(o, "name")} in {Str(o, RepoFields)}",
            Fields = new(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"] },
            States = new(StringComparer.Ordinal) { ["protected"] = o => Bool(o, "protected") },
            Repo = o => Str(o, RepoFields),
        },
        new("milestone", "github", ["milestone"], ["milestone", "milestones"])
        {
            Key = o => $"{Str(o, RepoFields)}:{Str(o, "number", "title")}",
            Describe = o => $"milestone \"{Str(o, "title")}\" in {Str(o, RepoFields)}",
            Fields = new(StringComparer.Ordinal) { ["title"] = ["title"], ["name"] = ["title"], ["text"] = ["title", "description"] },
            States = new(StringComparer.Ordinal) { ["open"] = o => Is(o, "state", "open"), ["closed"] = o => Is(o, "state", "closed") },
            Repo = o => Str(o, RepoFields),
        },

        // ---- Slack ----
        new("message", "slack", ["message"], ["message", "messages", "slack message", "slack messages", "post", "posts"])
        {
            Key = o => $"{Str(o, "channel", "channel_id")}:{Str(o, "ts")}",
            Enrich = MarkPinned,
            Describe = o => $"message in #{Str(o, "channel_name")} by {Str(o, "user", "bot_id")}: \"{Clip(Str(o, "text"))}\"",
            Fields = new(StringComparer.Ordinal) { ["text"] = ["text"], ["body"] = ["text"] },
            States = new(StringComparer.Ordinal)
            {
                ["threaded"] = o => Present(o, "thread_ts") && Str(o, "thread_ts") != Str(o, "ts"),
                ["pinned"] = o => Bool(o, "pinned"),
            },
            Author = o => Str(o, "user", "username", "bot_id"),
            Channel = (o, snapshot) => ChannelName(o, snapshot),
        },
        // One row per (message, emoji), flattened from the messages' reactions arrays.
        new("reaction", "slack", ["message"], ["reaction", "reactions", "emoji reaction", "emoji reactions"])
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
            Fields = new(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["emoji"] = ["name"], ["text"] = ["text"] },
            Channel = (o, snapshot) => ChannelName(o, snapshot),
        },
        new("channel", "slack", ["channel"], ["channel", "channels", "conversation", "conversations"])
        {
            Key = o => Str(o, "id", "name"),
            Describe = o => $"#{Str(o, "name")}",
            Fields = new(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["topic"] = ["topic"], ["purpose"] = ["purpose"], ["text"] = ["name", "topic", "purpose"] },
            States = new(StringComparer.Ordinal)
            {
                ["archived"] = o => Bool(o, "is_archived"),
                ["private"] = o => Bool(o, "is_private"),
                ["public"] = o => !Bool(o, "is_private"),
            },
            Channel = (o, _) => Str(o, "name"),
        },
        new("scheduled message", "slack", ["scheduled_message"], ["scheduled message", "scheduled messages"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"scheduled message in #{Str(o, "channel_name")}: \"{Clip(Str(o, "text"))}\"",
            Fields = new(StringComparer.Ordinal) { ["text"] = ["text"] },
            Channel = (o, snapshot) => ChannelName(o, snapshot),
        },

        // ---- Stripe ----
        new("customer", "stripe", ["customer"], ["customer", "customers"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} ({Str(o, "email")})",
            Fields = new(StringComparer.Ordinal) { ["email"] = ["email"], ["name"] = ["name"], ["title"] = ["name"], ["description"] = ["description"], ["text"] = ["name", "email", "description"] },
            States = new(StringComparer.Ordinal) { ["deleted"] = o => Bool(o, "deleted") },
            Customer = o => [Str(o, "id")],
        },
        new("charge", "stripe", ["charge"], ["charge", "charges", "payment", "payments"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} {Str(o, "amount")} {Str(o, "currency")} for {Str(o, "customer")} \"{Str(o, "description")}\" (refunded {Str(o, "amount_refunded")})",
            Fields = new(StringComparer.Ordinal) { ["description"] = ["description"], ["amount"] = ["amount"], ["currency"] = ["currency"], ["status"] = ["status"], ["text"] = ["description"] },
            States = new(StringComparer.Ordinal)
            {
                ["refunded"] = o => Bool(o, "refunded") || Num(o, "amount_refunded") > 0,
                ["fully refunded"] = o => Bool(o, "refunded"),
                ["partially refunded"] = o => Num(o, "amount_refunded") > 0 && !Bool(o, "refunded"),
                ["succeeded"] = o => Is(o, "status", "succeeded"),
                ["failed"] = o => Is(o, "status", "failed"),
                ["disputed"] = o => Bool(o, "disputed"),
                ["captured"] = o => Bool(o, "captured"),
            },
            Customer = o => [Str(o, "customer")],
        },
        new("refund", "stripe", ["refund"], ["refund", "refunds"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} of {Str(o, "amount")} for charge {Str(o, "charge")} ({Str(o, "status")})",
            Fields = new(StringComparer.Ordinal) { ["amount"] = ["amount"], ["reason"] = ["reason"], ["status"] = ["status"], ["text"] = ["reason"] },
            States = new(StringComparer.Ordinal)
            {
                ["succeeded"] = o => Is(o, "status", "succeeded"),
                ["pending"] = o => Is(o, "status", "pending"),
                ["failed"] = o => Is(o, "status", "failed"),
                ["canceled"] = o => Is(o, "status", "canceled"),
            },
            Charge = o => Str(o, "charge"),
        },
        new("subscription", "stripe", ["subscription"], ["subscription", "subscriptions"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} for {Str(o, "customer")} ({Str(o, "status")})",
            Fields = new(StringComparer.Ordinal) { ["status"] = ["status"], ["description"] = ["description"] },
            States = new(StringComparer.Ordinal)
            {
                ["active"] = o => Is(o, "status", "active"),
                ["canceled"] = o => Is(o, "status", "canceled"),
                ["past due"] = o => Is(o, "status", "past_due"),
                ["trialing"] = o => Is(o, "status", "trialing"),
                ["paused"] = o => Is(o, "status", "paused"),
                ["unpaid"] = o => Is(o, "status", "unpaid"),
            },
            Customer = o => [Str(o, "customer")],
        },
        new("invoice", "stripe", ["invoice"], ["invoice", "invoices"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} for {Str(o, "customer")} ({Str(o, "status")})",
            Fields = new(StringComparer.Ordinal) { ["status"] = ["status"], ["description"] = ["description"], ["text"] = ["description"] },
            States = new(StringComparer.Ordinal)
            {
                ["paid"] = o => Is(o, "status", "paid"),
                ["open"] = o => Is(o, "status", "open"),
                ["draft"] = o => Is(o, "status", "draft"),
                ["void"] = o => Is(o, "status", "void"),
                ["voided"] = o => Is(o, "status", "void"),
                ["uncollectible"] = o => Is(o, "status", "uncollectible"),
            },
            Customer = o => [Str(o, "customer")],
        },
        new("payment intent", "stripe", ["payment_intent"], ["payment intent", "payment intents"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} {Str(o, "amount")} {Str(o, "currency")} ({Str(o, "status")})",
            Fields = new(StringComparer.Ordinal) { ["amount"] = ["amount"], ["currency"] = ["currency"], ["status"] = ["status"], ["description"] = ["description"], ["text"] = ["description"] },
            States = new(StringComparer.Ordinal)
            {
                ["succeeded"] = o => Is(o, "status", "succeeded"),
                ["canceled"] = o => Is(o, "status", "canceled"),
                ["processing"] = o => Is(o, "status", "processing"),
            },
            Customer = o => [Str(o, "customer")],
        },
        new("product", "stripe", ["product"], ["product", "products"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} \"{Str(o, "name")}\"",
            Fields = new(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["description"] = ["description"], ["text"] = ["name", "description"] },
            States = new(StringComparer.Ordinal) { ["active"] = o => Bool(o, "active"), ["archived"] = o => !Bool(o, "active") },
        },
        new("price", "stripe", ["price"], ["price", "prices"])
        {
            Key = o => Str(o, "id"),
            Describe = o => $"{Str(o, "id")} {Str(o, "unit_amount")} {Str(o, "currency")}",
            Fields = new(StringComparer.Ordinal) { ["amount"] = ["unit_amount"], ["currency"] = ["currency"], ["nickname"] = ["nickname"] },
            States = new(StringComparer.Ordinal) { ["active"] = o => Bool(o, "active") },
        },
    ];

    /// <summary>Words that mean "added during the run" (compared with the initial snapshot).</summary>
    public static readonly HashSet<string> CreatedWords =
        ["created", "posted", "sent", "added", "opened", "made", "left", "written", "filed", "raised", "issued", "published", "new"];

    /// <summary>Words that mean "gone by the end of the run".</summary>
    public static readonly HashSet<string> DeletedWords = ["deleted", "removed"];

    /// <summary>Words that mean "changed during the run".</summary>
    public static readonly HashSet<string> ChangedWords = ["updated", "edited", "changed", "modified"];

    public static string[] CommentIssueNumberFields => IssueNumberFields;

    public static string[] CommentRepoFields => RepoFields;

    public static EntityKind? FindKind(string name) => Kinds.FirstOrDefault(k => k.Name == name);

    // ---- Field helpers (tolerant of the clones' exact shapes) ----

    public static JsonNode? Get(JsonObject? o, params string[] names)
    {
        if (o is null)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (o.TryGetPropertyValue(name, out var value) && value is not null)
            {
                return value;
            }
        }

        return null;
    }

    public static string Str(JsonObject? o, params string[] names) => Get(o, names) switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        JsonObject obj => Str(obj, "full_name", "login", "name", "id"),
        var other => other.ToJsonString(),
    };

    public static bool Bool(JsonObject? o, string name) =>
        Get(o, name) is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static double Num(JsonObject? o, string name) =>
        Get(o, name) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : 0;

    public static bool Present(JsonObject? o, string name) => Get(o, name) is { } node && node.GetValueKind() != JsonValueKind.False;

    public static bool Is(JsonObject o, string name, string value) => string.Equals(Str(o, name), value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names from an array of strings or of objects with <c>name</c>/<c>login</c>.</summary>
    public static IEnumerable<string> Names(JsonObject o, string name) =>
        Get(o, name) is JsonArray array
            ? array.Select(item => item switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonObject obj => Str(obj, "name", "login"),
                _ => "",
            }).Where(s => s.Length > 0)
            : [];

    public static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static bool IsPullRequest(JsonObject o) =>
        Bool(o, "is_pull_request") || (Get(o, "pull_request") is { } pr && pr.GetValueKind() is not (JsonValueKind.False or JsonValueKind.Null));

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

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One kind of entity a criterion can talk about: which clone and table, and how to read it.</summary>
internal sealed record EntityKind(string Name, string CloneId, string[] Tables, string[] Nouns)
{
    public required Func<JsonObject, string> Key { get; init; }

    public required Func<JsonObject, string> Describe { get; init; }

    public Func<JsonObject, bool>? Where { get; init; }

    /// <summary>Turns one table row into this kind's rows (reactions from a message).</summary>
    public Func<JsonObject, IEnumerable<JsonObject>>? Flatten { get; init; }

    /// <summary>Adds derived fields to a row given the clone's whole snapshot (a message's <c>pinned</c>).</summary>
    public Func<JsonObject, JsonObject, JsonObject>? Enrich { get; init; }

    /// <summary>A second table whose row with the same key adds its fields (pull requests: issue + pull_request).</summary>
    public string? JoinTable { get; init; }

    /// <summary>Field aliases used by <c>titled</c>, <c>named</c>, <c>with description "…"</c>, <c>containing</c> (<c>text</c>).</summary>
    public Dictionary<string, string[]> Fields { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, Func<JsonObject, bool>> States { get; init; } = new(StringComparer.Ordinal);

    public Func<JsonObject, IEnumerable<string>>? Labels { get; init; }

    public Func<JsonObject, string>? Repo { get; init; }

    public Func<JsonObject, string>? Author { get; init; }

    /// <summary>The channel name (without <c>#</c>), given the entity and its clone's whole snapshot.</summary>
    public Func<JsonObject, JsonObject, string>? Channel { get; init; }

    public Func<JsonObject, IEnumerable<string>>? Customer { get; init; }

    public Func<JsonObject, string>? Charge { get; init; }

    public string Plural => Nouns[1];

    /// <summary>The rows of this kind in one clone snapshot.</summary>
    public IEnumerable<JsonObject> Rows(JsonObject? snapshot)
    {
        if (snapshot is null)
        {
            return [];
        }

        foreach (var table in Tables)
        {
            if (snapshot[table] is JsonArray rows)
            {
                var selected = rows.OfType<JsonObject>().Where(o => Where?.Invoke(o) ?? true);
                if (Flatten is not null)
                {
                    selected = selected.SelectMany(Flatten);
                }

                if (Enrich is not null)
                {
                    selected = selected.Select(o => Enrich(o, snapshot));
                }

                if (JoinTable is not null && snapshot[JoinTable] is JsonArray joined)
                {
                    var byKey = joined.OfType<JsonObject>().GroupBy(Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                    selected = selected.Select(row =>
                    {
                        if (!byKey.TryGetValue(Key(row), out var extra))
                        {
                            return row;
                        }

                        var merged = row.DeepClone().AsObject();
                        foreach (var (name, value) in extra)
                        {
                            if (!merged.ContainsKey(name))
                            {
                                merged[name] = value?.DeepClone();
                            }
                        }

                        return merged;
                    });
                }

                return selected;
            }
        }

        return [];
    }
}
