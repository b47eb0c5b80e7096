using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Tracing;

namespace Archal.Testing.ControlPlane;

/// <summary>A session's trace summary, trace and canonical run record as JSON.</summary>
internal static class RunRecordJson
{
    public static JsonObject TraceSummary(SessionRecord session) => TraceSummary(session, session.Trace.Entries);

    private static JsonObject TraceSummary(SessionRecord session, IReadOnlyList<TraceEntry> entries)
    {
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
        var record = RunRecordWithoutEntries(session, origin, now, out var entries);
        record["trace"]!["entries"] = new JsonArray([.. entries.Select(TraceJson.Entry)]);
        return record;
    }

    /// <summary>
    /// Writes the run record as <see cref="RunRecord"/> renders it, byte for byte, but one trace entry at a time:
    /// <paramref name="flush"/> runs after the head and as the entries go, so the first bytes leave at once and the
    /// writer never holds more than a few entries.
    /// </summary>
    public static async Task WriteRunRecordAsync(Utf8JsonWriter writer, SessionRecord session, string origin, DateTimeOffset now, Func<Task> flush)
    {
        // The state diffs are computed when their turn comes, after the entries: the head leaves at once.
        var record = RunRecordWithoutEntries(session, origin, now, out var entries, stateDiffs: false);
        writer.WriteStartObject();
        foreach (var (name, value) in record)
        {
            writer.WritePropertyName(name);
            if (name == "trace")
            {
                await WriteTraceAsync(writer, (JsonObject)value!, entries, includeBodies: true, flush).ConfigureAwait(false);
                continue;
            }

            if (name == "stateDiff")
            {
                writer.WriteStartObject();
                foreach (var (cloneId, _) in (JsonObject)value!)
                {
                    writer.WriteStartArray(cloneId);
                    foreach (var mutation in session.Changes(cloneId))
                    {
                        foreach (var item in TraceJson.Mutations([mutation], session.Redactor))
                        {
                            item!.WriteTo(writer);
                        }

                        await flush().ConfigureAwait(false);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                continue;
            }

            Write(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a trace (<see cref="Trace"/>'s shape) for some of its entries, streaming them; with <paramref name="includeBodies"/> false the entries carry no bodies.</summary>
    public static async Task WriteTraceAsync(Utf8JsonWriter writer, SessionRecord session, IReadOnlyList<TraceEntry> entries, bool includeBodies, string? nextCursor, bool paged, Func<Task> flush)
    {
        var summary = TraceSummary(session);
        if (paged)
        {
            summary["nextCursor"] = nextCursor;
        }

        await WriteTraceAsync(writer, summary, entries, includeBodies, flush).ConfigureAwait(false);
    }

    private static async Task WriteTraceAsync(Utf8JsonWriter writer, JsonObject summary, IReadOnlyList<TraceEntry> entries, bool includeBodies, Func<Task> flush)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in summary)
        {
            writer.WritePropertyName(name);
            Write(writer, value);
        }

        writer.WriteStartArray("entries");
        await flush().ConfigureAwait(false);
        foreach (var entry in entries)
        {
            var json = TraceJson.Entry(entry);
            if (!includeBodies)
            {
                json["request"]!.AsObject().Remove("body");
                json["response"]!.AsObject().Remove("body");
            }

            json.WriteTo(writer);
            await flush().ConfigureAwait(false);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    private static JsonObject RunRecordWithoutEntries(SessionRecord session, string origin, DateTimeOffset now, out IReadOnlyList<TraceEntry> entries, bool stateDiffs = true)
    {
        entries = session.Trace.Entries;
        var summary = SessionSummary.ToJson(session, origin, now);
        var byClone = new JsonObject();
        var stateDiff = new JsonObject();
        foreach (var cloneId in session.CloneIds)
        {
            byClone[cloneId] = session.RequestsByClone.GetValueOrDefault(cloneId);
            if (session.States.ContainsKey(cloneId))
            {
                stateDiff[cloneId] = stateDiffs ? TraceJson.Mutations(session.Changes(cloneId), session.Redactor) : null;
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
            ["trace"] = TraceSummary(session, entries),
            // The fault rules as they stand (with their calls/injected counts); injected entries name them by faultId.
            ["faults"] = session.Faults.List(),
            ["stateDiff"] = stateDiff,
            ["deliveries"] = Events.DeliveryJson.Deliveries(session.Events, session.Redactor),
            ["criteria"] = session.CriteriaResults?.DeepClone(),
            ["session"] = summary,
        };
    }
}
