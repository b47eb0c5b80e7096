using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archal.Testing.Clones;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>
/// Removes secrets from what a trace records, for one set of clones. Secrets are found by structure: JSON is read
/// with a JSON reader and form bodies and query strings are split into their parameters, so a value is redacted
/// when its name (unescaped and percent-decoded: <c>"pass\u0077ord"</c>, <c>access%5Ftoken</c>,
/// <c>metadata[password]</c>) is a secret name, whatever the value holds; every other string is searched for
/// credential shapes (Archal's tokens and each clone's <see cref="CloneSecrets.TokenPatterns"/>). Secret names are
/// the usual credential names (<c>password</c>, <c>key</c>, <c>sig</c>, <c>auth</c>, names ending in <c>token</c>,
/// <c>secret</c>, <c>password</c> or <c>apikey</c>) plus each clone's <see cref="CloneSecrets.Fields"/>.
/// A host builds one from its clones; <see cref="Redaction"/> uses one built from the built-in clones.
/// </summary>
public sealed class Redactor
{
    private static readonly Lazy<Redactor> BuiltIn = new(() => new Redactor(BuiltInClones.Create()));

    // Archal tokens (arc_, archal_ws_) and JWT-like bearer blobs; the clones add their own shapes.
    private static readonly string[] HarnessTokenPatterns =
        [@"arc_[A-Za-z0-9]{8,}", @"archal_ws_[A-Za-z0-9]{8,}", @"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"];

    // Compared after lower-casing and dropping '_', '-' and '.': "api_key", "API-Key" and "apikey" are one name.
    private static readonly string[] HarnessSecretNames =
    [
        "token", "accesstoken", "refreshtoken", "idtoken", "clientsecret", "secret", "apikey", "password", "passwd", "pwd",
        "passphrase", "privatekey", "secretkey", "accesskey", "signature", "authorization", "credential", "credentials", "cookie",
    ];

    // Credentials by URL convention (?key= API keys, ?sig= signed URLs, ?auth=); as JSON keys these words name ordinary data.
    private static readonly HashSet<string> ParameterSecretNames = new(["key", "sig", "auth"], StringComparer.Ordinal);

    private static readonly string[] SecretSuffixes = ["token", "secret", "password", "passwd", "apikey", "privatekey", "secretkey", "accesskey"];

    private const int MaxNesting = 4;

    private static readonly JsonSerializerOptions StringEncoding = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HashSet<string> _secretNames;
    private readonly Regex _tokenShapes;
    private readonly Regex _jsonField;
    private readonly Regex _escapedJsonField;

    /// <summary>Creates a redactor for <paramref name="clones"/>.</summary>
    /// <exception cref="ArgumentException">A clone's token pattern is not a valid regular expression.</exception>
    public Redactor(IEnumerable<CloneDefinition> clones)
    {
        ArgumentNullException.ThrowIfNull(clones);
        var tokens = new List<string>(HarnessTokenPatterns);
        _secretNames = new HashSet<string>(HarnessSecretNames, StringComparer.Ordinal);
        foreach (var clone in clones)
        {
            var secrets = clone.Secrets;
            foreach (var pattern in secrets.TokenPatterns)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"Clone '{clone.Id}' declares a token pattern that is not a valid regular expression: {pattern}", nameof(clones), ex);
                }

