using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>Subscriptions, invoices and events over HTTP.</summary>
[Collection(CloneHostCollection.Name)]
public class StripeBillingTests(CloneHostFixture fixture)
{
    private static async Task<(string Customer, string Price)> CustomerWithCardAndPlanAsync(HttpClient client, string card = "pm_card_visa")
    {
        var customer = await client.PostOkAsync("v1/customers", $"email=sub%40example.com&payment_method={card}&invoice_settings[default_payment_method]={card}");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");
        return (customer.Id(), price.Id());
    }

    [Fact]
    public async Task Subscription_charges_its_first_invoice_and_becomes_active()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=sub%40example.com");
        var pm = await client.PostOkAsync("v1/payment_methods/pm_card_visa/attach", $"customer={customer.Id()}");
        await client.PostOkAsync($"v1/customers/{customer.Id()}", $"invoice_settings[default_payment_method]={pm.Id()}");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");

        var subscription = await client.PostOkAsync("v1/subscriptions",
            $"customer={customer.Id()}&items[0][price]={price.Id()}&items[0][quantity]=2&expand[]=latest_invoice");
        var invoice = subscription["latest_invoice"]!;

        subscription.Id().Should().StartWith("sub_");
        subscription.Str("status").Should().Be("active");
        subscription["items"]!["data"]![0]!["price"]!.Id().Should().Be(price.Id());
        subscription["items"]!["data"]![0]!.Long("quantity").Should().Be(2);
        invoice.Str("status").Should().Be("paid");
        invoice.Long("amount_paid").Should().Be(3000);
        invoice["parent"]!["subscription_details"]!.Str("subscription").Should().Be(subscription.Id());
    }

    [Fact]
    public async Task Subscription_with_trial_is_trialing_with_a_zero_invoice()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=trial%40example.com");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");

        var subscription = await client.PostOkAsync("v1/subscriptions",
            $"customer={customer.Id()}&items[0][price]={price.Id()}&trial_period_days=14&expand[]=latest_invoice");

        subscription.Str("status").Should().Be("trialing");
        (subscription.Long("trial_end") - subscription.Long("trial_start")).Should().Be(14 * 86400);
        subscription["latest_invoice"]!.Long("amount_due").Should().Be(0);
        subscription["latest_invoice"]!.Str("status").Should().Be("paid");
    }

    [Fact]
    public async Task Subscription_without_a_payment_method_returns_400_unless_default_incomplete()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=nopm%40example.com");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");

        var (refused, _) = await client.PostAsync("v1/subscriptions", $"customer={customer.Id()}&items[0][price]={price.Id()}");
        var incomplete = await client.PostOkAsync("v1/subscriptions",
            $"customer={customer.Id()}&items[0][price]={price.Id()}&payment_behavior=default_incomplete&expand[]=latest_invoice");
        var paid = await client.PostOkAsync($"v1/invoices/{incomplete["latest_invoice"]!.Id()}/pay", "payment_method=pm_card_visa");
        var after = await client.GetJsonAsync($"v1/subscriptions/{incomplete.Id()}");

        ((int)refused.StatusCode).Should().Be(400);
        incomplete.Str("status").Should().Be("incomplete");
        incomplete["latest_invoice"]!.Str("status").Should().Be("open");
        paid.Str("status").Should().Be("paid");
        after.Str("status").Should().Be("active");
    }

    [Fact]
    public async Task Declined_first_payment_leaves_the_subscription_incomplete_with_an_open_invoice()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=d%40example.com");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");

        var subscription = await client.PostOkAsync("v1/subscriptions",
            $"customer={customer.Id()}&items[0][price]={price.Id()}&payment_behavior=default_incomplete&expand[]=latest_invoice");
        var (declined, body) = await client.PostAsync($"v1/invoices/{subscription["latest_invoice"]!.Id()}/pay",
            "payment_method=pm_card_chargeDeclinedInsufficientFunds");
        var invoice = await client.GetJsonAsync($"v1/invoices/{subscription["latest_invoice"]!.Id()}");

        ((int)declined.StatusCode).Should().Be(402);
        body["error"]!.Str("decline_code").Should().Be("insufficient_funds");
        invoice.Str("status").Should().Be("open");
        invoice.Long("attempt_count").Should().Be(1);
    }

    [Fact]
    public async Task Cancel_at_period_end_then_cancel_now_emit_updated_and_deleted_events()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        var (customer, price) = await CustomerWithCardAndPlanAsync(client);
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");

        var atPeriodEnd = await client.PostOkAsync($"v1/subscriptions/{subscription.Id()}", "cancel_at_period_end=true");
        var (_, canceled) = await client.DeleteAsync($"v1/subscriptions/{subscription.Id()}", raw: true);
        var active = await client.GetJsonAsync($"v1/subscriptions?customer={customer}");
        var all = await client.GetJsonAsync($"v1/subscriptions?customer={customer}&status=all");
        var deletedEvents = await client.GetJsonAsync("v1/events?type=customer.subscription.deleted");

        atPeriodEnd["cancel_at_period_end"]!.GetValue<bool>().Should().BeTrue();
        atPeriodEnd.Long("cancel_at").Should().Be(atPeriodEnd["items"]!["data"]![0]!.Long("current_period_end"));
        canceled.Str("status").Should().Be("canceled");
        canceled["ended_at"]!.GetValue<long>().Should().BePositive();
        active["data"]!.AsArray().Should().BeEmpty();
        all["data"]!.AsArray().Should().ContainSingle();
        deletedEvents["data"]![0]!["data"]!["object"]!.Id().Should().Be(subscription.Id());
        var updated = session.GetState<StripeState>("stripe").Events.Items.Single(e => e.Type == "customer.subscription.updated");
        updated.Json["data"]!["previous_attributes"]!["cancel_at_period_end"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Update_items_swaps_the_price_of_an_item()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var (customer, price) = await CustomerWithCardAndPlanAsync(client);
        var bigger = await client.PostOkAsync("v1/prices", "unit_amount=5000&currency=usd&recurring[interval]=month&product_data[name]=Bigger");
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        var itemId = subscription["items"]!["data"]![0]!.Id();

        var updated = await client.PostOkAsync($"v1/subscriptions/{subscription.Id()}", $"items[0][id]={itemId}&items[0][price]={bigger.Id()}&proration_behavior=none");

        updated["items"]!["data"]!.AsArray().Should().ContainSingle().Which!["price"]!.Id().Should().Be(bigger.Id());
    }

    [Fact]
    public async Task Open_invoice_can_be_voided_or_marked_uncollectible_but_not_both()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=inv%40example.com");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");
        var first = await client.PostOkAsync("v1/subscriptions", $"customer={customer.Id()}&items[0][price]={price.Id()}&collection_method=send_invoice&days_until_due=30");
        var second = await client.PostOkAsync("v1/subscriptions", $"customer={customer.Id()}&items[0][price]={price.Id()}&payment_behavior=default_incomplete");

        var voided = await client.PostOkAsync($"v1/invoices/{first.Str("latest_invoice")}/void");
        var uncollectible = await client.PostOkAsync($"v1/invoices/{second.Str("latest_invoice")}/mark_uncollectible");
        var (voidAgain, _) = await client.PostAsync($"v1/invoices/{first.Str("latest_invoice")}/void");
        var openList = await client.GetJsonAsync($"v1/invoices?customer={customer.Id()}&status=open");

        first.Str("status").Should().Be("active");
        voided.Str("status").Should().Be("void");
        uncollectible.Str("status").Should().Be("uncollectible");
        ((int)voidAgain.StatusCode).Should().Be(400);
        openList["data"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Events_can_be_listed_by_type_wildcard_and_retrieved()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        await client.PostOkAsync("v1/payment_intents", "amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true");

        var charges = await client.GetJsonAsync("v1/events?type=charge.*");
        var one = await client.GetJsonAsync($"v1/events/{charges["data"]![0]!.Id()}");

        charges["data"]!.AsArray().Select(e => e!.Str("type")).Should().Equal("charge.succeeded");
        one.Id().Should().StartWith("evt_");
        one.Str("object").Should().Be("event");
        one["data"]!["object"]!.Str("object").Should().Be("charge");
        one["request"]!.Str("id").Should().StartWith("req_");
    }
}

