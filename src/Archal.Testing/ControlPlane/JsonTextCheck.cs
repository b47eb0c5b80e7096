using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Finds text in a JSON body that cannot become a .NET string: raw bytes that are not UTF-8 and escapes that leave
/// a lone surrogate (<c>"\ud800"</c>), in any string or property name. Both parse as JSON but fail later (on
/// <c>GetString</c>, on writing the value back), so the control plane checks them first and names the field.
/// </summary>
internal static class JsonTextCheck
{
    /// <summary>The first invalid text, as the field path that holds it (<c>clones[0]</c>) and what is wrong; null when every string is valid.</summary>
    /// <remarks>Structural errors are left to the parser that follows (it reports them with a position).</remarks>
    public static (string Field, string Problem)? FindInvalidText(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        // One frame per open container: its path and, for arrays, the next index.
        var path = new List<(string Path, int Index, bool IsArray)>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var here = path.Count == 0 ? "" : ValuePath(path, ref pendingName);
                        path.Add((here, 0, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        if (Check(ref reader) is { } nameProblem)
                        {
                            var holder = path[^1].Path.Length == 0 ? "body" : path[^1].Path;
                            return (holder, $"a property name in '{holder}' {nameProblem}");
                        }

                        pendingName = reader.GetString();
                        break;
                    default:
                        var field = path.Count == 0 ? "body" : ValuePath(path, ref pendingName);
                        if (reader.TokenType == JsonTokenType.String && Check(ref reader) is { } valueProblem)
                        {
                            return (field, $"the value of '{field}' {valueProblem}");
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the parser reports it.
        }

        return null;
    }

    /// <summary>The path of the value about to be read in the innermost container (and advances an array's index).</summary>
    private static string ValuePath(List<(string Path, int Index, bool IsArray)> path, ref string? pendingName)
    {
        var (parent, index, isArray) = path[^1];
        if (isArray)
        {
            path[^1] = (parent, index + 1, true);
            return $"{parent}[{index}]";
        }

        var name = pendingName ?? "";
        pendingName = null;
        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    private static string? Check(ref Utf8JsonReader reader)
    {
        // Raw bytes first (escapes are ASCII, so invalid bytes are invalid with or without them).
        if (!Utf8.IsValid(reader.ValueSpan))
        {
            return InvalidUtf8(reader.ValueSpan);
        }

        if (!reader.ValueIsEscaped)
        {
            return null;
        }

        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Valid bytes that do not transcode: an escape that decodes to a lone surrogate.
            return "holds an unpaired surrogate escape (\\ud800-\\udfff); send the character as UTF-8 or as a surrogate pair";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return $"holds an unpaired surrogate escape (\\u{(int)text[i]:x4}); send the character as UTF-8 or as a surrogate pair";
            }
        }

        return null;
    }

    private static string InvalidUtf8(ReadOnlySpan<byte> value)
    {
        var at = 0;
        while (at < value.Length && Rune.DecodeFromUtf8(value[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        return $"is not valid UTF-8 (byte 0x{value[Math.Min(at, value.Length - 1)]:X2} at position {at} of the string)";
    }
}