                tokens.Add(pattern);
            }

            foreach (var field in secrets.Fields)
            {
                _secretNames.Add(Normalize(field));
            }
        }

        const RegexOptions options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
        _tokenShapes = new Regex($@"\b(?:{string.Join('|', tokens.Distinct(StringComparer.Ordinal).Select(t => $"(?:{t})"))})", options);
        // Only for text that is not JSON to the end (a body cut at the trace limit): "name": "value with \" escapes".
        _jsonField = new Regex(@"(""((?:[^""\\]|\\.){1,64})""\s*:\s*"")(?:[^""\\]|\\.)*", options);
        // The same inside a JSON-encoded string: \"name\": \"value\".
        _escapedJsonField = new Regex(@"(\\""([A-Za-z0-9_.-]{1,64})\\""\s*:\s*\\"")[^""\\]*", options);
    }

    /// <summary>The redactor for the built-in clones (GitHub, Slack, Stripe).</summary>
    public static Redactor Default => BuiltIn.Value;

    /// <summary>Whether a field or parameter named <paramref name="name"/> holds a secret (<c>metadata[password]</c> does).</summary>
    public bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsSecretSegment(name))
        {
            return true;
        }

        // Bracketed form names (Stripe's metadata[password], a[b][api_token]): any segment counts.
        if (name.Contains('[', StringComparison.Ordinal))
        {
            foreach (var segment in name.Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (IsSecretSegment(segment))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The header value as the trace keeps it: the scheme survives, the credential does not.</summary>
    public string Header(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(name);
        if (!Redaction.IsSecretHeader(name))
        {
            // X-CSRF-Token, X-Hub-Signature-256, Stripe-Signature: the whole value is the secret.
            return IsSecretName(name) || name.Contains("signature", StringComparison.OrdinalIgnoreCase) ? Redaction.Marker : TokenShapes(value);
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && name.Contains("authorization", StringComparison.OrdinalIgnoreCase)
            ? $"{value[..space]} {Redaction.Marker}"
            : Redaction.Marker;
    }

    /// <summary>A copy of <paramref name="node"/>: values under secret names replaced, every other string redacted as <see cref="Text"/>.</summary>
    public JsonNode? Json(JsonNode? node) => Json(node, 0);

    /// <summary>A copy of a state mutation with secrets removed: a secret field's values are replaced, other values redacted as <see cref="Json(JsonNode?)"/>.</summary>
    public StateMutation Mutation(StateMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        return mutation with
        {
            Changes = [.. mutation.Changes.Select(c => IsSecretName(c.Field)
                ? c with { Before = c.Before is null ? null : JsonValue.Create(Redaction.Marker), After = c.After is null ? null : JsonValue.Create(Redaction.Marker) }
                : c with { Before = Json(c.Before), After = Json(c.After) })],
        };
    }

    /// <summary>
    /// Redacts any text a trace keeps: JSON (read by structure, also when cut short), a query string or form body
    /// (parameter by parameter), or other text (credential shapes only).
    /// </summary>
    public string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return RedactText(value, 0);
    }

    private string RedactText(string value, int depth)
    {
        if (value.Length == 0 || depth > MaxNesting)
        {
            return depth > MaxNesting ? TokenShapes(value) : value;
        }

        var trimmed = value.AsSpan().TrimStart();
        if (!trimmed.IsEmpty && trimmed[0] is '{' or '[')
        {
            return JsonText(value, depth);
        }

        return LooksLikeParameters(value) ? Parameters(value, depth) : TokenShapes(value);
    }

    private static bool LooksLikeParameters(string value)
    {
        // a=1&b=2, ?a=1: no white space, and a name before the first '='.
        var start = value.StartsWith('?') ? 1 : 0;
        var equals = value.IndexOf('=', start);
        return equals > start && value.AsSpan().IndexOfAny(" \t\r\n\"<>{}") < 0;
    }

    /// <summary>Form bodies and query strings: a secret-named parameter keeps its raw name, its value becomes the marker.</summary>
    private string Parameters(string value, int depth)
    {
        var builder = new StringBuilder(value.Length);
        var start = 0;
        if (value.StartsWith('?'))
        {
            builder.Append('?');
            start = 1;
        }

        var first = true;
        foreach (var part in value[start..].Split('&'))
        {
            if (!first)
            {
                builder.Append('&');
            }

            first = false;
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? part : part[..equals];
            var name = Decode(rawName);
            if (IsSecretName(name) || ParameterSecretNames.Contains(Normalize(name)))
            {
                builder.Append(rawName).Append('=').Append(Redaction.Marker);
                continue;
            }

            if (equals < 0)
            {
                builder.Append(TokenShapes(part));
                continue;
            }

            var rawValue = part[(equals + 1)..];
            var decoded = Decode(rawValue);
            var redacted = RedactText(decoded, depth + 1);
            builder.Append(rawName).Append('=').Append(redacted == decoded ? rawValue : Uri.EscapeDataString(redacted).Replace("%5BREDACTED%5D", Redaction.Marker, StringComparison.Ordinal));
        }

        return builder.ToString();
    }

    private static string Decode(string component)
    {
        try
        {
            return Uri.UnescapeDataString(component.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return component;
        }
    }

    /// <summary>
    /// JSON text: copied as written except for the values it must replace, so unchanged bodies stay byte-identical.
    /// Reads as far as the text is JSON; a body cut at the trace limit is redacted by structure up to the cut
    /// (a secret value that the cut splits is dropped whole), and anything unreadable after it by pattern.
    /// </summary>
    private string JsonText(string value, int depth)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var output = new ArrayBufferWriter<byte>(bytes.Length + 16);
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = 256 }));
        var copied = 0;
        var secretNext = false;
        var changed = false;

        void Replace(int from, int to, ReadOnlySpan<byte> with)
        {
            output.Write(bytes.AsSpan(copied, from - copied));
            output.Write(with);
            copied = to;
            changed = true;
        }

        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        secretNext = TryGetString(ref reader, out var name) && IsSecretName(name);
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when secretNext:
                        // A container the text cuts short is dropped to the end: nothing after its start is kept.
                        Replace(start, reader.TrySkip() ? (int)reader.BytesConsumed : bytes.Length, MarkerJson);
                        break;
                    case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null when secretNext:
                        Replace(start, (int)reader.BytesConsumed, MarkerJson);
                        break;
                    case JsonTokenType.String:
                        if (TryGetString(ref reader, out var text))
                        {
                            var redacted = RedactText(text, depth + 1);
                            if (redacted != text)
                            {
                                Replace(start, (int)reader.BytesConsumed, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(redacted, StringEncoding)));
                            }
                        }

                        break;
                }

                secretNext = false;
                if (copied == bytes.Length)
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON from here on: the patterns take the rest.
        }

        var consumed = (int)reader.BytesConsumed;
        if (secretNext && copied < bytes.Length)
        {
            // A secret-named value the text does not finish (a body cut at the limit): drop what there is of it.
            Replace(Math.Max(copied, consumed), bytes.Length, MarkerJson);
        }

        if (!changed && consumed >= bytes.Length)
        {
            return value;
        }

        if (copied < consumed)
        {
            output.Write(bytes.AsSpan(copied, consumed - copied));
            copied = consumed;
        }

        // What the reader did not vouch for (after a cut, or text that is not JSON) goes through the patterns.
        var rest = copied < bytes.Length ? Patterns(Encoding.UTF8.GetString(bytes, copied, bytes.Length - copied)) : "";
        return Encoding.UTF8.GetString(output.WrittenSpan) + rest;
    }

    private static readonly byte[] MarkerJson = Encoding.UTF8.GetBytes($"\"{Redaction.Marker}\"");

    private string Patterns(string text)
    {
        text = TokenShapes(text);
        text = _jsonField.Replace(text, m => IsSecretName(Regex.Unescape(m.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal))) ? m.Groups[1].Value + Redaction.Marker : m.Value);
        return _escapedJsonField.Replace(text, m => IsSecretName(m.Groups[2].Value) ? m.Groups[1].Value + Redaction.Marker : m.Value);
    }

    private string TokenShapes(string value) => _tokenShapes.Replace(value, Redaction.Marker);

    private JsonNode? Json(JsonNode? node, int depth) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(RedactText(value.GetValue<string>(), depth + 1)),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key,
            IsSecretName(p.Key) && p.Value is not null ? JsonValue.Create(Redaction.Marker) : Json(p.Value, depth)))),
        JsonArray array => new JsonArray([.. array.Select(item => Json(item, depth))]),
        _ => node.DeepClone(),
    };

    private bool IsSecretSegment(string name)
    {
        var normalized = Normalize(name);
        if (normalized.Length == 0)
        {
            return false;
        }

        if (_secretNames.Contains(normalized))
        {
            return true;
        }

        foreach (var suffix in SecretSuffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }
}
