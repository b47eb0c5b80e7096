using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// Parses <c>application/x-www-form-urlencoded</c> bodies (and query strings) under the shared rules, either as flat
/// pairs or, with Rack's bracket semantics, as a tree: <c>metadata[k]=v</c> is a hash, <c>expand[]=a</c> appends to
/// an array, and <c>items[0][price]=p</c> becomes an array because its keys are <c>0..n-1</c>. Never throws on
/// hostile input and never builds a tree deeper than <see cref="BodyParseOptions.MaxDepth"/>.
/// </summary>
/// <remarks>
/// <c>+</c> is a space; <c>%XX</c> escapes are decoded to bytes that must be valid UTF-8
/// (<see cref="BodyParseErrorKind.InvalidUtf8"/>); a stray <c>%</c> is an error or a literal as
/// <see cref="BodyParseOptions.StrictPercentEncoding"/> says. Empty segments (<c>&amp;&amp;</c>) are skipped; a key
/// without <c>=</c> has the empty value. Later scalar values replace earlier ones.
/// </remarks>
public static class FormBodyParser
{
    /// <summary>Parses <paramref name="body"/> into pairs, in order, keys and values percent-decoded.</summary>
    /// <param name="body">The body (or a query string without its <c>?</c>) as bytes.</param>
    /// <param name="options">The limits to apply, or null for <see cref="BodyParseOptions.Default"/>.</param>
    /// <param name="pairs">The pairs; empty on failure.</param>
    /// <param name="error">Why the body was refused; null on success.</param>
    /// <returns>Whether the body parsed.</returns>
    public static bool TryParsePairs(ReadOnlySpan<byte> body, BodyParseOptions? options,
        out IReadOnlyList<KeyValuePair<string, string>> pairs, [NotNullWhen(false)] out BodyParseError? error)
    {
        options ??= BodyParseOptions.Default;
        var list = new List<KeyValuePair<string, string>>();
        pairs = list;
        var start = 0;
        while (start <= body.Length)
        {
            var length = body[start..].IndexOf((byte)'&');
            var end = length < 0 ? body.Length : start + length;
            var pair = body[start..end];
            if (!pair.IsEmpty)
            {
                if (list.Count == options.MaxParts)
                {
                    list.Clear();
                    error = new BodyParseError(BodyParseErrorKind.TooManyParts, $"the body has more than {options.MaxParts} parameters.") { Offset = start };
                    return false;
                }

                var eq = pair.IndexOf((byte)'=');
                var rawKey = eq < 0 ? pair : pair[..eq];
                var rawValue = eq < 0 ? [] : pair[(eq + 1)..];
                if (!TryDecode(rawKey, start, null, options, out var key, out error)
                    || !CheckKeyLength(key, start, options, out error)
                    || !TryDecode(rawValue, start + (eq < 0 ? pair.Length : eq + 1), key, options, out var value, out error))
                {
                    list.Clear();
                    return false;
                }

                list.Add(new(key, value));
            }

            start = end + 1;
        }

        error = null;
        return true;
    }

    /// <summary>Parses <paramref name="text"/> (a query string without its <c>?</c>) into pairs.</summary>
    /// <param name="text">The text; null or empty gives no pairs.</param>
    /// <param name="options">The limits to apply, or null for <see cref="BodyParseOptions.Default"/>.</param>
    /// <param name="pairs">The pairs; empty on failure.</param>
    /// <param name="error">Why the text was refused; null on success.</param>
    /// <returns>Whether the text parsed.</returns>
    public static bool TryParsePairs(string? text, BodyParseOptions? options,
        out IReadOnlyList<KeyValuePair<string, string>> pairs, [NotNullWhen(false)] out BodyParseError? error) =>
        TryParsePairs(System.Text.Encoding.UTF8.GetBytes(text ?? ""), options, out pairs, out error);

