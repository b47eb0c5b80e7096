using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Tracing;

namespace Archal.Testing.Events;

/// <summary>A session's deliveries as JSON for the run record: each message once, every attempt with its request headers and answer.</summary>
internal static class DeliveryJson
{
    /// <summary>How much of a payload the run record keeps (the rest is cut with a marker).</summary>
    private const int MaxPayloadChars = 16 * 1024;

    public static JsonObject Deliveries(SessionEvents events, Redactor redactor)
    {
        var deliveries = events.Deliveries;
        return new JsonObject
        {
            ["count"] = deliveries.Count,
            ["forgotten"] = events.Forgotten,
            ["failed"] = deliveries.Count(d => d.Status is WebhookDeliveryStatus.Failed or WebhookDeliveryStatus.Canceled),
            ["entries"] = new JsonArray([.. deliveries.Select(d => (JsonNode)Delivery(d, redactor))]),
        };
    }

    private static JsonObject Delivery(WebhookDelivery delivery, Redactor redactor)
    {
        var payload = Encoding.UTF8.GetString(delivery.Message.Body.Span);
        if (payload.Length > MaxPayloadChars)
        {
            payload = $"{payload[..MaxPayloadChars]}…[truncated: {payload.Length - MaxPayloadChars} more characters]";
        }

        return new JsonObject
        {
            ["sequence"] = delivery.Sequence,
            ["clone"] = delivery.CloneId,
            ["event"] = delivery.EventType,
            ["action"] = delivery.Message.Action,
            ["eventId"] = delivery.Message.EventId,
            ["source"] = delivery.Message.Source,
            ["url"] = delivery.Url.AbsoluteUri,
            ["status"] = delivery.Status.ToString().ToLowerInvariant(),
            ["redelivery"] = delivery.Message.Redelivery,
            ["fault"] = delivery.Fault is null ? null : new JsonObject { ["effect"] = delivery.Fault, ["rule"] = delivery.FaultRuleId },
            ["contentType"] = delivery.Message.ContentType,
            ["payload"] = redactor.Text(payload),
            ["attempts"] = new JsonArray([.. delivery.Attempts.Select(a => (JsonNode)new JsonObject
            {
                ["number"] = a.Number,
                ["startedAt"] = a.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["durationMs"] = Math.Round(a.Duration.TotalMilliseconds, 3),
                ["url"] = a.Url,
                ["requestHeaders"] = new JsonObject([.. a.RequestHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)redactor.Header(h.Key, h.Value)))]),
                ["status"] = a.Status,
                ["responseBody"] = a.ResponseBody is null ? null : redactor.Text(a.ResponseBody),
                ["failure"] = a.Failure == WebhookFailure.None ? null : a.Failure.ToString(),
                ["error"] = a.Error,
            })]),
        };
    }
}
