using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.ControlPlane;

/// <summary>The Archal control plane: sessions, runs, catalog and identity.</summary>
internal static partial class ControlPlaneEndpoints
{
    internal const int MaxBodyBytes = 1 << 20;

    // A create-session body may carry an exported seed file (a busy workspace exports ~2 MB, 25 subscriptions with their
    // history ~5 MB); still under Kestrel's 30 MB MaxRequestBodySize.
    internal const int MaxCreateSessionBodyBytes = 16 << 20;
    private const int MaxIdempotencyKeyLength = 200;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/sessions", CreateSession);
        routes.MapGet("/api/sessions", ListSessions);
        routes.MapGet("/api/sessions/{sessionId}", GetSession);
        routes.MapDelete("/api/sessions/{sessionId}", DeleteSession);
        routes.MapPost("/api/sessions/{sessionId}/subscriptions", CreateSubscription);
        routes.MapGet("/api/runs/{runId}", GetRun);
        routes.MapGet("/api/traces", ListTraces);
        routes.MapGet("/api/traces/{rootTraceId}", GetTrace);
        routes.MapGet("/api/traces/{rootTraceId}/har", GetTraceHar);
        routes.MapGet("/api/clones", GetCatalog);
        routes.MapGet("/api/clones/{cloneId}/operations", GetOperations);
        routes.MapGet("/api/clones/{cloneId}/tools", GetTools);
        routes.MapGet("/auth/me", GetMe);
        StateControlEndpoints.Map(routes);
        SeedFileEndpoints.Map(routes);
        ClockEndpoints.Map(routes);
    }

    internal static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static ControlPlaneError? Authenticate(HttpContext http, ArchalRuntime runtime, string scope, out ArchalToken token) =>
        runtime.Authentication.Authenticate(http.Request, scope, out token);

    private static ControlPlaneError? FindOwnedSession(ArchalRuntime runtime, string sessionId, ArchalToken token, out SessionRecord session) =>
        runtime.Authentication.FindOwnedSession(sessionId, token, out session);

    private static async Task<IResult> CreateSession(HttpContext http, ArchalRuntime runtime)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsWrite, out var token) is { } authError)
        {
            return authError;
        }

        string? idempotencyKey = null;
        if (http.Request.Headers.TryGetValue("Idempotency-Key", out var keyValues))
        {
            idempotencyKey = keyValues.ToString();
            if (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength)
            {
                return ControlPlaneError.BadRequest("invalid_idempotency_key",
                    $"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters; got {idempotencyKey.Length}.", "Idempotency-Key");
            }
        }

        var body = await ReadBodyAsync(http.Request, MaxCreateSessionBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return new ControlPlaneError(StatusCodes.Status413PayloadTooLarge, "invalid_request", "payload_too_large",
                $"The request body exceeds {MaxCreateSessionBodyBytes} bytes.", "body too large");
        }

        var (request, error) = CreateSessionRequest.Parse(body.Value, runtime.FindClone,
            snapshotId => runtime.Snapshots.Find(snapshotId) is { } snapshot && snapshot.OwnerId == token.OwnerId ? snapshot.CloneIds : null);
        if (error is not null)
        {
            return error;
        }

        var origin = Origin(http.Request);
        if (request!.PreflightOnly)
        {
            return Build(runtime, request, token, SessionStatus.Preflight, out var preflight) is { } preflightError
                ? preflightError
                : ControlPlaneJson.Result(SessionSummary.ToJson(preflight, origin, runtime.Time.GetUtcNow()));
        }

        if (idempotencyKey is null)
        {
            if (Build(runtime, request, token, SessionStatus.Running, out var created) is { } buildError)
            {
                return buildError;
            }

            runtime.Sessions.Add(created);
            return ControlPlaneJson.Result(SessionSummary.ToJson(created, origin, runtime.Time.GetUtcNow()), StatusCodes.Status201Created);
        }

        var fingerprint = Fingerprint(body.Value.Span);
        var earlier = runtime.Sessions.Reserve(token.OwnerId, idempotencyKey, fingerprint, out var reservation);
        if (earlier is not null)
        {
            if (earlier.Fingerprint != fingerprint)
            {
                return ControlPlaneError.Conflict("idempotency_key_reused",
                    "This Idempotency-Key was already used with a different request body.",
                    "retry with the original body, or use a new Idempotency-Key");
            }

            var (replayId, replayError) = await earlier.Created.Task.ConfigureAwait(false);
            if (replayError is not null)
            {
                return replayError;
            }

            if (runtime.Sessions.Find(replayId!) is not { } replay)
            {
                return ControlPlaneError.NotFound("session_not_found", $"The session this Idempotency-Key created ('{replayId}') is no longer kept.", $"sessionId: {replayId}");
            }

            http.Response.Headers["Idempotent-Replayed"] = "true";
            return ControlPlaneJson.Result(SessionSummary.ToJson(replay, origin, runtime.Time.GetUtcNow()), StatusCodes.Status201Created);
        }

        SessionRecord session;
        try
        {
            if (Build(runtime, request, token, SessionStatus.Running, out session) is { } idempotentBuildError)
            {
                // Callers already waiting on this key get the same 400; later ones try again (the key is not burnt).
                runtime.Sessions.Release(token.OwnerId, idempotencyKey, reservation);
                reservation.Created.SetResult((null, idempotentBuildError));
                return idempotentBuildError;
            }

            runtime.Sessions.Add(session);
        }
        catch (Exception ex)
        {
            // Never leave waiters hanging: they get the same 500 the server-level handler gives this caller.
            runtime.Sessions.Release(token.OwnerId, idempotencyKey, reservation);
            reservation.Created.SetResult((null, ControlPlaneError.Internal(ex)));
            throw;
        }

        reservation.Created.SetResult((session.Id, null));
        return ControlPlaneJson.Result(SessionSummary.ToJson(session, origin, runtime.Time.GetUtcNow()), StatusCodes.Status201Created);
    }

    private static ControlPlaneError? Build(ArchalRuntime runtime, CreateSessionRequest request, ArchalToken token, string status, out SessionRecord session)
    {
        try
        {
            session = runtime.BuildSession(request, token.OwnerId, status);
            return null;
        }
        catch (CloneSeedException ex)
        {
            session = null!;
            return ControlPlaneError.BadRequest("seed_error", ex.Message, "seeds");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidCastException
            or KeyNotFoundException or ArgumentException or System.Text.Json.JsonException or OverflowException)
        {
            // Seed data of the wrong shape (a number where a clone expects a string, say) is the caller's error.
            session = null!;
            return ControlPlaneError.BadRequest("seed_error", $"The seed data could not be applied: {ex.Message}", "seeds");
        }
    }

    private static IResult ListSessions(HttpContext http, ArchalRuntime runtime)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        var now = runtime.Time.GetUtcNow();
        var origin = Origin(http.Request);
        var status = http.Request.Query["status"].ToString();
        var sessions = new JsonArray();
        foreach (var session in runtime.Sessions.OwnedBy(token.OwnerId))
        {
            if (status.Length == 0 || session.StatusAt(now) == status)
            {
                sessions.Add(SessionSummary.ToJson(session, origin, now));
            }
        }

        return ControlPlaneJson.Result(new JsonObject { ["sessions"] = sessions, ["count"] = sessions.Count });
    }

    private static IResult GetSession(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        return FindOwnedSession(runtime, sessionId, token, out var session) is { } error
            ? error
            : ControlPlaneJson.Result(SessionSummary.ToJson(session, Origin(http.Request), runtime.Time.GetUtcNow()));
    }

    private static IResult DeleteSession(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsWrite, out var token) is { } authError)
        {
            return authError;
        }

        if (FindOwnedSession(runtime, sessionId, token, out var session) is { } error)
        {
            return error;
        }

        session.End(runtime.Time.GetUtcNow(), "deleted");
        runtime.Reaper.Ended(session);
        return Results.NoContent();
    }

    private static IResult GetRun(HttpContext http, ArchalRuntime runtime, string runId)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        var notFound = ControlPlaneError.NotFound("run_not_found", $"Run '{runId}' does not exist.", $"runId: {runId}");
        if (!runId.StartsWith("run-", StringComparison.Ordinal))
        {
            return notFound;
        }

        var session = runtime.Sessions.Find("ses-" + runId["run-".Length..]);
        if (session is null)
        {
            return notFound;
        }

        if (session.OwnerId != token.OwnerId)
        {
            return ControlPlaneError.Forbidden("run_forbidden", $"Run '{runId}' belongs to another owner.", $"runId: {runId}");
        }

        if (session.ReleasedAt is { } released)
        {
            // Released after its retention: the record written before the release, or 410.
            return session.RunRecordPath is { } path && File.Exists(path)
                ? Results.File(path, "application/json; charset=utf-8")
                : ControlPlaneError.Gone("run_released", $"Run '{runId}' ended and was released at {SessionSummary.Timestamp(released)}.",
                    "the host keeps a session's state and trace for ArchalHostOptions.EndedSessionRetention after it ends; set RunRecordDirectory to keep run records");
        }

        var origin = Origin(http.Request);
        var now = runtime.Time.GetUtcNow();
        return ControlPlaneJson.Streamed((writer, flush) => RunRecordJson.WriteRunRecordAsync(writer, session, origin, now, flush));
    }

    private static IResult ListTraces(HttpContext http, ArchalRuntime runtime)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        var query = http.Request.Query;
        var limit = 50;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return ControlPlaneError.BadRequest("out_of_range", $"Query parameter 'limit' must be an integer between 1 and 1000; got '{limitText}'.", "limit");
        }

        DateTimeOffset? since = null;
        if (query.TryGetValue("since", out var sinceText))
        {
            if (!DateTimeOffset.TryParse(sinceText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return ControlPlaneError.BadRequest("invalid_value", $"Query parameter 'since' must be an ISO 8601 timestamp; got '{sinceText}'.", "since");
            }

            since = parsed;
        }

        var sessionId = query["sessionId"].ToString();
        var scenario = query["scenario"].ToString();
        var cursor = query["cursor"].ToString();
        var matching = runtime.Sessions.OwnedBy(token.OwnerId)
            .Where(s => s.States.Count > 0)
            .Where(s => sessionId.Length == 0 || s.Id == sessionId)
            .Where(s => scenario.Length == 0 || s.Request.ScenarioId == scenario)
            .Where(s => since is null || s.CreatedAt >= since)
            .OrderByDescending(s => s.CreatedAt)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        var start = 0;
        if (cursor.Length > 0)
        {
            // The cursor is the last rootTraceId of the page before: continue after it.
            start = matching.FindIndex(s => s.Trace.RootTraceId == cursor) + 1;
            if (start == 0)
            {
                return ControlPlaneError.BadRequest("invalid_cursor", $"Query parameter 'cursor' must be a nextCursor from an earlier page; got '{cursor}'.", "cursor");
            }
        }

        var traces = new JsonArray();
        foreach (var session in matching.Skip(start).Take(limit))
        {
            traces.Add(RunRecordJson.TraceSummary(session));
        }

        var more = start + limit < matching.Count;
        return ControlPlaneJson.Result(new JsonObject
        {
            ["traces"] = traces,
            ["count"] = traces.Count,
            ["nextCursor"] = more ? matching[start + limit - 1].Trace.RootTraceId : null,
        });
    }

    /// <summary>
    /// One trace, streamed. <c>limit</c> (1 to 1000) pages the entries, <c>cursor</c> (the <c>nextCursor</c> of the page
    /// before) continues after them, and <c>bodies=false</c> leaves request and response bodies out. Without
    /// <c>limit</c> or <c>cursor</c> every entry comes in one document, as before.
    /// </summary>
    private static IResult GetTrace(HttpContext http, ArchalRuntime runtime, string rootTraceId)
    {
        if (FindTrace(http, runtime, rootTraceId, out var session) is { } error)
        {
            return error;
        }

        var query = http.Request.Query;
        var paged = query.ContainsKey("limit") || query.ContainsKey("cursor");
        var limit = int.MaxValue;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return ControlPlaneError.BadRequest("out_of_range", $"Query parameter 'limit' must be an integer between 1 and 1000; got '{limitText}'.", "limit");
        }

        long after = 0;
        if (query.TryGetValue("cursor", out var cursorText)
            && (!long.TryParse(cursorText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after)))
        {
            return ControlPlaneError.BadRequest("invalid_cursor", $"Query parameter 'cursor' must be a nextCursor from an earlier page; got '{cursorText}'.", "cursor");
        }

        var bodies = true;
        if (query.TryGetValue("bodies", out var bodiesText) && !bool.TryParse(bodiesText, out bodies))
        {
            return ControlPlaneError.BadRequest("invalid_value", $"Query parameter 'bodies' must be true or false; got '{bodiesText}'.", "bodies");
        }

        var all = session.Trace.Entries;
        var page = new List<Tracing.TraceEntry>();
        var more = false;
        foreach (var entry in all)
        {
            if (entry.Sequence <= after)
            {
                continue;
            }

            if (page.Count == limit)
            {
                more = true;
                break;
            }

            page.Add(entry);
        }

        var next = more ? page[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return ControlPlaneJson.Streamed((writer, flush) => RunRecordJson.WriteTraceAsync(writer, session, page, bodies, next, paged, flush));
    }

    private static IResult GetTraceHar(HttpContext http, ArchalRuntime runtime, string rootTraceId) =>
        FindTrace(http, runtime, rootTraceId, out var session)
            ?? ControlPlaneJson.Streamed((writer, flush) => Tracing.HarExport.WriteAsync(writer, session.Trace.Entries, $"session {session.Id}, run {session.RunId}", flush));

    private static ControlPlaneError? FindTrace(HttpContext http, ArchalRuntime runtime, string rootTraceId, out SessionRecord session)
    {
        session = null!;
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        var notFound = ControlPlaneError.NotFound("trace_not_found", $"Trace '{rootTraceId}' does not exist.", $"rootTraceId: {rootTraceId}");
        if (!rootTraceId.StartsWith("trc-", StringComparison.Ordinal) || runtime.Sessions.Find("ses-" + rootTraceId["trc-".Length..]) is not { } found)
        {
            return notFound;
        }

        session = found;
        if (found.OwnerId != token.OwnerId)
        {
            return ControlPlaneError.Forbidden("trace_forbidden", $"Trace '{rootTraceId}' belongs to another owner.", $"rootTraceId: {rootTraceId}");
        }

        return found.ReleasedAt is { } released
            ? ControlPlaneError.Gone("trace_released", $"Trace '{rootTraceId}' was released at {SessionSummary.Timestamp(released)}.",
                "the host keeps a session's trace for ArchalHostOptions.EndedSessionRetention after it ends")
            : null;
    }

    private static IResult GetCatalog(HttpContext http, ArchalRuntime runtime)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out _) is { } authError)
        {
            return authError;
        }

        var clones = new JsonArray();
        foreach (var clone in runtime.Clones.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            clones.Add(new JsonObject
            {
                ["id"] = clone.Id,
                ["name"] = clone.DisplayName,
                ["description"] = clone.Description,
                ["defaultSeed"] = clone.DefaultSeed,
                ["seeds"] = new JsonArray([.. clone.SeedNames.Select(s => JsonValue.Create(s))]),
            });
        }

        return ControlPlaneJson.Result(new JsonObject { ["clones"] = clones });
    }

    /// <summary>The clone's operation table: what it serves, as the trace and fault rules name it.</summary>
    private static IResult GetOperations(HttpContext http, ArchalRuntime runtime, string cloneId)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out _) is { } authError)
        {
            return authError;
        }

        if (runtime.FindClone(cloneId) is not { } clone)
        {
            return ControlPlaneError.NotFound("clone_not_found", $"There is no '{cloneId}' clone.",
                $"clones: {string.Join(", ", runtime.Clones.Select(c => c.Id).Order(StringComparer.Ordinal))}");
        }

        var operations = new JsonArray();
        foreach (var operation in clone.Operations)
        {
            operations.Add(new JsonObject
            {
                ["id"] = operation.Id,
                ["method"] = operation.Method,
                ["template"] = operation.Template,
                ["summary"] = operation.Summary,
                ["mutates"] = operation.Mutates,
                ["docUrl"] = operation.DocUrl?.ToString(),
            });
        }

        return ControlPlaneJson.Result(new JsonObject { ["cloneId"] = clone.Id, ["operations"] = operations });
    }

    /// <summary>The clone's MCP tool catalog, as its <c>/mcp</c> endpoint lists it in every session.</summary>
    private static IResult GetTools(HttpContext http, ArchalRuntime runtime, string cloneId)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out _) is { } authError)
        {
            return authError;
        }

        return runtime.FindClone(cloneId) is { } clone
            ? ControlPlaneJson.Result(CloneToolsJson.Catalog(clone))
            : ControlPlaneError.NotFound("clone_not_found", $"There is no '{cloneId}' clone.",
                $"clones: {string.Join(", ", runtime.Clones.Select(c => c.Id).Order(StringComparer.Ordinal))}");
    }

    private static IResult GetMe(HttpContext http, ArchalRuntime runtime)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        return ControlPlaneJson.Result(new JsonObject
        {
            ["id"] = token.OwnerId,
            ["type"] = token.Kind == ArchalTokenKind.Workspace ? "workspace" : "user",
            ["tokenKind"] = token.Kind == ArchalTokenKind.Workspace ? "workspace_api_key" : "personal_token",
            ["label"] = token.Label,
            ["scopes"] = new JsonArray([.. token.Scopes.Select(s => JsonValue.Create(s))]),
            ["expiresAt"] = token.ExpiresAt is { } expiresAt ? SessionSummary.Timestamp(expiresAt) : null,
        });
    }

    internal static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int limit = MaxBodyBytes)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Fingerprint(ReadOnlySpan<byte> body)
    {
        // Same JSON with different whitespace is the same request.
        var canonical = JsonNode.Parse(body)!.ToJsonString();
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
