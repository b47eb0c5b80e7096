using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>
/// Every object type the clone returns carries every top-level field of Stripe's official fixture object
/// (Specs/stripe/fixtures3.json), with the same JSON type; null only where the fixture has null or Stripe's
/// API reference documents the field as nullable (<see cref="Nullable"/>).
/// </summary>
[Collection(CloneHostCollection.Name)]
public class StripeFixtureShapeTests(CloneHostFixture fixture)
{
    private static readonly Lazy<JsonObject> Fixtures = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Specs", "stripe", "fixtures3.json")))!["resources"]!.AsObject());

    /// <summary>Fields the API reference marks nullable whose fixture example happens to be non-null.</summary>
    private static readonly Dictionary<string, string[]> Nullable = new()
    {
        ["customer"] = ["address", "currency", "discount", "shipping"],
        ["product"] = ["package_dimensions", "default_price"],
        ["price"] = ["custom_unit_amount", "transform_quantity", "recurring"],
        ["payment_method"] = [],
        ["payment_intent"] = ["canceled_at", "last_payment_error", "next_action", "payment_method_configuration_details", "processing",
            "shipping", "transfer_data", "automatic_payment_methods"],
        ["charge"] = ["description", "balance_transaction", "shipping", "transfer_data", "source", "outcome"],
        ["refund"] = [],
        ["subscription"] = ["billing_cycle_anchor_config", "cancel_at", "canceled_at", "ended_at", "next_pending_invoice_item_invoice",
            "pause_collection", "pending_invoice_item_interval", "pending_update", "transfer_data", "trial_end", "trial_start",
            "billing_thresholds", "trial_settings"],
        ["subscription_item"] = ["billing_thresholds"],
        ["invoice"] = ["due_date", "effective_at", "from_invoice", "last_finalization_error", "next_payment_attempt", "rendering",
            "shipping_cost", "shipping_details", "customer_shipping", "webhooks_delivered_at", "parent", "customer_address"],
        ["line_item"] = ["parent", "pricing"],
        ["event"] = [],
    };

    [Fact]
    public async Task Every_returned_object_type_matches_the_official_fixture_shape()
    {
        var (_, client) = await fixture.StartAsync("stripe", "subscription-lifecycle");
        var customer = await client.PostOkAsync("v1/customers", "email=shape%40example.com&payment_method=pm_card_visa");
        var card = (await client.GetJsonAsync($"v1/payment_methods?customer={customer.Id()}"))["data"]![0]!.Id();
        var intent = await client.PostOkAsync("v1/payment_intents",
            $"amount=4200&currency=usd&customer={customer.Id()}&payment_method={card}&confirm=true");
        var refund = await client.PostOkAsync("v1/refunds", $"payment_intent={intent.Id()}&amount=100");
        var subscription = (await client.GetJsonAsync("v1/subscriptions?limit=1"))["data"]![0]!;
        var invoice = (await client.GetJsonAsync("v1/invoices?limit=1"))["data"]![0]!;
        var price = (await client.GetJsonAsync("v1/prices?limit=1"))["data"]![0]!;
        var objects = new Dictionary<string, JsonNode>
        {
            ["customer"] = await client.GetJsonAsync($"v1/customers/{customer.Id()}"),
            ["product"] = await client.GetJsonAsync($"v1/products/{price.Str("product")}"),
            ["price"] = price,
            ["payment_method"] = await client.GetJsonAsync($"v1/payment_methods/{intent.Str("payment_method")}"),
            ["payment_intent"] = await client.GetJsonAsync($"v1/payment_intents/{intent.Id()}"),
            ["charge"] = await client.GetJsonAsync($"v1/charges/{intent.Str("latest_charge")}"),
            ["refund"] = await client.GetJsonAsync($"v1/refunds/{refund.Id()}"),
            ["subscription"] = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}"),
            ["subscription_item"] = subscription["items"]!["data"]![0]!,
            ["invoice"] = await client.GetJsonAsync($"v1/invoices/{invoice.Id()}"),
            ["line_item"] = invoice["lines"]!["data"]![0]!,
            ["event"] = (await client.GetJsonAsync("v1/events?limit=1"))["data"]![0]!,
        };

        var problems = objects.SelectMany(o => Compare(o.Key, Fixtures.Value[o.Key]!.AsObject(), o.Value.AsObject())).ToList();

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Ids_carry_stripes_prefixes()
    {
        var (_, client) = await fixture.StartAsync("stripe", "subscription-lifecycle");

        var subscription = (await client.GetJsonAsync("v1/subscriptions?limit=1&expand[]=data.latest_invoice&expand[]=data.customer"))["data"]![0]!;

        subscription.Id().Should().StartWith("sub_");
        subscription["customer"]!.Id().Should().StartWith("cus_");
        subscription["latest_invoice"]!.Id().Should().StartWith("in_");
        subscription["items"]!["data"]![0]!["price"]!.Id().Should().StartWith("price_");
    }

    private static IEnumerable<string> Compare(string type, JsonObject expected, JsonObject actual)
    {
        foreach (var (field, value) in expected)
        {
            if (!actual.TryGetPropertyValue(field, out var got))
            {
                yield return $"{type}.{field} is missing";
                continue;
            }

            var expectedKind = Kind(value);
            var actualKind = Kind(got);
            if (expectedKind == actualKind || expectedKind == JsonValueKind.Null)
            {
                continue;
            }

            if (actualKind == JsonValueKind.Null && Nullable[type].Contains(field))
            {
                continue;
            }

            yield return $"{type}.{field} is {actualKind} but Stripe's fixture has {expectedKind}";
        }
    }

    private static JsonValueKind Kind(JsonNode? node) => node switch
    {
        null => JsonValueKind.Null,
        JsonObject => JsonValueKind.Object,
        JsonArray => JsonValueKind.Array,
        _ => node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : node.GetValueKind(),
    };
}
