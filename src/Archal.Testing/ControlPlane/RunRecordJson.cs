using System.Text.Json.Nodes;
using Archal.Testing.Tracing;

namespace Archal.Testing.ControlPlane;

/// <summary>A session's trace summary, trace and canonical run record as JSON.</summary>
internal static class RunRecordJson
{
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
        summary["entries"] = new JsonArray([.. session.Trace.Entries.Select(TraceJson.Entry)]);
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
                stateDiff[cloneId] = TraceJson.Mutations(session.Changes(cloneId), session.Redactor);
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
            ["deliveries"] = Events.DeliveryJson.Deliveries(session.Events, session.Redactor),
            ["criteria"] = session.CriteriaResults?.DeepClone(),
            ["session"] = summary,
        };
    }
}
