using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>
/// A GitHub JSON answer: serialized once so GETs carry an <c>etag</c> and honour <c>If-None-Match</c> (304).
/// </summary>
internal sealed class GitHubResult(object? body, int status = StatusCodes.Status200OK) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public object? Body => body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        if (body is null)
        {
            response.StatusCode = status;
            return;
        }

        // Serialize into a pooled buffer: list pages are 100 KB+, and a fresh byte[] that size lands on the
        // large-object heap (a gen-2 collection every few calls).
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = CloneJson.SnakeCase.Encoder, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, body, body.GetType(), CloneJson.SnakeCase);
        }

        if (status == StatusCodes.Status200OK && HttpMethods.IsGet(httpContext.Request.Method))
        {
            var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan)[..16])}\"";
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "private, max-age=60, s-maxage=60";
            response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
            var ifNoneMatch = httpContext.Request.Headers.IfNoneMatch.ToString();
            if (ifNoneMatch.Length > 0 && ifNoneMatch.Split(',').Any(t => Same(t.Trim(), etag)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenMemory.Length;
        await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted).ConfigureAwait(false);
    }

    private static bool Same(string candidate, string etag) =>
        candidate == "*" || candidate == etag || $"W/{candidate}" == etag;
}

/// <summary>A parsed JSON request body with typed, GitHub-validated accessors; the first problem wins.</summary>
internal sealed class JsonBody
{
    private readonly JsonObject _object;

    private JsonBody(JsonObject obj) => _object = obj;

    /// <summary>The first validation problem, as GitHub's answer.</summary>
    public IResult? Error { get; private set; }

    /// <summary>
    /// Parses the request body the runtime read once, with the shared JSON rules (depth, duplicate keys, lone
    /// surrogates, invalid UTF-8): blank → {}, any violation → 400 "Problems parsing JSON", not an object → 400.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="wrapArrayAs">When set, a top-level array is accepted as this property of an object (label endpoints).</param>
    /// <exception cref="GitHubException">The body is not a JSON object GitHub would accept.</exception>
    public static Task<JsonBody> ReadAsync(HttpContext http, string? wrapArrayAs = null)
    {
        var bytes = http.GetCloneContext().Body.Span;
        if (JsonBodyParser.IsBlank(bytes))
        {
            return Task.FromResult(new JsonBody([]));
        }

        if (!JsonBodyParser.TryParse(bytes, Rules, out var node, out _))
        {
            throw new GitHubException(GitHubErrors.ProblemsParsingJson());
        }

        if (node is JsonArray array && wrapArrayAs is not null)
        {
            return Task.FromResult(new JsonBody(new JsonObject { [wrapArrayAs] = array }));
        }

        return node is JsonObject obj
            ? Task.FromResult(new JsonBody(obj))
            : throw new GitHubException(GitHubErrors.BodyShouldBeObject());
    }

    // GitHub parses bodies 64 levels deep (the clone's limit before the shared parser; deeper is "Problems parsing JSON").
    private static readonly BodyParseOptions Rules = BodyParseOptions.Default with { MaxDepth = 64 };

    /// <summary>Throws the first validation problem, if any, as GitHub's answer.</summary>
    /// <exception cref="GitHubException">A field was missing, of the wrong type or invalid.</exception>
    public void ThrowIfInvalid()
    {
        if (Error is { } error)
        {
            throw new GitHubException(error);
        }
    }

    public bool Has(string name) => _object.ContainsKey(name);


    public bool IsNumber(string name) =>
        _object.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    public bool IsNull(string name) => _object.TryGetPropertyValue(name, out var v) && v is null;

    /// <summary>A string field; null when absent (or null and <paramref name="nullable"/>).</summary>
    public string? String(string name, bool nullable = true)
    {
        if (!_object.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (node is null && _object.ContainsKey(name) && !nullable)
            {
                Fail(name, "nil is not a string.");
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        Fail(name, $"{Render(node)} is not a string.");
        return null;
    }

    public bool? Bool(string name)
    {
        if (!_object.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        Fail(name, $"{Render(node)} is not a boolean.");
        return null;
    }

    public long? Integer(string name)
    {
        if (!_object.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number))
        {
            return number;
        }

        // GitHub accepts numeric strings for integer parameters such as milestone.
        if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String
            && long.TryParse(text.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        Fail(name, $"{Render(node)} is not an integer.");
        return null;
    }

    /// <summary>An array of strings; null when absent. <paramref name="allowObjectsWithName"/> accepts <c>[{name}]</c> (labels).</summary>
    public List<string>? Strings(string name, bool allowObjectsWithName = false)
    {
        if (!_object.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            Fail(name, $"{Render(node)} is not an array.");
            return null;
        }

        var result = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result.Add(v.GetValue<string>());
            }
            else if (allowObjectsWithName && item is JsonObject o && o["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String)
            {
                result.Add(n.GetValue<string>());
            }
            else
            {
                Fail(name + "/items", $"{Render(item)} is not a string.");
                return null;
            }
        }

        return result;
    }

    public JsonObject? Object(string name)
    {
        if (!_object.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonObject obj)
        {
            return obj;
        }

        Fail(name, $"{Render(node)} is not an object.");
        return null;
    }

    /// <summary>Records an enum violation in GitHub's words.</summary>
    public void FailEnum(string name, string value, params string[] allowed) =>
        Fail(name, $"\"{value}\" is not a member of enum [{string.Join(", ", allowed.Select(a => $"\"{a}\""))}].");

    private void Fail(string name, string detail) =>
        Error ??= GitHubErrors.InvalidRequest($"For 'properties/{name}', {detail}");

    private static string Render(JsonNode? node) => node is null ? "nil" : node.ToJsonString();
}

/// <summary>Query-string and paging helpers in GitHub's conventions.</summary>
internal static class GitHubQuery
{
    /// <summary>Slices a page (<c>per_page</c> default 30, max 100; <c>page</c> from 1) and sets the Link header.</summary>
    public static IReadOnlyList<T> Paginate<T>(HttpContext http, IReadOnlyList<T> items)
    {
        var (page, perPage) = PageParameters(http.Request.Query);
        var link = Paging.LinkHeader(RequestUrl(http), http.Request.Query, page, perPage, items.Count);
        if (link is not null)
        {
            http.Response.Headers.Link = link;
        }

        return Paging.Page(items, page, perPage);
    }

    public static (int Page, int PerPage) PageParameters(IQueryCollection query)
    {
        var perPage = Int(query, "per_page") is { } p and > 0 ? Math.Min(p, 100) : 30;
        var page = Int(query, "page") is { } n and > 0 ? n : 1;
        return (page, perPage);
    }

    public static string RequestUrl(HttpContext http)
    {
        var baseUrl = http.GetCloneContext().ApiBaseUrl;
        var path = http.Request.Path.Value ?? "";
        var marker = path.IndexOf("/api/", StringComparison.Ordinal);
        return marker < 0 ? baseUrl : baseUrl + path[(marker + 4)..];
    }

    public static int? Int(IQueryCollection query, string name) =>
        int.TryParse(query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static string? String(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var v) && v.ToString().Length > 0 ? v.ToString() : null;

    /// <summary>Parses an ISO 8601 <c>since</c>-style timestamp; null when absent or malformed.</summary>
    public static DateTimeOffset? Timestamp(IQueryCollection query, string name) =>
        String(query, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
