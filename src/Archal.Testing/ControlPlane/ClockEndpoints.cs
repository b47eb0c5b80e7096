using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// <c>GET/POST /api/sessions/{id}/clock</c>: read the session's clock, or move it forward with
/// <c>{"advanceSeconds": N}</c> or <c>{"now": "&lt;RFC 3339&gt;"}</c>. What falls due on the way fires in time order.
/// </summary>
internal static partial class ClockEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    // 1000 years: far beyond any test, far below DateTimeOffset.MaxValue.
    private const double MaxAdvanceSeconds = 1000 * 365.25 * 86400;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/sessions/{sessionId}/clock", GetClock);
        routes.MapPost("/api/sessions/{sessionId}/clock", MoveClock);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private static IResult GetClock(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (runtime.Authentication.Authenticate(http.Request, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        return runtime.Authentication.FindOwnedSession(sessionId, token, out var session) is { } error
            ? error
            : ControlPlaneJson.Result(ToJson(session));
    }

    private static async Task<IResult> MoveClock(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (runtime.Authentication.Authenticate(http.Request, ArchalScopes.SessionsWrite, out var token) is { } authError)
        {
            return authError;
        }

        if (runtime.Authentication.FindOwnedSession(sessionId, token, out var session) is { } error)
        {
            return error;
        }

        if (session.StatusAt(runtime.Time.GetUtcNow()) != SessionStatus.Running)
        {
            return ControlPlaneError.Gone("session_ended", $"Session '{session.Id}' has ended; its clock no longer moves.",
                $"ended at {SessionSummary.Timestamp(session.EndedAt!.Value)}");
        }

        var (target, bodyError) = await ReadTargetAsync(http.Request, session).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return bodyError;
        }

        try
        {
            await session.Clock.SetAsync(target, http.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Another call moved the clock past the target meanwhile.
            return Backwards(session, target, "now");
        }

        return ControlPlaneJson.Result(ToJson(session));
    }

    private static JsonObject ToJson(SessionRecord session) => new()
    {
        ["sessionId"] = session.Id,
        ["now"] = SessionSummary.Timestamp(session.Clock.Now),
    };

    private static ControlPlaneError Backwards(SessionRecord session, DateTimeOffset target, string field) =>
        ControlPlaneError.BadRequest("clock_backwards",
            $"The session clock never moves backwards: it is {SessionSummary.Timestamp(session.Clock.Now)}, after {SessionSummary.Timestamp(target)}.", field);

    /// <summary>The instant the body asks for, or the 400 naming the field that is wrong.</summary>
    private static async Task<(DateTimeOffset Target, ControlPlaneError? Error)> ReadTargetAsync(HttpRequest request, SessionRecord session)
    {
        JsonObject? body;
        try
        {
            if (request.ContentLength > MaxBodyBytes)
            {
                return (default, ControlPlaneError.BadRequest("invalid_body", $"The request body exceeds {MaxBodyBytes} bytes."));
            }

            body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException ex)
        {
            return (default, ControlPlaneError.BadRequest("invalid_json", $"The request body is not valid JSON: {ex.Message}"));
        }

        if (body is null)
        {
            return (default, ControlPlaneError.BadRequest("invalid_body",
                "The request body must be a JSON object: {\"advanceSeconds\": N} or {\"now\": \"<RFC 3339 timestamp>\"}."));
        }

        foreach (var (name, _) in body)
        {
            if (name is not ("advanceSeconds" or "now"))
            {
                return (default, ControlPlaneError.BadRequest("unknown_field",
                    $"Unknown field '{name}': send {{\"advanceSeconds\": N}} or {{\"now\": \"<RFC 3339 timestamp>\"}}.", name));
            }
        }

        var hasAdvance = body.TryGetPropertyValue("advanceSeconds", out var advance);
        var hasNow = body.TryGetPropertyValue("now", out var now);
        if (hasAdvance == hasNow)
        {
            return (default, ControlPlaneError.BadRequest(hasAdvance ? "conflicting_fields" : "missing_field",
                hasAdvance ? "Send either 'advanceSeconds' or 'now', not both." : "Send 'advanceSeconds' (seconds to move forward) or 'now' (an RFC 3339 timestamp).",
                "advanceSeconds"));
        }

        var current = session.Clock.Now;
        if (hasAdvance)
        {
            if (advance is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var seconds)
                || double.IsNaN(seconds) || double.IsInfinity(seconds))
            {
                return (default, ControlPlaneError.BadRequest("invalid_value",
                    $"'advanceSeconds' must be a number of seconds; got {advance?.ToJsonString() ?? "null"}.", "advanceSeconds"));
            }

            if (seconds < 0)
            {
                return (default, ControlPlaneError.BadRequest("clock_backwards",
                    $"The session clock never moves backwards: 'advanceSeconds' must be zero or more; got {seconds.ToString(CultureInfo.InvariantCulture)}.", "advanceSeconds"));
            }

            if (seconds > MaxAdvanceSeconds)
            {
                return (default, ControlPlaneError.BadRequest("out_of_range",
                    $"'advanceSeconds' must be at most {MaxAdvanceSeconds.ToString(CultureInfo.InvariantCulture)} (1000 years); got {seconds.ToString(CultureInfo.InvariantCulture)}.", "advanceSeconds"));
            }

            return (current + TimeSpan.FromSeconds(seconds), null);
        }

        if (now is not JsonValue text || text.GetValueKind() != JsonValueKind.String || text.GetValue<string>() is not { } timestamp
            || !Rfc3339().IsMatch(timestamp)
            || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var target))
        {
            return (default, ControlPlaneError.BadRequest("invalid_value",
                $"'now' must be an RFC 3339 timestamp with an offset (for example \"2030-01-31T12:00:00Z\"); got {now?.ToJsonString() ?? "null"}.", "now"));
        }

        return target < current ? (default, Backwards(session, target, "now")) : (target, null);
    }
}
