using System.Globalization;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Stripe list and search responses: <c>{object:"list", url, has_more, data}</c> newest first with
/// <c>limit</c> (1–100, default 10), <c>starting_after</c> / <c>ending_before</c> cursors and a
/// <c>created</c> filter; search results <c>{object:"search_result", …, next_page}</c>.
/// </summary>
internal static class StripeLists
{
    /// <summary>Parameters every list endpoint accepts.</summary>
    public static readonly string[] ListParams = ["limit", "starting_after", "ending_before", "created"];

    public static JsonObject List<T>(StripeCall call, IEnumerable<T> items, string url, string kind,
        Func<T, JsonNode>? render = null) where T : StripeObject
    {
        var limit = Limit(call);
        var startingAfter = call.Str("starting_after");
        var endingBefore = call.Str("ending_before");
        if (!string.IsNullOrEmpty(startingAfter) && !string.IsNullOrEmpty(endingBefore))
        {
            throw StripeErrors.InvalidRequest("You may only specify one of these parameters: ending_before, starting_after.");
        }

        var ordered = Created(call, items)
            .OrderByDescending(o => o.Created).ThenByDescending(o => o.Sequence).ToList();
        List<T> page;
        bool hasMore;
        if (!string.IsNullOrEmpty(startingAfter))
        {
            var index = ordered.FindIndex(o => o.Id == startingAfter);
            if (index < 0)
            {
                throw StripeErrors.NoSuch(kind, startingAfter, "starting_after");
            }

            page = ordered.Skip(index + 1).Take(limit).ToList();
            hasMore = ordered.Count > index + 1 + limit;
        }
        else if (!string.IsNullOrEmpty(endingBefore))
        {
            var index = ordered.FindIndex(o => o.Id == endingBefore);
            if (index < 0)
            {
                throw StripeErrors.NoSuch(kind, endingBefore, "ending_before");
            }

            var start = Math.Max(0, index - limit);
            page = ordered.Skip(start).Take(index - start).ToList();
            hasMore = start > 0;
        }
        else
        {
            page = ordered.Take(limit).ToList();
            hasMore = ordered.Count > limit;
        }

        var data = new JsonArray();
        foreach (var item in page)
        {
            data.Add(render is null ? item.Json.DeepClone() : render(item));
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["has_more"] = hasMore,
            ["url"] = url,
        };
    }

    /// <summary>A list object around an embedded array (subscription items, invoice lines, charge refunds).</summary>
    public static JsonObject Embedded(JsonArray data, string url) => new()
    {
        ["object"] = "list",
        ["data"] = data,
        ["has_more"] = false,
        ["total_count"] = data.Count,
        ["url"] = url,
    };

    public static int Limit(StripeCall call)
    {
        var limit = call.Int("limit") ?? 10;
        if (limit < 1)
        {
            throw StripeErrors.InvalidRequest("This value must be greater than or equal to 1.", null, "limit");
        }

        if (limit > 100)
        {
            throw StripeErrors.InvalidRequest("This value must be less than or equal to 100.", null, "limit");
        }

        return (int)limit;
    }

    /// <summary>Applies <c>created=N</c> or <c>created[gt|gte|lt|lte]=N</c>.</summary>
    public static IEnumerable<T> Created<T>(StripeCall call, IEnumerable<T> items) where T : StripeObject
    {
        if (!call.Params.ContainsKey("created"))
        {
            return items;
        }

        if (call.Params["created"] is JsonValue)
        {
            var exact = call.Int("created");
            return exact is null ? items : items.Where(o => o.Created == exact);
        }

        var range = StripeParams.Hash(call.Params, "created")!;
        StripeParams.Allow(range, ["gt", "gte", "lt", "lte"], "created");
        var gt = StripeParams.Int(range, "gt", "created[gt]");
        var gte = StripeParams.Int(range, "gte", "created[gte]");
        var lt = StripeParams.Int(range, "lt", "created[lt]");
        var lte = StripeParams.Int(range, "lte", "created[lte]");
        return items.Where(o => (gt is null || o.Created > gt) && (gte is null || o.Created >= gte)
            && (lt is null || o.Created < lt) && (lte is null || o.Created <= lte));
    }

    /// <summary>A search endpoint: <c>query</c> (required), <c>limit</c>, <c>page</c>.</summary>
    public static JsonObject Search<T>(StripeCall call, IEnumerable<T> items, string resource, IReadOnlyCollection<string> fields)
        where T : StripeObject
    {
        call.Allow("query", "limit", "page");
        var query = call.Str("query");
        if (query is null)
        {
            throw StripeErrors.Missing("query");
        }

        var parsed = StripeSearchQuery.Parse(query, resource, fields);
        var limit = Limit(call);
        var offset = 0;
        if (call.Str("page") is { Length: > 0 } page)
        {
            var decoded = Paging.DecodeCursor(page, "search");
            if (decoded is null || !int.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                throw StripeErrors.InvalidRequest("Invalid page: the page token is malformed.", null, "page");
            }
        }

        var matches = items.Where(o => parsed.Matches(o.Json))
            .OrderByDescending(o => o.Created).ThenByDescending(o => o.Sequence).ToList();
        var slice = matches.Skip(offset).Take(limit).ToList();
        var hasMore = matches.Count > offset + limit;
        var data = new JsonArray();
        foreach (var item in slice)
        {
            data.Add(item.Json.DeepClone());
        }

        var result = new JsonObject
        {
            ["object"] = "search_result",
            ["data"] = data,
            ["has_more"] = hasMore,
            ["next_page"] = hasMore ? Paging.EncodeCursor("search", (offset + limit).ToString(CultureInfo.InvariantCulture)) : null,
            ["url"] = $"/v1/{resource}/search",
        };
        if (call.Expand.Remove("total_count"))
        {
            result["total_count"] = matches.Count;
        }

        return result;
    }
}
