using System.Globalization;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>Slack's cursor pagination: <c>limit</c> + <c>cursor</c> in, <c>response_metadata.next_cursor</c> out ("" on the last page).</summary>
internal static class SlackPaging
{
    /// <summary>The page of <paramref name="items"/> the call asks for, by offset cursor.</summary>
    public static List<T> Page<T>(SlackCall call, IReadOnlyList<T> items, string kind, int defaultLimit, int maxLimit, out string nextCursor)
    {
        var limit = call.Args.Int("limit", defaultLimit, 0, maxLimit);
        if (limit == 0)
        {
            limit = defaultLimit;
        }

        var offset = 0;
        if (call.Args.Str("cursor") is { } cursor)
        {
            var decoded = Paging.DecodeCursor(cursor, kind);
            if (decoded is null || !int.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                throw new SlackException("invalid_cursor");
            }
        }

        var page = new List<T>(Math.Min(limit, Math.Max(0, items.Count - offset)));
        for (var i = offset; i < items.Count && page.Count < limit; i++)
        {
            page.Add(items[i]);
        }

        var next = offset + page.Count;
        nextCursor = next < items.Count ? Paging.EncodeCursor(kind, next.ToString(CultureInfo.InvariantCulture)) : "";
        return page;
    }

    public static JsonObject Metadata(string nextCursor) => new() { ["next_cursor"] = nextCursor };
}
