using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Tracing;
using Microsoft.AspNetCore.WebUtilities;

namespace Archal.Testing.FluentAssertions;

/// <summary>Matches trace entries against <c>"METHOD /template"</c>, <c>"METHOD /path"</c>, an operation name or an MCP tool name.</summary>
internal static class CallMatcher
{
    public static bool Matches(TraceEntry entry, string cloneId, string endpoint)
    {
        if (!string.Equals(entry.CloneId, cloneId, StringComparison.Ordinal))
        {
            return false;
        }

        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            // An MCP tool name matches each operation the tool sent.
            return string.Equals(entry.Operation, endpoint, StringComparison.Ordinal) || string.Equals(entry.Tool, endpoint, StringComparison.Ordinal);
        }

        if (!string.Equals(entry.Method, endpoint[..space], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var expected = Segments(endpoint[(space + 1)..]);
        return SegmentsMatch(expected, Segments(entry.PathTemplate)) || SegmentsMatch(expected, Segments(entry.Path));
    }

    private static string[] Segments(string path) => path.Split('?')[0].Trim('/').Split('/');

    private static bool SegmentsMatch(string[] expected, string[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            var wildcard = expected[i].StartsWith('{') && expected[i].EndsWith('}');
            if (!wildcard && !string.Equals(expected[i], Uri.UnescapeDataString(actual[i]), StringComparison.Ordinal)
                && !string.Equals(expected[i], actual[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The request body as JSON: JSON as is, form fields as an object, null when empty or unreadable.</summary>
    public static JsonNode? BodyJson(TraceEntry entry)
    {
        if (string.IsNullOrEmpty(entry.RequestBody))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(entry.RequestBody);
        }
        catch (JsonException)
        {
            var form = new JsonObject();
            foreach (var (key, values) in QueryHelpers.ParseQuery("?" + entry.RequestBody))
            {
                form[key] = values.ToString();
            }

            return form.Count == 0 ? null : form;
        }
    }

    public static bool QueryHas(TraceEntry entry, string name, string value) =>
        QueryHelpers.ParseQuery(entry.Query).TryGetValue(name, out var values) && values.Contains(value);
}
