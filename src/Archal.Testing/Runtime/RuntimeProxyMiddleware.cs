using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Runtime;

/// <summary>
/// The route hop of the runtime proxy: <c>/runtime/{sessionId}/{cloneId}/api/{**path}</c> (the subdomain form
/// <c>{sessionId}.clones.{host}/{cloneId}/api/{**path}</c> is rewritten to it before routing). It runs after
/// routing, so the clone's <see cref="CloneOperation"/> comes from the matched endpoint; it checks the route
/// token against the session, strips route-control headers, reads the body once under the host's limit, runs
/// the clone under the session's gate, renders <see cref="CloneException"/>s, and records the call.
/// </summary>
internal sealed class RuntimeProxyMiddleware(RequestDelegate next, ArchalRuntime runtime, TraceRecorder recorder)
{
    internal const string RouteAuthorizationHeader = "x-route-authorization";
    private static readonly PathString Prefix = new("/runtime");

    /// <summary>Before routing: <c>{sessionId}.clones.{host}/{clone}/api/…</c> becomes <c>/runtime/{sessionId}/{clone}/api/…</c>.</summary>
    internal static RequestDelegate RewriteSubdomains(RequestDelegate next) => http =>
    {
        if (SubdomainSession(http.Request.Host.Host) is { } session)
        {
            http.Request.Path = Prefix.Add($"/{session}").Add(http.Request.Path);
        }

        return next(http);
    };

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments(Prefix, out var rest))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var segments = rest.Value!.Split('/', 5);
        // segments: "", sessionId, cloneId, "api" or "mcp", path
        var internalCall = http.Features.Get<RuntimeCallOrigin>();
        var mcp = internalCall is null && segments.Length >= 4 && segments[3] == "mcp" && (segments.Length == 4 || segments[4].Length == 0);
        if (segments.Length < 4 || segments[1].Length == 0 || segments[2].Length == 0 || (segments[3] != "api" && !mcp))
        {
            await ControlPlaneError.NotFound("not_found", "Runtime URLs have the form /runtime/{sessionId}/{cloneId}/api/{path} (or /runtime/{sessionId}/{cloneId}/mcp).",
                $"path: {request.Path}").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var sessionId = segments[1];
        var cloneId = segments[2];
        SessionRecord session;
        var error = internalCall is not null
            ? Trusted(internalCall, sessionId, out session)
            : Authorize(request, sessionId, out session);
        error ??= Admit(session, cloneId, count: !mcp);
        if (error is not null)
        {
            await error.ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        StripRouteHeaders(request.Headers);
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var apiBaseUrl = SubdomainSession(request.Host.Host) is null
            ? $"{origin}/runtime/{sessionId}/{cloneId}/api"
            : $"{origin}/{cloneId}/api";
        if (!session.States.TryGetValue(cloneId, out var state))
        {
            // Ended and released between admission and here.
            await ControlPlaneError.Gone("session_ended", $"Session '{session.Id}' has ended.", "its state was released").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var clone = session.Clones[cloneId];
        if (mcp)
        {
            // MCP protocol traffic (initialize, tools/list, the GET event stream) holds no gate and is not traced:
            // each tool call comes back through this hop as its own runtime call.
            http.Features.Set(new RuntimeMcpHop(session, clone, apiBaseUrl));
            await next(http).ConfigureAwait(false);
            return;
        }

        // The body is read once, before taking the state's gate: a slow upload must not stall other callers.
        CloneRequestBody? body;
        try
        {
            body = await CloneRequestBody.ReadAsync(request.Body, request.ContentLength, runtime.Options.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        using var owned = body;
        var context = new CloneRequestContext(sessionId, clone, state, apiBaseUrl, session.NextRequestId())
        {
            Operation = http.GetEndpoint()?.Metadata.GetMetadata<CloneOperation>(),
            Body = body ?? CloneRequestBody.Empty,
        };
        http.Features.Set(context);
        if (body is not null)
        {
            // Readers that want a stream get one over the same bytes.
            request.Body = body.AsStream();
        }

        // Fault rules count the call before it waits for the state, so their order is the callers' order.
        var fault = session.Faults.Decide(cloneId, context.Operation, request, context.Body.Span);
        if (fault is { LatencyMs: > 0 })
        {
            await FaultInjection.DelayAsync(http, session, fault).ConfigureAwait(false);
        }

        await state.Gate.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            // Work that fell due as host time passed (a scheduled message, a renewal) happens before this call, untraced.
            session.Clock.RunDue(state);
            var capture = recorder.Begin(http, session, context);
            capture.Fault = fault;
            state.BeginRecording();
            try
            {
                if (fault?.Error is { } injected)
                {
                    await clone.WriteFaultAsync(http, injected).ConfigureAwait(false);
                }
                else if (fault is { Drop: true })
                {
                    // The call is traced (status 0), then the connection is aborted below: no status line, no body.
                }
                else if (body is null)
                {
                    await clone.WriteRequestTooLargeAsync(http, runtime.Options.MaxRequestBodyBytes).ConfigureAwait(false);
                }
                else
                {
                    await next(http).ConfigureAwait(false);
                }
            }
            catch (CloneException e) when (!http.Response.HasStarted)
            {
                // The service's own error: headers the clone set on the way (request ids, rate limits) stay.
                if (http.Response.Body.CanSeek)
                {
                    http.Response.Body.SetLength(0);
                }

                await e.WriteAsync(http).ConfigureAwait(false);
            }
            catch (Exception ex) when (!http.Response.HasStarted && ex is not OperationCanceledException)
            {
                // A clone bug: answer (and trace) a readable 500 instead of an empty one.
                http.Response.Clear();
                await new ControlPlaneError(StatusCodes.Status500InternalServerError, "internal_error", "clone_exception",
                    $"The {cloneId} clone failed: {ex.Message}", ex.GetType().FullName ?? "exception").ExecuteAsync(http).ConfigureAwait(false);
            }
            finally
            {
                await capture.CompleteAsync(state.EndRecording()).ConfigureAwait(false);
            }
        }
        finally
        {
            state.Gate.Release();
        }

        if (fault is { Drop: true })
        {
            http.Abort();
        }
    }

    private ControlPlaneError? Authorize(HttpRequest request, string sessionId, out SessionRecord session)
    {
        session = null!;
        string? bearer;
        string header;
        if (request.Headers.TryGetValue(RouteAuthorizationHeader, out var routeAuthorization))
        {
            header = RouteAuthorizationHeader;
            var value = routeAuthorization.ToString();
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return ControlPlaneError.Unauthorized("invalid_route_token", "x-route-authorization must be 'Bearer <archal token>'.",
                    "x-route-authorization has no Bearer scheme");
            }

            bearer = value["Bearer ".Length..].Trim();
        }
        else
        {
            // Without the route header, Authorization carries the Archal token and is forwarded as is.
            header = "Authorization";
            var value = request.Headers.Authorization.ToString();
            bearer = value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;
            if (bearer is null && value.Length > 0)
            {
                return ControlPlaneError.Unauthorized("invalid_route_token",
                    "Send the Archal token as 'x-route-authorization: Bearer <archal token>' (or 'Authorization: Bearer <archal token>').",
                    "Authorization has no Bearer scheme and no x-route-authorization was sent");
            }
        }

        if (runtime.Authentication.CheckToken(bearer, ArchalScopes.SessionsRead, header, out var token) is { } tokenError)
        {
            return tokenError;
        }

        return runtime.Authentication.FindOwnedSession(sessionId, token, out session);
    }

    private static ControlPlaneError? Trusted(RuntimeCallOrigin origin, string sessionId, out SessionRecord session)
    {
        session = origin.Session;
        return session.Id == sessionId
            ? null
            : ControlPlaneError.Forbidden("session_forbidden", $"This call was authorized for session '{session.Id}', not '{sessionId}'.", $"sessionId: {sessionId}");
    }

    /// <summary>
    /// Admits a call: the clone is in the session, the session runs, and (when <paramref name="count"/>) one request of
    /// its <c>rateLimit</c> is spent. MCP protocol requests are not counted but are refused once the budget is spent.
    /// </summary>
    private ControlPlaneError? Admit(SessionRecord session, string cloneId, bool count = true)
    {
        if (!session.CloneIds.Contains(cloneId))
        {
            return ControlPlaneError.NotFound("clone_not_in_session", $"Session '{session.Id}' has no '{cloneId}' clone.",
                $"clones in session: {string.Join(", ", session.CloneIds)}");
        }

        if (session.StatusAt(runtime.Time.GetUtcNow()) != SessionStatus.Running)
        {
            return session.EndReason == "expired"
                ? ControlPlaneError.Gone("session_expired", $"Session '{session.Id}' expired at {SessionSummary.Timestamp(session.ExpiresAt)}.", "create a new session")
                : ControlPlaneError.Gone("session_ended", $"Session '{session.Id}' has ended.", $"ended at {SessionSummary.Timestamp(session.EndedAt!.Value)}");
        }

        if (count ? !session.TryCountRequest(cloneId) : session.Request.RateLimit is { } limit && session.RequestCount >= limit)
        {
            return ControlPlaneError.TooManyRequests("session_rate_limit_exceeded",
                $"Session '{session.Id}' has used all {session.Request.RateLimit} runtime requests its rateLimit allows.",
                $"rateLimit: {session.Request.RateLimit}");
        }

        return null;
    }

    /// <summary>Removes every route-control header so the clone sees only service headers.</summary>
    internal static void StripRouteHeaders(IHeaderDictionary headers)
    {
        List<string>? remove = null;
        foreach (var name in headers.Keys)
        {
            if (name.StartsWith("x-route-", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("x-archal-", StringComparison.OrdinalIgnoreCase))
            {
                (remove ??= []).Add(name);
            }
        }

        if (remove is not null)
        {
            foreach (var name in remove)
            {
                headers.Remove(name);
            }
        }
    }

    /// <summary>The session id of a <c>{sessionId}.clones.{host}</c> host name, or null.</summary>
    internal static string? SubdomainSession(string host)
    {
        var firstDot = host.IndexOf('.', StringComparison.Ordinal);
        if (firstDot <= 0)
        {
            return null;
        }

        return host.AsSpan(firstDot + 1).StartsWith("clones.", StringComparison.OrdinalIgnoreCase)
            ? host[..firstDot]
            : null;
    }
}