    /// <summary>Parses <paramref name="body"/> into a tree with Rack's bracket semantics; leaves are strings.</summary>
    /// <param name="body">The body (or a query string without its <c>?</c>) as bytes.</param>
    /// <param name="options">The limits to apply, or null for <see cref="BodyParseOptions.Default"/>.</param>
    /// <param name="tree">The parameters; empty on failure. Never deeper than <see cref="BodyParseOptions.MaxDepth"/>.</param>
    /// <param name="error">Why the body was refused; null on success.</param>
    /// <returns>Whether the body parsed.</returns>
    public static bool TryParseNested(ReadOnlySpan<byte> body, BodyParseOptions? options, out JsonObject tree, [NotNullWhen(false)] out BodyParseError? error)
    {
        options ??= BodyParseOptions.Default;
        tree = new JsonObject();
        if (!TryParsePairs(body, options, out var pairs, out error))
        {
            return false;
        }

        foreach (var (key, value) in pairs)
        {
            if (!TrySplitKey(key, options, out var path, out error) || !TryInsert(tree, path, value, key, out error))
            {
                tree = new JsonObject();
                return false;
            }
        }

        tree = (JsonObject)Normalize(tree);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> (a query string without its <c>?</c>) into a tree; see <see cref="TryParseNested(ReadOnlySpan{byte}, BodyParseOptions?, out JsonObject, out BodyParseError?)"/>.</summary>
    /// <param name="text">The text; null or empty gives an empty tree.</param>
    /// <param name="options">The limits to apply, or null for <see cref="BodyParseOptions.Default"/>.</param>
    /// <param name="tree">The parameters; empty on failure.</param>
    /// <param name="error">Why the text was refused; null on success.</param>
    /// <returns>Whether the text parsed.</returns>
    public static bool TryParseNested(string? text, BodyParseOptions? options, out JsonObject tree, [NotNullWhen(false)] out BodyParseError? error) =>
        TryParseNested(System.Text.Encoding.UTF8.GetBytes(text ?? ""), options, out tree, out error);

    /// <summary>Splits <c>a[b][]</c> into <c>a</c>, <c>b</c>, <c>""</c>, refusing keys with more than <see cref="BodyParseOptions.MaxDepth"/> segments.</summary>
    internal static bool TrySplitKey(string key, BodyParseOptions options, out List<string> segments, [NotNullWhen(false)] out BodyParseError? error)
    {
        segments = [];
        error = null;
        if (key.Length == 0)
        {
            error = Malformed(key, "a parameter has an empty name.");
            return false;
        }

        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            if (key.Contains(']', StringComparison.Ordinal))
            {
                error = Malformed(key, $"the parameter name '{BodyParseError.Preview(key)}' has an unbalanced ']'.");
                return false;
            }

            segments.Add(key);
            return true;
        }

        if (open == 0)
        {
            error = Malformed(key, $"the parameter name '{BodyParseError.Preview(key)}' starts with '['.");
            return false;
        }

        segments.Add(key[..open]);
        var i = open;
        while (i < key.Length)
        {
            if (segments.Count == options.MaxDepth)
            {
                error = new BodyParseError(BodyParseErrorKind.TooDeep,
                    $"the parameter name '{BodyParseError.Preview(key)}' nests deeper than {options.MaxDepth} levels.")
                {
                    Key = BodyParseError.Preview(key),
                };
                segments = [];
                return false;
            }

            if (key[i] != '[')
            {
                error = Malformed(key, $"the parameter name '{BodyParseError.Preview(key)}' has text after a closing ']'.");
                return false;
            }

            var close = key.IndexOf(']', i + 1);
            if (close < 0)
            {
                error = Malformed(key, $"the parameter name '{BodyParseError.Preview(key)}' has an unclosed '['.");
                return false;
            }

            var segment = key.AsSpan(i + 1, close - i - 1);
            if (segment.Contains('['))
            {
                error = Malformed(key, $"the parameter name '{BodyParseError.Preview(key)}' has a nested '['.");
                return false;
            }

            segments.Add(segment.ToString());
            i = close + 1;
        }

        return true;
    }

    private static bool TryInsert(JsonObject root, List<string> path, string value, string fullKey, [NotNullWhen(false)] out BodyParseError? error)
    {
        error = null;
        var container = root;
        for (var i = 0; i < path.Count; i++)
        {
            var segment = path[i];
            var last = i == path.Count - 1;
            if (segment.Length == 0)
            {
                // "a[]" appends; "a[][x]" continues the last element unless it already has x (Rack).
                segment = NextIndex(container, last ? null : path[i + 1]);
            }

            if (last)
            {
                if (container[segment] is JsonObject)
                {
                    error = Conflict(fullKey);
                    return false;
                }

                container[segment] = value;
                return true;
            }

            switch (container[segment])
            {
                case JsonObject child:
                    container = child;
                    break;
                case null when !container.ContainsKey(segment):
                    var created = new JsonObject();
                    container[segment] = created;
                    container = created;
                    break;
                default:
                    error = Conflict(fullKey);
                    return false;
            }
        }

        return true;
    }

