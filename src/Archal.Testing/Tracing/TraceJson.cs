using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;

namespace Archal.Testing.Tracing;

/// <summary>JSON renderings of trace entries, state changes and the canonical run record.</summary>
internal static class TraceJson
{
    public static JsonObject Entry(TraceEntry entry) => new()
    {
        ["sequence"] = entry.Sequence,
        ["spanId"] = entry.SpanId,
        ["rootTraceId"] = entry.RootTraceId,
        ["sessionId"] = entry.SessionId,
        ["clone"] = entry.CloneId,
        ["operation"] = entry.Operation,
        ["method"] = entry.Method,
        ["pathTemplate"] = entry.PathTemplate,
        ["path"] = entry.Path,
        ["query"] = entry.Query,
        ["url"] = entry.Url,
        ["startedAt"] = SessionSummary.Timestamp(entry.StartedAt),
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

    public static JsonObject TraceSummary(SessionRecord session)
    {
        var entries = session.Trace.Entries;
        return new JsonObject
        {
            ["rootTraceId"] = session.Trace.RootTraceId,
            ["sessionId"] = session.Id,
            ["runId"] = session.RunId,
            ["scenarioId"] = session.Request.ScenarioId,
            ["startedAt"] = SessionSummary.Timestamp(session.CreatedAt),
            ["callCount"] = session.Trace.TotalCalls,
            ["dropped"] = session.Trace.Dropped,
            ["clones"] = new JsonArray([.. entries.Select(e => e.CloneId).Distinct().Select(c => JsonValue.Create(c))]),
            ["errorCount"] = entries.Count(e => e.Status >= 400),
        };
    }

    public static JsonObject Trace(SessionRecord session)
    {
        var summary = TraceSummary(session);
        summary["entries"] = new JsonArray([.. session.Trace.Entries.Select(Entry)]);
        return summary;
    }

    /// <summary>The canonical run record: live while the session runs, final once it ends.</summary>
    public static JsonObject RunRecord(SessionRecord session, string origin, DateTimeOffset now)
    {
        var summary = SessionSummary.ToJson(session, origin, now);
        var byClone = new JsonObject();
        var stateDiff = new JsonObject();
        foreach (var cloneId in session.CloneIds)
        {
            byClone[cloneId] = session.RequestsByClone.GetValueOrDefault(cloneId);
            if (session.States.ContainsKey(cloneId))
            {
                stateDiff[cloneId] = Mutations(session.Changes(cloneId), session.Redactor);
            }
        }

        var end = session.EndedAt ?? now;
        return new JsonObject
        {
            ["runId"] = session.RunId,
            ["sessionId"] = session.Id,
            ["status"] = summary["status"]!.DeepClone(),
            ["final"] = session.EndedAt is not null,
            ["scenarioId"] = session.Request.ScenarioId,
            ["cloneIds"] = summary["cloneIds"]!.DeepClone(),
            ["resolvedSeeds"] = summary["resolvedSeeds"]!.DeepClone(),
            ["randomSeed"] = session.RandomSeed,
            ["timings"] = new JsonObject
            {
                ["createdAt"] = SessionSummary.Timestamp(session.CreatedAt),
                ["endedAt"] = session.EndedAt is { } ended ? SessionSummary.Timestamp(ended) : null,
                ["expiresAt"] = SessionSummary.Timestamp(session.ExpiresAt),
                ["durationMs"] = (long)(end - session.CreatedAt).TotalMilliseconds,
            },
            ["requests"] = new JsonObject
            {
                ["total"] = session.RequestCount,
                ["byClone"] = byClone,
            },
            ["trace"] = Trace(session),
            ["stateDiff"] = stateDiff,
            ["criteria"] = session.CriteriaResults?.DeepClone(),
            ["session"] = summary,
        };
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
