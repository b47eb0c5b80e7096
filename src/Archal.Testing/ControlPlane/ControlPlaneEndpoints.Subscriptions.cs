using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// <c>POST /api/sessions/{id}/subscriptions</c> with <c>{"clone", "url", "signingSecret", "events"}</c>: an event
/// subscription the service configures outside its API (Slack's Events API), the same as <c>session.Events.Subscribe</c>.
/// </summary>
internal static partial class ControlPlaneEndpoints
{
    private static async Task<IResult> CreateSubscription(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (Authenticate(http, runtime, ArchalScopes.SessionsWrite, out var token) is { } authError)
        {
            return authError;
        }

        if (FindOwnedSession(runtime, sessionId, token, out var session) is { } error)
        {
            return error;
        }

        if (session.StatusAt(runtime.Time.GetUtcNow()) != SessionStatus.Running)
        {
            return ControlPlaneError.Gone("session_ended", $"Session '{session.Id}' has ended.", "subscriptions need a running session");
        }

        var body = await ReadBodyAsync(http.Request).ConfigureAwait(false);
        JsonObject? json;
        try
        {
            json = body is null ? null : JsonNode.Parse(body.Value.Span) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return ControlPlaneError.BadRequest("invalid_json", "The body must be a JSON object: {\"clone\", \"url\", \"signingSecret\", \"events\"}.");
        }

        static string? Text(JsonObject json, string name) => json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var cloneId = Text(json, "clone");
        if (string.IsNullOrEmpty(cloneId) || !session.States.ContainsKey(cloneId))
        {
            return ControlPlaneError.BadRequest("invalid_clone", $"clone must name a clone of the session: {string.Join(", ", session.CloneIds)}.", "clone");
        }

        if (!Uri.TryCreate(Text(json, "url"), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ControlPlaneError.BadRequest("invalid_url", "url must be an absolute http or https URL.", "url");
        }

        var secret = Text(json, "signingSecret");
        if (string.IsNullOrEmpty(secret))
        {
            return ControlPlaneError.BadRequest("invalid_signing_secret", "signingSecret is required.", "signingSecret");
        }

        if (json["events"] is not JsonArray array || array.Any(e => e is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            return ControlPlaneError.BadRequest("invalid_events", "events must be an array of event names.", "events");
        }

        var subscription = new EventSubscription(url, secret, [.. array.Select(e => e!.GetValue<string>())]);
        try
        {
            session.Events.Subscribe(cloneId, subscription);
        }
        catch (ArgumentException e)
        {
            return ControlPlaneError.BadRequest("invalid_events", e.Message, "events");
        }
        catch (NotSupportedException e)
        {
            return ControlPlaneError.BadRequest("subscriptions_not_supported", e.Message, "clone");
        }

        return ControlPlaneJson.Result(new JsonObject
        {
            ["clone"] = cloneId,
            ["url"] = url.AbsoluteUri,
            ["events"] = new JsonArray([.. subscription.Events.Select(e => (JsonNode)e)]),
        }, StatusCodes.Status201Created);
    }
}
