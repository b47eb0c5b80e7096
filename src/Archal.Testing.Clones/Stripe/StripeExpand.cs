using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Stripe's <c>expand[]</c>: dot paths up to four levels replace id strings with the objects they name;
/// <c>data.</c> walks into list objects (<c>data.customer</c> on a list, <c>items.data.price</c>).
/// </summary>
internal static class StripeExpand
{
    public const int MaxDepth = 4;

    /// <summary>Fields Stripe documents as expandable (an id or null until expanded).</summary>
    private static readonly HashSet<string> Expandable = new(StringComparer.Ordinal)
    {
        "customer", "payment_method", "latest_charge", "payment_intent", "charge", "default_payment_method", "latest_invoice",
        "default_price", "product", "price", "invoice", "subscription", "balance_transaction", "default_source", "application",
        "on_behalf_of", "review", "source", "failure_balance_transaction", "application_fee", "source_transfer", "transfer",
        "destination", "test_clock", "schedule", "pending_setup_intent", "account", "refunds", "data", "items", "lines", "object",
        "plan", "subscription_item", "invoice_item",
    };

    /// <summary>Reads and validates <c>expand</c> from the parameters, removing it.</summary>
    public static List<string> Take(JsonObject parameters)
    {
        var paths = new List<string>();
        if (!parameters.TryGetPropertyValue("expand", out var node))
        {
            return paths;
        }

        parameters.Remove("expand");
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    paths.Add(item is JsonValue value ? value.GetValue<string>() : throw StripeErrors.InvalidArray("expand"));
                }

                break;
            case JsonValue value when value.GetValue<string>().Length == 0:
                break;
            default:
                throw StripeErrors.InvalidArray("expand");
        }

        foreach (var path in paths)
        {
            var depth = path.Split('.').Length;
            if (depth > MaxDepth)
            {
                throw StripeErrors.InvalidRequest(
                    $"You cannot expand more than {MaxDepth} levels of a property. Property: {path}", null, "expand");
            }
        }

        return paths;
    }

    /// <summary>Applies every path to <paramref name="root"/> in place.</summary>
    public static void Apply(StripeState state, JsonNode root, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var segments = path.Split('.');
            if (root is JsonObject { } obj && IsList(obj) && segments[0] != "data")
            {
                // A list response expands its own properties only under data.
                throw CannotExpand(segments[0]);
            }

            Expand(state, root, segments, 0, path);
        }
    }

    private static void Expand(StripeState state, JsonNode? node, string[] segments, int index, string path)
    {
        if (index >= segments.Length || node is not JsonObject obj)
        {
            return;
        }

        var segment = segments[index];
        if (IsList(obj) && segment == "data")
        {
            if (obj["data"] is JsonArray items)
            {
                foreach (var item in items)
                {
                    Expand(state, item, segments, index + 1, path);
                }
            }

            return;
        }

        if (segment.Length == 0 || !Expandable.Contains(segment) || !obj.TryGetPropertyValue(segment, out var value))
        {
            throw CannotExpand(string.Join('.', segments[..(index + 1)]));
        }

        switch (value)
        {
            case null:
                return;
            case JsonValue id when id.TryGetValue<string>(out var text):
                var target = Resolve(state, text) ?? throw CannotExpand(string.Join('.', segments[..(index + 1)]));
                obj[segment] = target;
                Expand(state, target, segments, index + 1, path);
                return;
            case JsonObject or JsonArray when index + 1 < segments.Length:
                Expand(state, value, segments, index + 1, path);
                return;
            case JsonObject:
                return;
            default:
                throw CannotExpand(string.Join('.', segments[..(index + 1)]));
        }
    }

    private static JsonObject? Resolve(StripeState state, string id)
    {
        if (state.FindAny(id) is { } found)
        {
            return (JsonObject)found.Json.DeepClone();
        }

        return state.DeletedCustomers.Contains(id) ? StripeCustomers.DeletedStub(id) : null;
    }

    private static bool IsList(JsonObject obj) =>
        obj["object"] is JsonValue kind && kind.TryGetValue<string>(out var text) && text is "list" or "search_result";

    private static StripeApiException CannotExpand(string property) =>
        StripeErrors.InvalidRequest($"This property cannot be expanded ({property}).", null, "expand");
}
