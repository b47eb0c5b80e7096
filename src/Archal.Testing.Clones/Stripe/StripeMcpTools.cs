using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Stripe's MCP tools as its agent toolkit declares them (stripe/agent-toolkit <c>tools/typescript/src/shared</c>,
/// @stripe/agent-toolkit 0.8.1 at commit 57599dd; MIT; served by @stripe/mcp), limited to the operations this clone
/// serves (no <c>create_payment_link</c>, <c>create_invoice</c>, <c>create_invoice_item</c>, coupons, disputes, balance or
/// documentation search). Results are the toolkit's: <c>{id}</c> for a new customer, the object for products and prices,
/// the list's <c>data</c> for lists. Where the toolkit answers a failure with plain text (<c>Failed to create customer</c>),
/// the clone answers an MCP tool error with that text and Stripe's message.
/// </summary>
internal static class StripeMcpTools
{
    public static IReadOnlyList<CloneTool> Tools { get; } = CloneTool.Load(typeof(StripeMcpTools).Assembly, "Archal.Testing.Clones.Stripe.StripeMcpTools.json",
        new Dictionary<string, (CloneToolHandler, string[])>
        {
            ["create_customer"] = (async call =>
            {
                var customer = await Post(call, "customers/create", "Failed to create customer", [], ("name", call.RequiredString("name")), ("email", call.OptionalString("email"))).ConfigureAwait(false);
                return new JsonObject { ["id"] = customer["id"]?.DeepClone() };
            }, ["customers/create"]),
            ["list_customers"] = (async call =>
            {
                var list = await Get(call, "customers/list", "Failed to list customers", [], ("limit", Limit(call)), ("email", call.OptionalString("email"))).ConfigureAwait(false);
                return new JsonArray([.. list["data"]!.AsArray().Select(c => new JsonObject { ["id"] = c!["id"]?.DeepClone() })]);
            }, ["customers/list"]),
            ["create_product"] = (async call => await Post(call, "products/create", "Failed to create product", [],
                ("name", call.RequiredString("name")), ("description", call.OptionalString("description"))).ConfigureAwait(false), ["products/create"]),
            ["list_products"] = (async call => (await Get(call, "products/list", "Failed to list products", [], ("limit", Limit(call))).ConfigureAwait(false))["data"]!.DeepClone(), ["products/list"]),
            ["create_price"] = (async call => await Post(call, "prices/create", "Failed to create price", [],
                ("product", call.RequiredString("product")), ("unit_amount", CloneToolRequest.Value(call.RequiredInt("unit_amount"))), ("currency", call.RequiredString("currency"))).ConfigureAwait(false), ["prices/create"]),
            ["list_prices"] = (async call => (await Get(call, "prices/list", "Failed to list prices", [],
                ("product", call.OptionalString("product")), ("limit", Limit(call))).ConfigureAwait(false))["data"]!.DeepClone(), ["prices/list"]),
            ["list_invoices"] = (async call => (await Get(call, "invoices/list", "Failed to list invoices", [],
                ("customer", call.OptionalString("customer")), ("limit", Limit(call))).ConfigureAwait(false))["data"]!.DeepClone(), ["invoices/list"]),
            ["finalize_invoice"] = (async call =>
            {
                var invoice = await Post(call, "invoices/finalize", "Failed to finalize invoice", Id(call.RequiredString("invoice"))).ConfigureAwait(false);
                return new JsonObject
                {
                    ["id"] = invoice["id"]?.DeepClone(),
                    ["url"] = invoice["hosted_invoice_url"]?.DeepClone(),
                    ["customer"] = invoice["customer"]?.DeepClone(),
                    ["status"] = invoice["status"]?.DeepClone(),
                };
            }, ["invoices/finalize"]),
            ["list_payment_intents"] = (async call => (await Get(call, "payment_intents/list", "Failed to list payment intents", [],
                ("customer", call.OptionalString("customer")), ("limit", Limit(call))).ConfigureAwait(false))["data"]!.DeepClone(), ["payment_intents/list"]),
            ["create_refund"] = (async call =>
            {
                var refund = await Post(call, "refunds/create", "Failed to create refund", [],
                    ("payment_intent", call.RequiredString("payment_intent")), ("amount", CloneToolRequest.Value(call.OptionalInt("amount")))).ConfigureAwait(false);
                return new JsonObject { ["id"] = refund["id"]?.DeepClone(), ["status"] = refund["status"]?.DeepClone(), ["amount"] = refund["amount"]?.DeepClone() };
            }, ["refunds/create"]),
            ["list_subscriptions"] = (async call => (await Get(call, "subscriptions/list", "Failed to list subscriptions", [],
                ("customer", call.OptionalString("customer")), ("price", call.OptionalString("price")), ("status", call.OptionalString("status")), ("limit", Limit(call))).ConfigureAwait(false))["data"]!.DeepClone(), ["subscriptions/list"]),
            ["cancel_subscription"] = (async call => await Send(call, "subscriptions/cancel", "Failed to cancel subscription", Id(call.RequiredString("subscription")), form: null).ConfigureAwait(false), ["subscriptions/cancel"]),
        });

    private static Dictionary<string, string> Id(string id) => new() { ["id"] = id };

    private static string? Limit(CloneToolCall call) => CloneToolRequest.Value(call.OptionalInt("limit"));

    private static Task<JsonNode> Get(CloneToolCall call, string operation, string failure, Dictionary<string, string> route, params (string Name, string? Value)[] query) =>
        Send(call, operation, failure, route, query: query);

    private static Task<JsonNode> Post(CloneToolCall call, string operation, string failure, Dictionary<string, string> route, params (string Name, string? Value)[] form) =>
        Send(call, operation, failure, route, form: form);

    private static async Task<JsonNode> Send(CloneToolCall call, string operation, string failure, Dictionary<string, string> route,
        (string Name, string? Value)[]? form = null, (string Name, string? Value)[]? query = null)
    {
        var response = await call.SendOrFailAsync(new CloneToolRequest(operation)
        {
            RouteValues = route,
            Form = form?.Select(p => KeyValuePair.Create(p.Name, p.Value)).ToList(),
            Query = query?.Select(p => KeyValuePair.Create(p.Name, p.Value)).ToList() ?? [],
        }, failure).ConfigureAwait(false);
        return response.Json!;
    }
}
