using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.ControlPlane;

/// <summary>Renders the SessionSummary of get-session.openapi.md and the first shape of the run record.</summary>
internal static class SessionSummary
{
    public static string Timestamp(DateTimeOffset value) => Tracing.TraceJson.Timestamp(value);

    public static string CloneRoot(string origin, string sessionId, string cloneId) =>
        $"{origin}/runtime/{sessionId}/{cloneId}";

    public static JsonObject ToJson(SessionRecord session, string origin, DateTimeOffset now)
    {
        var status = session.StatusAt(now);
        var endpoints = new JsonObject();
        var apiBaseUrls = new JsonObject();
        var mcp = new JsonObject();
        var resolvedSeeds = new JsonObject();
        foreach (var cloneId in session.CloneIds)
        {
            endpoints[cloneId] = CloneRoot(origin, session.Id, cloneId);
            apiBaseUrls[cloneId] = CloneRoot(origin, session.Id, cloneId) + "/api";
            mcp[cloneId] = CloneRoot(origin, session.Id, cloneId) + "/mcp";
            resolvedSeeds[cloneId] = session.ResolvedSeeds[cloneId];
        }

        return new JsonObject
        {
            ["sessionId"] = session.Id,
            ["status"] = status,
            ["alive"] = status == SessionStatus.Running,
            ["cloneIds"] = new JsonArray([.. session.CloneIds.Select(c => JsonValue.Create(c))]),
            ["endpoints"] = endpoints,
            // Each clone's Streamable HTTP MCP endpoint (same route hop as the api base URL).
            ["mcp"] = mcp,
            ["apiBaseUrls"] = apiBaseUrls,
            ["resolvedSeeds"] = resolvedSeeds,
            ["evidence"] = new JsonObject
            {
                ["runId"] = session.RunId,
                ["runUrl"] = $"{origin}/api/runs/{session.RunId}",
                ["rootTraceId"] = session.Trace.RootTraceId,
                ["requestCount"] = session.RequestCount,
            },
            ["runtimeProvider"] = "archal-testing",
            ["transport"] = session.Request.Transport,
            ["scenarioId"] = session.Request.ScenarioId,
            ["scenarioRunCount"] = session.Request.ScenarioRunCount,
            ["rateLimit"] = session.Request.RateLimit,
            ["batchId"] = null,
            ["batchSuiteName"] = null,
            ["createdAt"] = Timestamp(session.CreatedAt),
            ["expiresAt"] = Timestamp(session.ExpiresAt),
            ["endedAt"] = session.EndedAt is { } ended ? Timestamp(ended) : null,
            ["endReason"] = session.EndReason,
            ["lastError"] = session.LastError,
        };
    }
}
