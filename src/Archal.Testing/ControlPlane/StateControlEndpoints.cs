using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Control over a session's behaviour and state: fault rules (<c>/api/sessions/{id}/faults</c>), snapshots
/// (<c>/api/sessions/{id}/snapshots</c>) and reset (<c>/api/sessions/{id}/reset</c>). Forks are created by
/// <c>POST /api/sessions</c> with <c>"source": {"snapshotId": …}</c>.
/// </summary>
internal static class StateControlEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/sessions/{sessionId}/faults", AddFault);
        routes.MapGet("/api/sessions/{sessionId}/faults", ListFaults);
        routes.MapDelete("/api/sessions/{sessionId}/faults/{faultId}", DeleteFault);
        routes.MapPost("/api/sessions/{sessionId}/snapshots", CreateSnapshot);
        routes.MapDelete("/api/snapshots/{snapshotId}", DeleteSnapshot);
        routes.MapPost("/api/sessions/{sessionId}/reset", Reset);
    }

    private static IResult CreateSnapshot(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Find(http, runtime, ArchalScopes.SessionsWrite, sessionId, out var session) is { } error)
        {
            return error;
        }

        if (session.States.Count == 0)
        {
            return ControlPlaneError.Conflict("session_preflight", $"Session '{session.Id}' is a preflight session and has no state to snapshot.", "create a running session");
        }

        var snapshot = StateControl.Snapshot(runtime, session);
        http.Response.Headers.Location = $"/api/snapshots/{snapshot.Id}";
        return ControlPlaneJson.Result(snapshot.ToJson(), StatusCodes.Status201Created);
    }

    private static IResult DeleteSnapshot(HttpContext http, ArchalRuntime runtime, string snapshotId)
    {
        if (runtime.Authentication.Authenticate(http.Request, ArchalScopes.SessionsWrite, out var token) is { } error)
        {
            return error;
        }

        return runtime.Snapshots.Find(snapshotId) is { } snapshot && snapshot.OwnerId == token.OwnerId && runtime.Snapshots.Remove(snapshotId)
            ? Results.NoContent()
            : ControlPlaneError.NotFound("snapshot_not_found", $"Snapshot '{snapshotId}' does not exist.", $"snapshotId: {snapshotId}");
    }

    private static async Task<IResult> Reset(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Find(http, runtime, ArchalScopes.SessionsWrite, sessionId, out var session) is { } error)
        {
            return error;
        }

        var (document, bodyError) = await ReadJsonAsync(http.Request, "{}").ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        List<string> clones;
        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ControlPlaneError.BadRequest("invalid_body", "The request body must be a JSON object: {} or {\"clones\": [\"github\"]}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "clones")
                {
                    return ControlPlaneError.BadRequest("unknown_field", $"Unknown field '{property.Name}'. Known fields: clones.", property.Name);
                }
            }

            clones = [.. session.CloneIds];
            if (root.TryGetProperty("clones", out var element) && element.ValueKind != JsonValueKind.Null)
            {
                if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    return ControlPlaneError.BadRequest("invalid_type", "Field 'clones' must be an array of clone ids.", "clones");
                }

                clones = [.. element.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal)];
                if (clones.FirstOrDefault(c => !session.States.ContainsKey(c)) is { } unknown)
                {
                    return ControlPlaneError.BadRequest("unknown_clone", $"Clone '{unknown}' is not in session '{session.Id}'; its clones are {string.Join(", ", session.CloneIds)}.", "clones");
                }
            }
        }

        if (session.StatusAt(runtime.Time.GetUtcNow()) != SessionStatus.Running)
        {
            return ControlPlaneError.Conflict("session_not_running", $"Session '{session.Id}' is not running; only a running session can be reset.", $"status: {session.StatusAt(runtime.Time.GetUtcNow())}");
        }

        StateControl.Reset(session, clones);
        return ControlPlaneJson.Result(new JsonObject
        {
            ["sessionId"] = session.Id,
            ["reset"] = new JsonArray([.. clones.Select(c => (JsonNode?)c)]),
            ["resolvedSeeds"] = new JsonObject([.. clones.Select(c => KeyValuePair.Create(c, (JsonNode?)session.ResolvedSeeds[c]))]),
        });
    }

    private static ControlPlaneError? Find(HttpContext http, ArchalRuntime runtime, string scope, string sessionId, out SessionRecord session)
    {
        session = null!;
        return runtime.Authentication.Authenticate(http.Request, scope, out var token)
            ?? runtime.Authentication.FindOwnedSession(sessionId, token, out session);
    }

    /// <summary>Reads a JSON body of at most 1 MiB; an empty body reads as <paramref name="empty"/> (or is an error when null).</summary>
    internal static async Task<(JsonDocument? Document, ControlPlaneError? Error)> ReadJsonAsync(HttpRequest request, string? empty = null)
    {
        var body = await ControlPlaneEndpoints.ReadBodyAsync(request).ConfigureAwait(false);
        if (body is null)
        {
            return (null, new ControlPlaneError(StatusCodes.Status413PayloadTooLarge, "invalid_request", "payload_too_large",
                $"The request body exceeds {ControlPlaneEndpoints.MaxBodyBytes} bytes.", "body too large"));
        }

        if (body.Value.IsEmpty)
        {
            return empty is null
                ? (null, ControlPlaneError.BadRequest("missing_body", "The request body is empty; expected a JSON object."))
                : (JsonDocument.Parse(empty), null);
        }

        try
        {
            return (JsonDocument.Parse(body.Value, new JsonDocumentOptions { MaxDepth = 64 }), null);
        }
        catch (JsonException ex)
        {
            return (null, ControlPlaneError.BadRequest("invalid_json", $"The request body is not valid JSON: {ex.Message}"));
        }
    }

    private static async Task<IResult> AddFault(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Find(http, runtime, ArchalScopes.SessionsWrite, sessionId, out var session) is { } error)
        {
            return error;
        }

        var (document, bodyError) = await ReadJsonAsync(http.Request).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var (rule, ruleError) = FaultRuleParser.Parse(document!.RootElement, session.CloneIds, runtime.FindClone);
            if (ruleError is not null)
            {
                return ruleError;
            }

            var added = session.Faults.Add(rule!);
            http.Response.Headers.Location = $"/api/sessions/{session.Id}/faults/{added["id"]}";
            return ControlPlaneJson.Result(added, StatusCodes.Status201Created);
        }
    }

    private static IResult ListFaults(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Find(http, runtime, ArchalScopes.SessionsRead, sessionId, out var session) is { } error)
        {
            return error;
        }

        var faults = session.Faults.List();
        return ControlPlaneJson.Result(new JsonObject { ["faults"] = faults, ["count"] = faults.Count });
    }

    private static IResult DeleteFault(HttpContext http, ArchalRuntime runtime, string sessionId, string faultId)
    {
        if (Find(http, runtime, ArchalScopes.SessionsWrite, sessionId, out var session) is { } error)
        {
            return error;
        }

        return session.Faults.Remove(faultId)
            ? Results.NoContent()
            : ControlPlaneError.NotFound("fault_not_found", $"Session '{session.Id}' has no fault rule '{faultId}'.", $"faultId: {faultId}");
    }
}