[Collection(CloneHostCollection.Name)]
public class StripeVersionTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Pre_basil_version_gets_subscription_periods_and_invoice_payment_fields_back()
    {
        var (_, client) = await fixture.StartAsync("stripe", "subscription-lifecycle");
        var subscriptionId = (await client.GetJsonAsync("v1/subscriptions/search?query=status%3A'active'"))["data"]![0]!.Id();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/subscriptions/{subscriptionId}?expand[]=latest_invoice");
        request.Headers.Add("Stripe-Version", "2024-06-20");

        using var response = await client.SendAsync(request);
        var legacy = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var current = await client.GetJsonAsync($"v1/subscriptions/{subscriptionId}?expand[]=latest_invoice");

        legacy.Long("current_period_end").Should().Be(legacy["items"]!["data"]![0]!.Long("current_period_end"));
        legacy["latest_invoice"]!["paid"]!.GetValue<bool>().Should().BeTrue();
        legacy["latest_invoice"]!.Str("payment_intent").Should().StartWith("pi_");
        legacy["latest_invoice"]!.Str("charge").Should().StartWith("ch_");
        current.ContainsKey("current_period_end").Should().BeFalse();
        current["latest_invoice"]!.AsObject().ContainsKey("payment_intent").Should().BeFalse();
    }

    [Fact]
    public async Task Malformed_stripe_version_returns_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/customers");
        request.Headers.Add("Stripe-Version", "yesterday");

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(400);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Invalid Stripe API version: yesterday");
    }
}
