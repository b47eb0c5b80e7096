using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Scenarios;

/// <summary>
/// Extracts a harness's final answer from its stdout, with the hosted precedence (docs.archal.ai,
/// "Your first harness"): one JSON object (<c>text</c> or <c>payloads[]</c>); a JSON object embedded in
/// mixed output; NDJSON (the last line with a usable <c>text</c>/<c>payloads</c>); otherwise the trimmed
/// non-empty lines outside JSON blocks, joined.
/// </summary>
public static class HarnessOutput
{
    /// <summary>The final answer, or null when stdout is empty.</summary>
    public static string? Extract(string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var trimmed = stdout.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (TryParseObject(trimmed) is { } whole && Answer(whole) is { } wholeAnswer)
        {
            return wholeAnswer;
        }

        // NDJSON and embedded blocks: the last object with a usable answer wins.
        string? found = null;
        var plain = new List<string>();
        foreach (var (block, isJson) in Blocks(trimmed))
        {
            if (isJson)
            {
                if (TryParseObject(block) is { } obj && Answer(obj) is { } answer)
                {
                    found = answer;
                }
            }
            else
            {
                plain.AddRange(block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
            }
        }

        return found ?? (plain.Count > 0 ? string.Join("\n", plain) : null);
    }

    private static string? Answer(JsonObject obj)
    {
        if (obj["payloads"] is JsonArray payloads)
        {
            var texts = payloads.Select(p => p switch
            {
                JsonObject o when o["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String => t.GetValue<string>(),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => null,
            }).Where(t => !string.IsNullOrEmpty(t)).ToList();
            if (texts.Count > 0)
            {
                return string.Join("\n", texts);
            }
        }

        return obj["text"] is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : null;
    }

    private static JsonObject? TryParseObject(string text)
    {
        if (!text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Splits output into outermost balanced <c>{…}</c> blocks and the text between them.</summary>
    private static IEnumerable<(string Block, bool IsJson)> Blocks(string text)
    {
        var plain = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && MatchBrace(text, i) is { } end)
            {
                if (plain.Length > 0)
                {
                    yield return (plain.ToString(), false);
                    plain.Clear();
                }

                yield return (text[i..(end + 1)], true);
                i = end + 1;
                continue;
            }

            plain.Append(text[i]);
            i++;
        }

        if (plain.Length > 0)
        {
            yield return (plain.ToString(), false);
        }
    }

    private static int? MatchBrace(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return null;
    }
}
