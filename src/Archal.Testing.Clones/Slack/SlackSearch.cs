using System.Globalization;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// <c>search.messages</c> (user tokens only, as on Slack): words and "quoted phrases" (all must match,
/// case-insensitively) plus the modifiers <c>in:#channel</c>, <c>from:@user</c>, <c>before:</c>/<c>after:</c>/<c>on:YYYY-MM-DD</c>
/// and <c>has:reaction</c>/<c>has:pin</c>/<c>is:thread</c>; <c>count</c>/<c>page</c> paging.
/// </summary>
internal static class SlackSearch
{
    public static IEnumerable<SlackMethod> Methods =>
    [
        new("search.messages", 2, "search:read", Messages, Summary: "Searches for messages matching a query."),
    ];

    private static JsonObject Messages(SlackCall call)
    {
        if (call.IsBot)
        {
            throw new SlackException("not_allowed_token_type");
        }

        var query = call.Args.Str("query") ?? throw new SlackException("no_query");
        var state = call.State;
        var filter = Parse(call, query);
        var ascending = string.Equals(call.Args.Str("sort_dir"), "asc", StringComparison.OrdinalIgnoreCase);
        var matches = new List<SlackMessage>();
        foreach (var m in state.Messages.Items)
        {
            if (m.Subtype is not (null or "thread_broadcast") || state.Channels.Find(m.Channel) is not { } channel
                || !SlackConversations.CanSee(call, channel) || (channel.IsPrivate && !channel.Members.Contains(call.Caller.Id)))
            {
                continue;
            }

            if (filter(m, channel))
            {
                matches.Add(m);
            }
        }

        matches.Sort((a, b) => ascending ? a.TsValue.CompareTo(b.TsValue) : b.TsValue.CompareTo(a.TsValue));
        var count = call.Args.Int("count", 20, 1, 100);
        var pages = Math.Max(1, (matches.Count + count - 1) / count);
        var page = call.Args.Int("page", 1, 1, 100);
        var slice = matches.Skip((page - 1) * count).Take(count).ToList();
        var body = SlackCall.Ok();
        body["query"] = query;
        body["messages"] = new JsonObject
        {
            ["total"] = matches.Count,
            ["pagination"] = new JsonObject
            {
                ["total_count"] = matches.Count,
                ["page"] = page,
                ["per_page"] = count,
                ["page_count"] = pages,
                ["first"] = matches.Count == 0 ? 0 : ((page - 1) * count) + 1,
                ["last"] = ((page - 1) * count) + slice.Count,
            },
            ["paging"] = new JsonObject { ["count"] = count, ["total"] = matches.Count, ["page"] = page, ["pages"] = pages },
            ["matches"] = new JsonArray([.. slice.Select(m => (JsonNode?)Match(state, m))]),
        };
        return body;
    }

    private static JsonObject Match(SlackState state, SlackMessage m)
    {
        var channel = state.Channels.Find(m.Channel)!;
        var hash = (uint)StableHash.Of(m.Key);
        return new JsonObject
        {
            ["iid"] = string.Create(CultureInfo.InvariantCulture, $"{hash:x8}-{hash >> 16:x4}-4{hash & 0xfff:x3}-a{(hash >> 4) & 0xfff:x3}-{(ulong)m.TsValue & 0xffffffffffff:x12}"),
            ["team"] = state.Team.Id,
            ["channel"] = new JsonObject
            {
                ["id"] = channel.Id,
                ["is_channel"] = !channel.IsPrivate,
                ["is_group"] = channel.IsPrivate && !channel.IsMpim && !channel.IsIm,
                ["is_im"] = channel.IsIm,
                ["is_mpim"] = channel.IsMpim,
                ["is_private"] = channel.IsPrivate,
                ["is_shared"] = false,
                ["is_org_shared"] = false,
                ["is_ext_shared"] = false,
                ["is_pending_ext_shared"] = false,
                ["pending_shared"] = new JsonArray(),
                ["name"] = channel.IsIm ? channel.ImUser : channel.Name,
            },
            ["type"] = "message",
            ["user"] = m.User ?? "",
            ["username"] = m.User is not null ? state.Users.Find(m.User)?.Name ?? "" : m.Username ?? "",
            ["ts"] = m.Ts,
            ["text"] = m.Text,
            ["permalink"] = SlackRender.Permalink(state, m),
        };
    }

    private static Func<SlackMessage, SlackChannel, bool> Parse(SlackCall call, string query)
    {
        var state = call.State;
        var terms = new List<string>();
        var filters = new List<Func<SlackMessage, SlackChannel, bool>>();
        foreach (var token in Tokenize(query))
        {
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? token[..colon].ToLowerInvariant() : "";
            var value = colon > 0 ? token[(colon + 1)..] : "";
            switch (key)
            {
                case "in":
                    var channelName = value.Trim('<', '>').TrimStart('#');
                    var channelId = channelName.Split('|')[0];
                    var channel = state.Channels.Find(channelId) ?? state.ChannelByName(channelName);
                    var user = channel is null ? state.UserByName(value.TrimStart('@')) : null;
                    filters.Add((m, c) => channel is not null ? c.Id == channel.Id : user is not null && c.IsIm && c.Members.Contains(user.Id));
                    break;
                case "from":
                    var fromName = value.Trim('<', '>').TrimStart('@');
                    var from = state.Users.Find(fromName.Split('|')[0]) ?? state.UserByName(fromName);
                    filters.Add((m, _) => from is not null && m.User == from.Id);
                    break;
                case "before" or "after" or "on" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                    var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds() * 1_000_000;
                    var end = start + (86_400L * 1_000_000);
                    filters.Add(key switch
                    {
                        "before" => (m, _) => m.TsValue < start,
                        "after" => (m, _) => m.TsValue >= end,
                        _ => (m, _) => m.TsValue >= start && m.TsValue < end,
                    });
                    break;
                case "has" when value is "reaction" or "pin":
                    filters.Add(value == "pin" ? (m, _) => state.Pins.Contains(m.Key) : (m, _) => m.Reactions.Count > 0);
                    break;
                case "is" when value == "thread":
                    filters.Add((m, _) => m.ThreadTs is not null);
                    break;
                default:
                    terms.Add(token);
                    break;
            }
        }

        return (m, c) => filters.All(f => f(m, c)) && terms.All(t => m.Text.Contains(t, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> Tokenize(string query)
    {
        var i = 0;
        while (i < query.Length)
        {
            if (char.IsWhiteSpace(query[i]))
            {
                i++;
                continue;
            }

            if (query[i] == '"')
            {
                var close = query.IndexOf('"', i + 1);
                var end = close < 0 ? query.Length : close;
                var phrase = query[(i + 1)..end];
                if (phrase.Length > 0)
                {
                    yield return phrase;
                }

                i = end + 1;
                continue;
            }

            var next = i;
            while (next < query.Length && !char.IsWhiteSpace(query[next]))
            {
                next++;
            }

            yield return query[i..next];
            i = next;
        }
    }
}
