using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>JSON renderings of trace entries and state changes (the run record that holds them: <c>ControlPlane.RunRecordJson</c>).</summary>
internal static class TraceJson
{
    /// <summary>The platform's timestamp format: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Entry(TraceEntry entry)
    {
        var json = Fields(entry);
        if (entry.FaultId is not null)
        {
            json["injected"] = true;
            json["faultId"] = entry.FaultId;
        }

        return json;
    }

    private static JsonObject Fields(TraceEntry entry) => new()
    {
        ["sequence"] = entry.Sequence,
        ["spanId"] = entry.SpanId,
        ["rootTraceId"] = entry.RootTraceId,
        ["sessionId"] = entry.SessionId,
        ["clone"] = entry.CloneId,
        ["operation"] = entry.Operation,
        ["transport"] = entry.Transport,
        ["tool"] = entry.Tool,
        ["method"] = entry.Method,
        ["pathTemplate"] = entry.PathTemplate,
        ["path"] = entry.Path,
        ["query"] = entry.Query,
        ["url"] = entry.Url,
        ["startedAt"] = Timestamp(entry.StartedAt),
        ["durationMs"] = entry.Duration.TotalMilliseconds,
        ["request"] = new JsonObject
        {
            ["headers"] = Headers(entry.RequestHeaders),
            ["body"] = entry.RequestBody,
        },
        ["response"] = new JsonObject
        {
            ["status"] = entry.Status,
            ["headers"] = Headers(entry.ResponseHeaders),
            ["body"] = entry.ResponseBody,
        },
        ["mutations"] = Mutations(entry.Mutations),
    };

    public static JsonArray Mutations(IEnumerable<StateMutation> mutations) => Mutations(mutations, Redactor.Default);

    public static JsonArray Mutations(IEnumerable<StateMutation> mutations, Redactor redactor)
    {
        var array = new JsonArray();
        foreach (var mutation in mutations.Select(redactor.Mutation))
        {
            var changes = new JsonArray();
            foreach (var change in mutation.Changes)
            {
                changes.Add(new JsonObject
                {
                    ["field"] = change.Field,
                    ["before"] = change.Before?.DeepClone(),
                    ["after"] = change.After?.DeepClone(),
                });
            }

            array.Add(new JsonObject
            {
                ["clone"] = mutation.CloneId,
                ["entityType"] = mutation.EntityType,
                ["id"] = mutation.Id,
                ["kind"] = mutation.Kind.ToString().ToLowerInvariant(),
                ["changes"] = changes,
            });
        }

        return array;
    }

    private static JsonObject Headers(IReadOnlyDictionary<string, string> headers)
    {
        var json = new JsonObject();
        foreach (var (name, value) in headers)
        {
            json[name] = value;
        }

        return json;
    }
}
