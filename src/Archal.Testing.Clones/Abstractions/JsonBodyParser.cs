using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// Parses a JSON request body into a <see cref="JsonNode"/> under the shared rules: valid UTF-8, nesting no deeper
/// than <see cref="BodyParseOptions.MaxDepth"/>, no property named twice in one object, and no lone-surrogate escape
/// (<c>"\ud800"</c>) in a property name or string. Never throws on hostile input.
/// </summary>
/// <remarks>
/// A first pass with a <see cref="Utf8JsonReader"/> checks the rules without building anything (iterative, so depth
/// costs no stack); only a body that passes becomes a node tree, which therefore has the exact semantics of
/// <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/>.
/// Lone surrogates are refused rather than kept: System.Text.Json reads the escape but the string cannot be written
/// back as UTF-8, so accepting it would move the failure into the handler or the trace (GitHub answers
/// "Problems parsing JSON"; PHP, behind Slack, reports "Single unpaired UTF-16 surrogate").
/// Duplicate names are refused because JSON leaves their meaning undefined and <see cref="JsonObject"/> throws on
/// them when it first indexes the object; names are compared after unescaping (<c>"a"</c> and <c>"\u0061"</c> collide).
/// A body that is empty or only whitespace is <see cref="BodyParseErrorKind.Malformed"/>; callers that treat it as
/// "no arguments" check <see cref="IsBlank"/> first.
/// </remarks>
public static class JsonBodyParser
{
    /// <summary>Whether <paramref name="utf8"/> is empty or only JSON whitespace.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> utf8) => utf8.TrimStart(" \t\r\n"u8).IsEmpty;

    /// <summary>Parses <paramref name="utf8"/> with <see cref="BodyParseOptions.Default"/>.</summary>
    /// <param name="utf8">The body's bytes.</param>
    /// <param name="node">The parsed value (null for the JSON literal <c>null</c>, and on failure).</param>
    /// <param name="error">Why the body was refused; null on success.</param>
    /// <returns>Whether the body parsed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonNode? node, [NotNullWhen(false)] out BodyParseError? error) =>
        TryParse(utf8, BodyParseOptions.Default, out node, out error);

    /// <summary>Parses <paramref name="utf8"/> under <paramref name="options"/>.</summary>
    /// <param name="utf8">The body's bytes.</param>
    /// <param name="options">The limits to apply.</param>
    /// <param name="node">The parsed value (null for the JSON literal <c>null</c>, and on failure).</param>
    /// <param name="error">Why the body was refused; null on success.</param>
    /// <returns>Whether the body parsed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, BodyParseOptions options, out JsonNode? node, [NotNullWhen(false)] out BodyParseError? error)
    {
        ArgumentNullException.ThrowIfNull(options);
        node = null;
        error = Validate(utf8, options);
        if (error is not null)
        {
            return false;
        }

        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = options.MaxDepth + 1 });
            return true;
        }
        catch (JsonException e)
        {
            // Unreachable after validation; kept so a reader/document disagreement is a 400, not a 500.
            error = new BodyParseError(BodyParseErrorKind.Malformed, e.Message);
            return false;
        }
    }

    /// <summary>Parses <paramref name="utf8"/> and requires a JSON object.</summary>
    /// <param name="utf8">The body's bytes.</param>
    /// <param name="options">The limits to apply, or null for <see cref="BodyParseOptions.Default"/>.</param>
    /// <param name="value">The object; null when the body is refused or is not an object.</param>
    /// <param name="error">Why the body was refused; null when it parsed (even if it is not an object).</param>
    /// <returns>Whether the body parsed to an object.</returns>
    public static bool TryParseObject(ReadOnlySpan<byte> utf8, BodyParseOptions? options, [NotNullWhen(true)] out JsonObject? value, out BodyParseError? error)
    {
        value = null;
        if (!TryParse(utf8, options ?? BodyParseOptions.Default, out var node, out error))
        {
            return false;
        }

        value = node as JsonObject;
        return value is not null;
    }

    private static BodyParseError? Validate(ReadOnlySpan<byte> utf8, BodyParseOptions options)
    {
        var invalid = BodyText.FindInvalidUtf8(utf8);
        if (invalid >= 0)
        {
            return new BodyParseError(BodyParseErrorKind.InvalidUtf8, $"the body is not valid UTF-8 (byte 0x{utf8[invalid]:X2} at offset {invalid}).")
            {
                Offset = invalid,
            };
        }

        if (IsBlank(utf8))
        {
            return new BodyParseError(BodyParseErrorKind.Malformed, "the body is empty.") { Offset = 0 };
        }

        // The reader itself stops one level past the limit, so its own depth error can never fire first.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth + 1 });
        // One name set per open container, allocated when an object gets its first property (arrays keep null).
        var names = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth + 1 > options.MaxDepth)
                        {
                            return new BodyParseError(BodyParseErrorKind.TooDeep,
                                $"the body nests deeper than {options.MaxDepth} levels (at offset {reader.TokenStartIndex}).")
                            {
                                Offset = reader.TokenStartIndex,
                            };
                        }

                        names.Push(null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                    {
                        var offset = reader.TokenStartIndex;
                        if (!TryGetString(ref reader, out var name))
                        {
                            return LoneSurrogate("a property name", offset);
                        }

                        var seen = names.Pop() ?? new HashSet<string>(StringComparer.Ordinal);
                        names.Push(seen);
                        if (!seen.Add(name))
                        {
                            return new BodyParseError(BodyParseErrorKind.DuplicateKey,
                                $"the property '{BodyParseError.Preview(name)}' is given twice in one object (at offset {offset}).")
                            {
                                Key = BodyParseError.Preview(name),
                                Offset = offset,
                            };
                        }

                        break;
                    }

                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Unescaped strings are valid UTF-8 already; only escapes can produce a lone surrogate.
                        var at = reader.TokenStartIndex;
                        if (!TryGetString(ref reader, out _))
                        {
                            return LoneSurrogate("a string", at);
                        }

                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return new BodyParseError(BodyParseErrorKind.Malformed, TrimReaderMessage(e))
            {
                Offset = e.LineNumber == 0 ? e.BytePositionInLine : null,
            };
        }

        return null;
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }

        return BodyText.FindLoneSurrogate(value) < 0;
    }

    private static BodyParseError LoneSurrogate(string what, long offset) =>
        new(BodyParseErrorKind.LoneSurrogate, $"{what} at offset {offset} holds an unpaired surrogate escape (\\ud800-\\udfff).")
        {
            Offset = offset,
        };

    private static string TrimReaderMessage(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return $"{text} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).";
    }
}
