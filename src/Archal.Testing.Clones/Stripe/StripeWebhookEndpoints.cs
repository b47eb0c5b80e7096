using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>/v1/webhook_endpoints</c> and the delivery of every event the clone records to the endpoints that enable it,
/// signed as Stripe signs: <c>Stripe-Signature: t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}" keyed with the
/// endpoint's whsec_ secret}</c> (https://docs.stripe.com/webhooks#verify-manually). Object shape from Stripe's
/// OpenAPI <c>webhook_endpoint</c>; the <c>secret</c> is returned only by create
/// (https://docs.stripe.com/api/webhook_endpoints/object).
/// </summary>
internal static partial class StripeWebhookEndpoints
{
    /// <summary>
    /// A sandbox retries a failed delivery "three times over a few hours" (https://docs.stripe.com/webhooks#retries);
    /// Stripe does not publish the intervals, these are ours.
    /// </summary>
    internal static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4)];

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, IndentSize = 2 };

    public static JsonNode Create(StripeCall call)
    {
        call.Allow("url", "enabled_events", "api_version", "connect", "description", "metadata");
        StripeParams.ValidateMetadata(call.Params);
        var url = Url(call.RequireStr("url"));
        var events = EnabledEvents(call) ?? throw StripeErrors.Missing("enabled_events");
        var apiVersion = call.Str("api_version");
        if (apiVersion is not null && !StripeVersions.IsValid(apiVersion))
        {
            throw StripeErrors.InvalidRequest($"Invalid API version: {apiVersion}", null, "api_version");
        }

        var state = call.State;
        var json = new JsonObject
        {
            ["id"] = state.NewId("we_"),
            ["object"] = "webhook_endpoint",
            ["api_version"] = apiVersion,
            ["application"] = null,
            ["created"] = state.NowSeconds,
            ["description"] = call.Str("description"),
            ["enabled_events"] = new JsonArray([.. events.Select(e => (JsonNode)e)]),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["status"] = "enabled",
            ["url"] = url,
        };
        StripeParams.ApplyMetadata(json, call.Params);
        var endpoint = state.Create(state.WebhookEndpoints, new StripeWebhookEndpoint(json, state.NextSequence()), null);
        // The signing secret is a credential: cryptographic randomness, never the session seed.
        var secret = "whsec_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
        state.WebhookSecrets[endpoint.Id] = secret;
        var answer = (JsonObject)endpoint.Json.DeepClone();
        answer["secret"] = secret;
        return answer;
    }

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("description", "disabled", "enabled_events", "metadata", "url");
        StripeParams.ValidateMetadata(call.Params);
        var endpoint = Find(call, call.Route("id"));
        var url = call.Str("url") is { } given ? Url(given) : null;
        var events = EnabledEvents(call);
        var disabled = call.Bool("disabled");
        call.State.Change(call.State.WebhookEndpoints, endpoint, json =>
        {
            if (url is not null)
            {
                json["url"] = url;
            }

            if (events is not null)
            {
                json["enabled_events"] = new JsonArray([.. events.Select(e => (JsonNode)e)]);
            }

            if (call.Has("description"))
            {
                json["description"] = call.Str("description") is { Length: > 0 } description ? description : null;
            }

            if (disabled is { } off)
            {
                json["status"] = off ? "disabled" : "enabled";
            }

            StripeParams.ApplyMetadata(json, call.Params);
        }, null);
        return endpoint.Json;
    }

    public static JsonNode Delete(StripeCall call)
    {
        call.Allow();
        var endpoint = Find(call, call.Route("id"));
        call.State.WebhookEndpoints.Remove(endpoint.Id);
        call.State.WebhookSecrets.Remove(endpoint.Id);
        return new JsonObject { ["id"] = endpoint.Id, ["object"] = "webhook_endpoint", ["deleted"] = true };
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams]);
        return StripeLists.List(call, call.State.WebhookEndpoints.Items, "/v1/webhook_endpoints", "webhook_endpoint");
    }

    private static StripeWebhookEndpoint Find(StripeCall call, string id) =>
        call.State.WebhookEndpoints.Find(id) ?? throw StripeErrors.NoSuch("webhook_endpoint", id);

    private static string Url(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw StripeErrors.InvalidRequest($"Invalid URL: {url}. URLs must begin with http:// or https://", "url_invalid", "url");

    /// <summary><c>*</c> or event names shaped as Stripe's (<c>invoice.paid</c>, <c>customer.subscription.created</c>).</summary>
    private static List<string>? EnabledEvents(StripeCall call)
    {
        var events = StripeParams.StringArray(call.Params, "enabled_events");
        if (events is null)
        {
            return null;
        }

        if (events.Count == 0)
        {
            throw StripeErrors.InvalidRequest("Invalid array", null, "enabled_events");
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] != "*" && !EventName().IsMatch(events[i]))
            {
                throw StripeErrors.InvalidRequest($"Invalid enabled_events[{i}]: {events[i]} is not a Stripe event type.", null, $"enabled_events[{i}]");
            }
        }

        return events;
    }

    [GeneratedRegex(@"^[a-z_]+(\.[a-z_]+)+$")]
    private static partial Regex EventName();

    /// <summary>The enabled endpoints that listen to <paramref name="type"/> (<c>*</c> listens to all).</summary>
    internal static List<StripeWebhookEndpoint> Listening(StripeState state, string type) =>
        [.. state.WebhookEndpoints.Items.Where(e => e.GetString("status") == "enabled"
            && e.Json["enabled_events"]!.AsArray().Any(n => n!.GetValue<string>() is var name && (name == "*" || name == type)))];

    /// <summary>Sends the event to each endpoint, rendered at the endpoint's API version (the account's when it has none).</summary>
    internal static void Send(StripeState state, JsonObject eventJson, IReadOnlyList<StripeWebhookEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            var payload = (JsonObject)eventJson.DeepClone();
            var version = endpoint.GetString("api_version") ?? StripeClone.DefaultApiVersion;
            payload["api_version"] = version;
            if (StripeVersions.NeedsDowngrade(version))
            {
                StripeVersions.Downgrade(state, payload["data"]!["object"], version);
            }

            var body = Encoding.UTF8.GetBytes(payload.ToJsonString(Pretty));
            var secret = Encoding.UTF8.GetBytes(state.WebhookSecrets[endpoint.Id]);
            state.Webhooks.Send(new WebhookMessage
            {
                CloneId = "stripe",
                EventType = eventJson["type"]!.GetValue<string>(),
                EventId = eventJson["id"]!.GetValue<string>(),
                Source = endpoint.Id,
                Url = new Uri(endpoint.GetString("url")!),
                Body = body,
                ContentType = "application/json; charset=utf-8",
                RetryDelays = RetryDelays,
                Timeout = TimeSpan.FromSeconds(10),
                Headers = attempt =>
                [
                    new("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
                    new("Accept", "*/*; q=0.5, application/xml"),
                    new("Cache-Control", "no-cache"),
                    new("Stripe-Signature", Signature(secret, attempt.Time.ToUnixTimeSeconds(), body)),
                ],
            });
        }
    }

    /// <summary><c>t={timestamp},v1={hex HMAC-SHA256 of "{timestamp}.{body}"}</c>.</summary>
    internal static string Signature(byte[] secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed))}";
    }
}

/// <summary>A webhook endpoint (<c>we_</c>).</summary>
internal sealed class StripeWebhookEndpoint : StripeObject
{
    internal StripeWebhookEndpoint(JsonObject json, long sequence) : base(json, sequence) { }
}
