using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Archal.Testing.Tracing;

/// <summary>Exports a session's trace as HAR 1.2 (opens in browser devtools and HAR viewers).</summary>
internal static class HarExport
{
    /// <summary>The entries as a HAR log; <paramref name="comment"/> names the session and run.</summary>
    public static JsonObject ToHar(IEnumerable<TraceEntry> traceEntries, string comment)
    {
        var entries = new JsonArray();
        foreach (var entry in traceEntries)
        {
            entries.Add(Entry(entry));
        }

        return new JsonObject
        {
            ["log"] = new JsonObject
            {
                ["version"] = "1.2",
                ["creator"] = new JsonObject
                {
                    ["name"] = "Archal.Testing",
                    ["version"] = typeof(HarExport).Assembly.GetName().Version?.ToString() ?? "0.0.0",
                },
                ["pages"] = new JsonArray(),
                ["entries"] = entries,
                ["comment"] = comment,
            },
        };
    }

    /// <summary>Writes the same document as <see cref="ToHar"/>, byte for byte, one entry at a time (<paramref name="flush"/> between them).</summary>
    public static async Task WriteAsync(System.Text.Json.Utf8JsonWriter writer, IEnumerable<TraceEntry> traceEntries, string comment, Func<Task> flush)
    {
        var log = (JsonObject)ToHar([], comment)["log"]!;
        writer.WriteStartObject();
        writer.WriteStartObject("log");
        foreach (var (name, value) in log)
        {
            writer.WritePropertyName(name);
            if (name != "entries")
            {
                value!.WriteTo(writer);
                continue;
            }

            writer.WriteStartArray();
            await flush().ConfigureAwait(false);
            foreach (var entry in traceEntries)
            {
                Entry(entry).WriteTo(writer);
                await flush().ConfigureAwait(false);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static JsonObject Entry(TraceEntry entry)
    {
        var milliseconds = Math.Max(0, entry.Duration.TotalMilliseconds);
        var request = new JsonObject
        {
            ["method"] = entry.Method,
            ["url"] = entry.Url,
            ["httpVersion"] = "HTTP/1.1",
            ["cookies"] = new JsonArray(),
            ["headers"] = Headers(entry.RequestHeaders),
            ["queryString"] = Query(entry.Query),
            ["headersSize"] = -1,
            ["bodySize"] = entry.RequestBody is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(entry.RequestBody),
        };
        if (entry.RequestBody is not null)
        {
            request["postData"] = new JsonObject
            {
                ["mimeType"] = entry.RequestHeaders.GetValueOrDefault("Content-Type") ?? "application/octet-stream",
                ["text"] = entry.RequestBody,
            };
        }

        var mimeType = entry.ResponseHeaders.GetValueOrDefault("Content-Type") ?? "application/octet-stream";
        var responseSize = entry.ResponseBody is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(entry.ResponseBody);
        var har = new JsonObject
        {
            ["startedDateTime"] = entry.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["time"] = milliseconds,
            ["request"] = request,
            ["response"] = new JsonObject
            {
                ["status"] = entry.Status,
                ["statusText"] = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(entry.Status),
                ["httpVersion"] = "HTTP/1.1",
                ["cookies"] = new JsonArray(),
                ["headers"] = Headers(entry.ResponseHeaders),
                ["content"] = new JsonObject
                {
                    ["size"] = responseSize,
                    ["mimeType"] = mimeType,
                    ["text"] = entry.ResponseBody ?? "",
                },
                ["redirectURL"] = entry.ResponseHeaders.GetValueOrDefault("Location") ?? "",
                ["headersSize"] = -1,
                ["bodySize"] = responseSize,
            },
            ["cache"] = new JsonObject(),
            ["timings"] = new JsonObject { ["send"] = 0, ["wait"] = milliseconds, ["receive"] = 0 },
            ["comment"] = $"{entry.CloneId} {entry.Operation}",
            ["_archal"] = new JsonObject
            {
                ["sequence"] = entry.Sequence,
                ["clone"] = entry.CloneId,
                ["operation"] = entry.Operation,
                ["transport"] = entry.Transport,
                ["tool"] = entry.Tool,
                ["pathTemplate"] = entry.PathTemplate,
                ["mutations"] = TraceJson.Mutations(entry.Mutations),
            },
        };
        if (entry.FaultId is not null)
        {
            var archal = har["_archal"]!.AsObject();
            archal["injected"] = true;
            archal["faultId"] = entry.FaultId;
        }

        return har;
    }

    private static JsonArray Headers(IReadOnlyDictionary<string, string> headers)
    {
        var array = new JsonArray();
        foreach (var (name, value) in headers)
        {
            array.Add(new JsonObject { ["name"] = name, ["value"] = value });
        }

        return array;
    }

    private static JsonArray Query(string query)
    {
        var array = new JsonArray();
        foreach (var (name, values) in QueryHelpers.ParseQuery(query))
        {
            foreach (var value in values)
            {
                array.Add(new JsonObject { ["name"] = name, ["value"] = value });
            }
        }

        return array;
    }
}