    private static string NextIndex(JsonObject container, string? nextSegment)
    {
        var count = container.Count;
        if (nextSegment is not null && nextSegment.Length > 0 && count > 0
            && container[(count - 1).ToString(CultureInfo.InvariantCulture)] is JsonObject lastElement
            && !lastElement.ContainsKey(nextSegment))
        {
            return (count - 1).ToString(CultureInfo.InvariantCulture);
        }

        return count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Hashes whose keys are exactly 0..n-1 become arrays. Recursion is bounded by the key depth limit.</summary>
    private static JsonNode Normalize(JsonObject node)
    {
        var names = node.Select(p => p.Key).ToList();
        foreach (var name in names)
        {
            if (node[name] is JsonObject child)
            {
                var normalized = Normalize(child);
                if (!ReferenceEquals(normalized, child))
                {
                    node[name] = normalized;
                }
            }
        }

        if (node.Count == 0)
        {
            return node;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] != i.ToString(CultureInfo.InvariantCulture))
            {
                return node;
            }
        }

        var array = new JsonArray();
        foreach (var name in names)
        {
            var child = node[name];
            node.Remove(name);
            array.Add(child);
        }

        return array;
    }

    private static bool CheckKeyLength(string key, int offset, BodyParseOptions options, [NotNullWhen(false)] out BodyParseError? error)
    {
        error = key.Length <= options.MaxKeyLength
            ? null
            : new BodyParseError(BodyParseErrorKind.KeyTooLong,
                $"the parameter name '{BodyParseError.Preview(key)}' is {key.Length} characters long; the limit is {options.MaxKeyLength}.")
            {
                Key = BodyParseError.Preview(key),
                Offset = offset,
            };
        return error is null;
    }

    /// <summary>Percent-decodes one key or value (<c>+</c> is a space) to strict UTF-8 text.</summary>
    private static bool TryDecode(ReadOnlySpan<byte> raw, int offset, string? key, BodyParseOptions options,
        out string text, [NotNullWhen(false)] out BodyParseError? error)
    {
        text = "";
        error = null;
        if (raw.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return TryText(raw, offset, key, out text, out error);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == (byte)'+')
                {
                    buffer[length++] = (byte)' ';
                }
                else if (b == (byte)'%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    buffer[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }
                else if (b == (byte)'%' && options.StrictPercentEncoding)
                {
                    var what = key is null ? "a parameter name" : $"the value of '{BodyParseError.Preview(key)}'";
                    error = new BodyParseError(BodyParseErrorKind.Malformed, $"invalid percent-encoding in {what} at offset {offset + i}.")
                    {
                        Key = key is null ? null : BodyParseError.Preview(key),
                        Offset = offset + i,
                    };
                    return false;
                }
                else
                {
                    buffer[length++] = b;
                }
            }

            return TryText(buffer.AsSpan(0, length), offset, key, out text, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryText(ReadOnlySpan<byte> bytes, int offset, string? key, out string text, [NotNullWhen(false)] out BodyParseError? error)
    {
        text = "";
        error = null;
        if (BodyText.FindInvalidUtf8(bytes) >= 0)
        {
            var what = key is null ? "a parameter name" : $"the value of '{BodyParseError.Preview(key)}'";
            error = new BodyParseError(BodyParseErrorKind.InvalidUtf8, $"{what} at offset {offset} does not decode to valid UTF-8.")
            {
                Key = key is null ? null : BodyParseError.Preview(key),
                Offset = offset,
            };
            return false;
        }

        text = BodyText.Decode(bytes);
        return true;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static BodyParseError Malformed(string key, string message) =>
        new(BodyParseErrorKind.Malformed, message) { Key = BodyParseError.Preview(key) };

    private static BodyParseError Conflict(string key) =>
        new(BodyParseErrorKind.Conflict, $"'{BodyParseError.Preview(key)}' is given both as a value and as a hash.") { Key = BodyParseError.Preview(key) };
}
