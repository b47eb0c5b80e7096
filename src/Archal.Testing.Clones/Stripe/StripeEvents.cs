using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary><c>/v1/events</c>: every state change the clone makes is recorded as an event (see <see cref="StripeState.Emit(string, StripeObject, System.Text.Json.Nodes.JsonObject?)"/>).</summary>
internal static class StripeEvents
{
    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        var id = call.Route("id");
        return (call.State.Events.Find(id) ?? throw StripeErrors.NoSuch("event", id)).Json;
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "type", "types", "delivery_success"]);
        var type = call.Str("type");
        var types = StripeParams.StringArray(call.Params, "types");
        if (type is not null && types is not null)
        {
            throw StripeErrors.InvalidRequest("You may only specify one of these parameters: type, types.");
        }

        var patterns = types ?? (type is null ? null : [type]);
        var items = call.State.Events.Items.Where(e => patterns is null || patterns.Exists(p => Matches(p, e.Type)));
        return StripeLists.List(call, items, "/v1/events", "event");
    }

    /// <summary><c>charge.succeeded</c> matches itself; <c>charge.*</c> matches every charge event.</summary>
    internal static bool Matches(string pattern, string type) =>
        pattern.EndsWith(".*", StringComparison.Ordinal)
            ? type.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : pattern == type;
}
