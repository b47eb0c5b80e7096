using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// A Web API call's arguments, merged from the query string and the body
/// (<c>application/x-www-form-urlencoded</c>, <c>multipart/form-data</c> or <c>application/json</c>).
/// </summary>
/// <remarks>
/// Form values are strings; JSON bodies keep their types (a JSON array stays an array). Slack reads
/// a <c>token</c> argument from the query or form, never from a JSON body: JSON callers must send
/// <c>Authorization: Bearer</c>.
/// </remarks>
internal sealed class SlackArgs
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    /// <summary>The token given as the <c>token</c> argument (query or form).</summary>
    public string? Token { get; private set; }

    /// <summary>Whether the body was JSON.</summary>
    public bool IsJson { get; private set; }

    /// <summary>Warnings Slack attaches to the response (for example <c>missing_charset</c>).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>An argument-level error found while reading (Slack reports it after authentication).</summary>
    public string? ReadError { get; private set; }

    public static async Task<SlackArgs> ReadAsync(HttpRequest request)
    {
        var args = new SlackArgs();
        foreach (var (key, values) in request.Query)
        {
            args.AddForm(key, values);
        }

        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method))
        {
            return args;
        }

        var contentType = request.ContentType ?? "";
        var mediaType = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        string body;
        try
        {
            body = await ReadBodyAsync(request).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            args.ReadError = "request_too_large";
            return args;
        }

        if (body.Length == 0 && mediaType is "" or "application/x-www-form-urlencoded" or "application/json" or "text/plain")
        {
            return args;
        }

        switch (mediaType)
        {
            case "application/x-www-form-urlencoded":
            case "text/plain":
                foreach (var (key, values) in QueryHelpers.ParseQuery(body.StartsWith('?') ? body : "?" + body))
                {
                    args.AddForm(key, values);
                }

                break;
            case "multipart/form-data":
                try
                {
                    request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
                    var form = await request.ReadFormAsync().ConfigureAwait(false);
                    foreach (var (key, values) in form)
                    {
                        args.AddForm(key, values);
                    }
                }
                catch (Exception e) when (e is InvalidDataException or IOException or FormatException or InvalidOperationException)
                {
                    args.ReadError = "invalid_form_data";
                }

                break;
            case "application/json":
                args.IsJson = true;
                if (!contentType.Contains("charset", StringComparison.OrdinalIgnoreCase))
                {
                    args.Warnings.Add("missing_charset");
                }

                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    args.ReadError = "invalid_json";
                    break;
                }

                if (node is not JsonObject obj)
                {
                    args.ReadError = "json_not_object";
                    break;
                }

                foreach (var (key, value) in obj.ToList())
                {
                    obj.Remove(key);
                    if (key != "token")
                    {
                        args._values[key] = value;
                    }
                }

                break;
            default:
                args.ReadError = "invalid_post_type";
                break;
        }

        return args;
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException("body too large");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private void AddForm(string key, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (key.EndsWith("[]", StringComparison.Ordinal) || key.Contains('[', StringComparison.Ordinal))
        {
            // PHP-style array arguments: Slack wants strings (comma lists or JSON text).
            ReadError ??= "invalid_array_arg";
            return;
        }

        var value = values.Count > 0 ? values[^1] : "";
        if (key == "token")
        {
            Token = value;
            return;
        }

        _values[key] = JsonValue.Create(value ?? "");
    }

    /// <summary>A scalar argument as text; null when absent or empty. Arrays/objects are rejected.</summary>
    public string? Str(string name)
    {
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            string text;
            if (value.TryGetValue<string>(out var s))
            {
                text = s;
            }
            else if (value.TryGetValue<bool>(out var b))
            {
                text = b ? "true" : "false";
            }
            else
            {
                text = value.ToJsonString();
            }

            return text.Length == 0 ? null : text;
        }

        throw new SlackException("invalid_arguments");
    }

    public bool Bool(string name, bool defaultValue = false)
    {
        var text = Str(name);
        return text is null ? defaultValue : text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => defaultValue,
        };
    }

    /// <summary>An integer argument; malformed values give <c>invalid_arguments</c>, out-of-range ones are clamped.</summary>
    public int Int(string name, int defaultValue, int min, int max)
    {
        var text = Str(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw SlackErrors.InvalidArguments($"[ERROR] failed to match all allowed schemas [json-pointer:/{name}]");
        }

        return (int)Math.Clamp(value, min, max);
    }

    /// <summary>A comma-separated list (form) or a JSON array of strings.</summary>
    public List<string>? List(string name)
    {
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonArray array)
        {
            return [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "").Where(s => s.Length > 0)];
        }

        var text = Str(name);
        if (text is not null && text.StartsWith('['))
        {
            // Clients that serialize arrays as JSON text (as @slack/web-api does for non-string arguments).
            try
            {
                if (JsonNode.Parse(text) is JsonArray parsed && parsed.All(n => n is JsonValue v && v.TryGetValue<string>(out _)))
                {
                    return [.. parsed.Select(n => n!.GetValue<string>()).Where(s => s.Length > 0)];
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall back to the comma-separated reading.
            }
        }

        return text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>A JSON-valued argument (blocks, attachments): a JSON array node or a string holding JSON.</summary>
    public JsonArray? JsonArrayArg(string name, string invalidError)
    {
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonArray array)
        {
            return (JsonArray)array.DeepClone();
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            if (text.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(text) as JsonArray ?? throw new SlackException(invalidError);
            }
            catch (JsonException)
            {
                throw new SlackException(invalidError);
            }
        }

        throw new SlackException(invalidError);
    }
}
