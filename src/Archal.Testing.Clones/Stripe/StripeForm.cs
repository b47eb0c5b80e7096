using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Parses Stripe's <c>application/x-www-form-urlencoded</c> bodies and query strings with bracket nesting
/// (Rack semantics): <c>metadata[k]=v</c> is a hash, <c>expand[]=a</c> appends to an array, and
/// <c>items[0][price]=p</c> (the indexed form stripe-node sends) becomes an array because its keys are
/// <c>0..n-1</c>. Leaves are strings; an empty value stays an empty string (Stripe's "unset").
/// </summary>
internal static class StripeForm
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses <paramref name="text"/> (without a leading <c>?</c>).</summary>
    /// <exception cref="StripeApiException">The text is not valid form encoding (Stripe's 400).</exception>
    public static JsonObject Parse(string? text)
    {
        var root = new JsonObject();
        if (string.IsNullOrEmpty(text))
        {
            return root;
        }

        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? "" : pair[(eq + 1)..];
            var key = Decode(rawKey);
            var value = Decode(rawValue);
            if (key.Length == 0)
            {
                throw Invalid($"a parameter has an empty name ('{pair}').");
            }

            Insert(root, SplitKey(key), value, key);
        }

        return (JsonObject)Normalize(root);
    }

    /// <summary>Splits <c>a[b][]</c> into <c>a</c>, <c>b</c>, <c>""</c>.</summary>
    internal static List<string> SplitKey(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            if (key.Contains(']', StringComparison.Ordinal))
            {
                throw Invalid($"the parameter name '{key}' has an unbalanced ']'.");
            }

            return [key];
        }

        if (open == 0)
        {
            throw Invalid($"the parameter name '{key}' starts with '['.");
        }

        var segments = new List<string> { key[..open] };
        var i = open;
        while (i < key.Length)
        {
            if (key[i] != '[')
            {
                throw Invalid($"the parameter name '{key}' has text after a closing ']'.");
            }

            var close = key.IndexOf(']', i + 1);
            if (close < 0)
            {
                throw Invalid($"the parameter name '{key}' has an unclosed '['.");
            }

            var segment = key[(i + 1)..close];
            if (segment.Contains('[', StringComparison.Ordinal))
            {
                throw Invalid($"the parameter name '{key}' has a nested '['.");
            }

            segments.Add(segment);
            i = close + 1;
        }

        return segments;
    }

    private static void Insert(JsonObject root, List<string> path, string value, string fullKey)
    {
        JsonObject container = root;
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
                    throw Invalid($"'{fullKey}' is given both as a value and as a hash.");
                }

                container[segment] = value;
                return;
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
                    throw Invalid($"'{fullKey}' is given both as a value and as a hash.");
            }
        }
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

    /// <summary>Hashes whose keys are exactly 0..n-1 become arrays, recursively.</summary>
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

    /// <summary>Percent-decodes with <c>+</c> as space; rejects bad escapes and invalid UTF-8.</summary>
    internal static string Decode(string raw)
    {
        if (raw.IndexOfAny(['%', '+']) < 0)
        {
            return raw;
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    throw Invalid($"invalid percent-encoding in '{raw}'.");
                }

                bytes.Add(byte.Parse(raw.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"'{raw}' does not decode to valid UTF-8.");
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static StripeApiException Invalid(string detail) =>
        StripeErrors.InvalidRequest($"Invalid request body: it is not valid application/x-www-form-urlencoded data: {detail}");
}
