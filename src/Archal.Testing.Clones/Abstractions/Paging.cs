using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Pagination helpers shared by the clones (page numbers, RFC 5988 links, opaque cursors).</summary>
public static class Paging
{
    /// <summary>The items of a 1-based <paramref name="page"/> of size <paramref name="perPage"/>.</summary>
    public static IReadOnlyList<T> Page<T>(IReadOnlyList<T> items, int page, int perPage)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (page < 1 || perPage < 1)
        {
            return [];
        }

        var start = (long)(page - 1) * perPage;
        if (start >= items.Count)
        {
            return [];
        }

        var count = (int)Math.Min(perPage, items.Count - start);
        var result = new T[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = items[(int)start + i];
        }

        return result;
    }

    /// <summary>
    /// An RFC 5988 <c>Link</c> header value with next/last/first/prev relations for a page-numbered
    /// listing, keeping every other query parameter of the request. Returns null for a single page.
    /// </summary>
    /// <param name="requestUrl">The absolute URL of the resource without query (for example the clone's api base URL plus path).</param>
    /// <param name="query">The request's query; <c>page</c> is replaced, other parameters are kept.</param>
    /// <param name="page">The current page (1-based).</param>
    /// <param name="perPage">Items per page.</param>
    /// <param name="totalCount">Total items across all pages.</param>
    public static string? LinkHeader(string requestUrl, IQueryCollection query, int page, int perPage, int totalCount)
    {
        ArgumentNullException.ThrowIfNull(query);
        var lastPage = Math.Max(1, (int)Math.Ceiling(totalCount / (double)perPage));
        if (lastPage <= 1 && page <= 1)
        {
            return null;
        }

        var links = new List<string>(4);
        if (page < lastPage)
        {
            links.Add(Link(requestUrl, query, page + 1, "next"));
            links.Add(Link(requestUrl, query, lastPage, "last"));
        }

        if (page > 1)
        {
            links.Add(Link(requestUrl, query, 1, "first"));
            links.Add(Link(requestUrl, query, Math.Min(page - 1, lastPage), "prev"));
        }

        return links.Count == 0 ? null : string.Join(", ", links);
    }

    private static string Link(string url, IQueryCollection query, int page, string rel)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in query)
        {
            if (key.Equals("page", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                parameters.Add(new(key, value));
            }
        }

        parameters.Add(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return $"<{QueryHelpers.AddQueryString(url, parameters)}>; rel=\"{rel}\"";
    }

    /// <summary>Encodes an opaque cursor (Slack style: base64 of <c>kind:value</c>).</summary>
    public static string EncodeCursor(string kind, string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{kind}:{value}"));

    /// <summary>Decodes a cursor made by <see cref="EncodeCursor"/>; null when it is not one of <paramref name="kind"/>.</summary>
    public static string? DecodeCursor(string? cursor, string kind)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            var prefix = kind + ":";
            return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
