using System.Globalization;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

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
    /// <summary>
    /// The shared body rules, except that a stray <c>%</c> in a form body stays a literal <c>%</c>
    /// (Slack decodes forms with PHP, which keeps it; <c>text=50% off</c> posts "50% off").
    /// </summary>
    private static readonly BodyParseOptions FormOptions = BodyParseOptions.Default with { StrictPercentEncoding = false };

    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    /// <summary>The token given as the <c>token</c> argument (query or form).</summary>
    public string? Token { get; private set; }

    /// <summary>Whether the body was JSON.</summary>
    public bool IsJson { get; private set; }

    /// <summary>Warnings Slack attaches to the response (for example <c>missing_charset</c>).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>An argument-level error found while reading (Slack reports it after authentication).</summary>
    public SlackException? ReadError { get; private set; }

    /// <summary>
    /// Reads the call's arguments from the query and from <paramref name="body"/>, the bytes the runtime read once;
    /// bodies the shared parsers refuse become Slack's own errors, never exceptions.
    /// </summary>
    public static SlackArgs Read(HttpRequest request, CloneRequestBody body)
    {
        var args = new SlackArgs();
        foreach (var (key, values) in request.Query)
        {
            args.AddForm(key, values.Count > 0 ? values[^1] ?? "" : "");
        }

        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method))
        {
            return args;
        }

        var contentType = request.ContentType ?? "";
        var mediaType = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        var bytes = body.Span;
        if (bytes.IsEmpty && mediaType is "" or "application/x-www-form-urlencoded" or "application/json" or "text/plain")
        {
            return args;
        }

        switch (mediaType)
        {
            case "application/x-www-form-urlencoded":
            case "text/plain":
                if (bytes.StartsWith("?"u8))
                {
                    bytes = bytes[1..];
                }

                if (!FormBodyParser.TryParsePairs(bytes, FormOptions, out var pairs, out _))
                {
                    args.ReadError = new SlackException("invalid_form_data");
                    break;
                }

                foreach (var (key, value) in pairs)
                {
                    args.AddForm(key, value);
                }

                break;
            case "multipart/form-data":
                if (!MultipartBodyParser.TryGetBoundary(contentType, out var boundary)
                    || !MultipartBodyParser.TryParse(body.Memory, boundary, FormOptions, out var parts, out _))
                {
                    args.ReadError = new SlackException("invalid_form_data");
                    break;
                }

                // File parts are uploads, not arguments.
                foreach (var part in parts.Where(p => !p.IsFile))
                {
                    args.AddForm(part.Name, part.Value!);
                }

                break;
            case "application/json":
                args.IsJson = true;
                if (!contentType.Contains("charset", StringComparison.OrdinalIgnoreCase))
                {
                    args.Warnings.Add("missing_charset");
                }

                if (!JsonBodyParser.TryParse(bytes, BodyParseOptions.Default, out var node, out var error))
                {
                    // Syntax and encoding problems are invalid_json; a property given twice is well-formed JSON
                    // whose meaning is ambiguous, so it is an argument error with the detail Slack's newer methods give.
                    args.ReadError = error.Kind == BodyParseErrorKind.DuplicateKey
                        ? SlackErrors.InvalidArguments($"[ERROR] {error.Message}")
                        : new SlackException("invalid_json");
                    break;
                }

                if (node is not JsonObject obj)
                {
                    args.ReadError = new SlackException("json_not_object");
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
                args.ReadError = new SlackException("invalid_post_type");
                break;
        }

        return args;
    }

    private void AddForm(string key, string value)
    {
        if (key.EndsWith("[]", StringComparison.Ordinal) || key.Contains('[', StringComparison.Ordinal))
        {
            // PHP-style array arguments: Slack wants strings (comma lists or JSON text).
            ReadError ??= new SlackException("invalid_array_arg");
            return;
        }

        if (key == "token")
        {
            Token = value;
            return;
        }

        _values[key] = JsonValue.Create(value);
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
            // Not JSON after all (or JSON the shared rules refuse): fall back to the comma-separated reading.
            if (ParseJsonText(text) is JsonArray parsed && parsed.All(n => n is JsonValue v && v.TryGetValue<string>(out _)))
            {
                return [.. parsed.Select(n => n!.GetValue<string>()).Where(s => s.Length > 0)];
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

            return ParseJsonText(text) as JsonArray ?? throw new SlackException(invalidError);
        }

        throw new SlackException(invalidError);
    }

    /// <summary>JSON carried as text in an argument (form callers send blocks that way), under the shared body rules; null when refused.</summary>
    private static JsonNode? ParseJsonText(string text) =>
        JsonBodyParser.TryParse(System.Text.Encoding.UTF8.GetBytes(text), BodyParseOptions.Default, out var node, out _) ? node : null;
}
