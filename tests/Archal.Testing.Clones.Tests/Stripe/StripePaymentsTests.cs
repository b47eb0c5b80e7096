using System.Text.Json.Nodes;
using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>Customers, payment methods, payment intents, charges and refunds over HTTP.</summary>
[Collection(CloneHostCollection.Name)]
public class StripePaymentsTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Customer_crud_round_trips_metadata_and_delete_leaves_a_stub()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var created = await client.PostOkAsync("v1/customers", "email=jo%40example.com&name=Jo&metadata[tier]=gold&metadata[src]=web");
        var updated = await client.PostOkAsync($"v1/customers/{created.Id()}", "name=Jo+Smith&metadata[src]=");
        var (deleteResponse, deleted) = await client.DeleteAsync($"v1/customers/{created.Id()}", raw: true);
        var afterDelete = await client.GetJsonAsync($"v1/customers/{created.Id()}");

        created.Id().Should().StartWith("cus_");
        created.Str("object").Should().Be("customer");
        created["livemode"]!.GetValue<bool>().Should().BeFalse();
        updated.Str("name").Should().Be("Jo Smith");
        updated["metadata"]!.ToJsonString().Should().Be("""{"tier":"gold"}""");
        ((int)deleteResponse.StatusCode).Should().Be(200);
        deleted["deleted"]!.GetValue<bool>().Should().BeTrue();
        afterDelete["deleted"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Customer_search_matches_email_and_metadata_and_returns_a_search_result()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        await client.PostOkAsync("v1/customers", "email=ann%40example.com&metadata[plan]=pro");
        await client.PostOkAsync("v1/customers", "email=bob%40example.com&metadata[plan]=free");

        var byEmail = await client.GetJsonAsync("v1/customers/search?query=" + Uri.EscapeDataString("email:'ann@example.com'"));
        var byMetadata = await client.GetJsonAsync("v1/customers/search?query=" + Uri.EscapeDataString("metadata['plan']:'free' OR email~'ann'"));
        var (bad, _) = await client.GetAsync("v1/customers/search?query=" + Uri.EscapeDataString("colour:'red'"), raw: true);

        byEmail.Str("object").Should().Be("search_result");
        byEmail["data"]!.AsArray().Should().ContainSingle().Which!.Str("email").Should().Be("ann@example.com");
        byEmail.ContainsKey("next_page").Should().BeTrue();
        byMetadata["data"]!.AsArray().Should().HaveCount(2);
        ((int)bad.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task Prices_list_filters_by_active_and_lookup_keys_and_recurring_prices_carry_their_interval()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var product = await client.PostOkAsync("v1/products", "name=Pro");
        var monthly = await client.PostOkAsync("v1/prices", $"product={product.Id()}&unit_amount=2000&currency=usd&recurring[interval]=month&lookup_key=pro_monthly");
        var once = await client.PostOkAsync("v1/prices", $"product={product.Id()}&unit_amount=500&currency=usd");
        await client.PostOkAsync($"v1/prices/{once.Id()}", "active=false");

        var active = await client.GetJsonAsync("v1/prices?active=true");
        var byKey = await client.GetJsonAsync("v1/prices?lookup_keys[]=pro_monthly");

        monthly.Str("type").Should().Be("recurring");
        monthly["recurring"]!.Str("interval").Should().Be("month");
        once.Str("type").Should().Be("one_time");
        active["data"]!.AsArray().Select(p => p!.Id()).Should().Equal(monthly.Id());
        byKey["data"]!.AsArray().Select(p => p!.Id()).Should().Equal(monthly.Id());
    }

    [Fact]
    public async Task Payment_method_attach_list_detach_and_default()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=pm%40example.com");

        var attached = await client.PostOkAsync("v1/payment_methods/pm_card_mastercard/attach", $"customer={customer.Id()}");
        var withDefault = await client.PostOkAsync($"v1/customers/{customer.Id()}", $"invoice_settings[default_payment_method]={attached.Id()}");
        var list = await client.GetJsonAsync($"v1/payment_methods?customer={customer.Id()}&type=card");
        var detached = await client.PostOkAsync($"v1/payment_methods/{attached.Id()}/detach");
        var afterDetach = await client.GetJsonAsync($"v1/customers/{customer.Id()}");

        attached.Id().Should().StartWith("pm_").And.NotBe("pm_card_mastercard");
        attached["card"]!.Str("brand").Should().Be("mastercard");
        attached["card"]!.Str("last4").Should().Be("4444");
        withDefault["invoice_settings"]!.Str("default_payment_method").Should().Be(attached.Id());
        list["data"]!.AsArray().Select(p => p!.Id()).Should().Equal(attached.Id());
        detached["customer"].Should().BeNull();
        afterDetach["invoice_settings"]!["default_payment_method"].Should().BeNull();
    }

    [Fact]
    public async Task Payment_intent_walks_requires_payment_method_to_confirmation_to_succeeded_with_a_charge()
    {
        var (session, client) = await fixture.StartAsync("stripe");

        var created = await client.PostOkAsync("v1/payment_intents", "amount=2500&currency=usd&description=Order+1");
        var withMethod = await client.PostOkAsync($"v1/payment_intents/{created.Id()}", "payment_method=pm_card_visa");
        var confirmed = await client.PostOkAsync($"v1/payment_intents/{created.Id()}/confirm");
        var charge = await client.GetJsonAsync($"v1/charges/{confirmed.Str("latest_charge")}");

        created.Str("status").Should().Be("requires_payment_method");
        created.Str("client_secret").Should().StartWith(created.Id() + "_secret_");
        withMethod.Str("status").Should().Be("requires_confirmation");
        confirmed.Str("status").Should().Be("succeeded");
        confirmed.Long("amount_received").Should().Be(2500);
        charge.Str("status").Should().Be("succeeded");
        charge.Str("payment_intent").Should().Be(created.Id());
        charge["captured"]!.GetValue<bool>().Should().BeTrue();
        charge.Str("description").Should().Be("Order 1");
        var events = session.GetState<StripeState>("stripe").Events.Items.Select(e => e.Type).ToList();
        events.Should().ContainInOrder("payment_intent.created", "charge.succeeded", "payment_intent.succeeded");
    }

    [Theory]
    [InlineData("pm_card_chargeDeclined", "card_declined", "generic_decline")]
    [InlineData("pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds")]
    [InlineData("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card")]
    [InlineData("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc")]
    [InlineData("pm_card_chargeDeclinedLostCard", "card_declined", "lost_card")]
    [InlineData("pm_card_chargeDeclinedStolenCard", "card_declined", "stolen_card")]
    public async Task Declined_card_returns_402_card_error_and_leaves_a_failed_charge(string card, string code, string declineCode)
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/payment_intents", $"amount=1000&currency=usd&payment_method={card}&confirm=true");
        var error = body["error"]!;
        var intent = await client.GetJsonAsync($"v1/payment_intents/{error["payment_intent"]!.Id()}");
        var charge = await client.GetJsonAsync($"v1/charges/{error.Str("charge")}");

        ((int)response.StatusCode).Should().Be(402);
        error.Str("type").Should().Be("card_error");
        error.Str("code").Should().Be(code);
        error.Str("decline_code").Should().Be(declineCode);
        intent.Str("status").Should().Be("requires_payment_method");
        intent["last_payment_error"]!.Str("decline_code").Should().Be(declineCode);
        charge.Str("status").Should().Be("failed");
        charge.Str("failure_code").Should().Be(code);
        charge["paid"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Declining_cards_cannot_be_attached_except_charge_customer_fail_which_declines_later()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=later%40example.com");

        var (refused, refusedBody) = await client.PostAsync("v1/payment_methods/pm_card_chargeDeclined/attach", $"customer={customer.Id()}");
        var attached = await client.PostOkAsync("v1/payment_methods/pm_card_chargeCustomerFail/attach", $"customer={customer.Id()}");
        var (declined, body) = await client.PostAsync("v1/payment_intents",
            $"amount=1000&currency=usd&customer={customer.Id()}&payment_method={attached.Id()}&confirm=true&off_session=true");

        ((int)refused.StatusCode).Should().Be(402);
        refusedBody["error"]!.Str("decline_code").Should().Be("generic_decline");
        attached.Str("customer").Should().Be(customer.Id());
        ((int)declined.StatusCode).Should().Be(402);
        body["error"]!.Str("code").Should().Be("card_declined");
    }

    [Fact]
    public async Task Authentication_required_card_puts_the_intent_in_requires_action()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var intent = await client.PostOkAsync("v1/payment_intents", "amount=1000&currency=usd&payment_method=pm_card_authenticationRequired&confirm=true");
        var (offSession, body) = await client.PostAsync("v1/payment_intents",
            "amount=1000&currency=usd&payment_method=pm_card_authenticationRequired&confirm=true&off_session=true");

        intent.Str("status").Should().Be("requires_action");
        intent["next_action"]!.Str("type").Should().Be("use_stripe_sdk");
        ((int)offSession.StatusCode).Should().Be(402);
        body["error"]!.Str("code").Should().Be("authentication_required");
    }

    [Fact]
    public async Task Manual_capture_with_a_partial_amount_releases_the_rest()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var intent = await client.PostOkAsync("v1/payment_intents", "amount=1000&currency=usd&capture_method=manual&payment_method=pm_card_visa&confirm=true");

        var captured = await client.PostOkAsync($"v1/payment_intents/{intent.Id()}/capture", "amount_to_capture=600");
        var charge = await client.GetJsonAsync($"v1/charges/{captured.Str("latest_charge")}");
        var (again, _) = await client.PostAsync($"v1/payment_intents/{intent.Id()}/capture");

        intent.Str("status").Should().Be("requires_capture");
        intent.Long("amount_capturable").Should().Be(1000);
        captured.Str("status").Should().Be("succeeded");
        captured.Long("amount_received").Should().Be(600);
        charge.Long("amount_captured").Should().Be(600);
        charge.Long("amount_refunded").Should().Be(400);
        ((int)again.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task Cancel_is_refused_once_the_intent_succeeded()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var open = await client.PostOkAsync("v1/payment_intents", "amount=1000&currency=usd");
        var paid = await client.PostOkAsync("v1/payment_intents", "amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true");

        var canceled = await client.PostOkAsync($"v1/payment_intents/{open.Id()}/cancel", "cancellation_reason=abandoned");
        var (refused, body) = await client.PostAsync($"v1/payment_intents/{paid.Id()}/cancel");

        canceled.Str("status").Should().Be("canceled");
        canceled.Str("cancellation_reason").Should().Be("abandoned");
        canceled["canceled_at"]!.GetValue<long>().Should().BePositive();
        ((int)refused.StatusCode).Should().Be(400);
        body["error"]!.Str("code").Should().Be("payment_intent_unexpected_state");
    }

    [Fact]
    public async Task Partial_then_full_refund_updates_the_charge_and_over_refund_is_refused()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        var intent = await client.PostOkAsync("v1/payment_intents", "amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true");

        var partial = await client.PostOkAsync("v1/refunds", $"payment_intent={intent.Id()}&amount=300&reason=requested_by_customer");
        var (over, overBody) = await client.PostAsync("v1/refunds", $"charge={intent.Str("latest_charge")}&amount=800");
        var rest = await client.PostOkAsync("v1/refunds", $"charge={intent.Str("latest_charge")}");
        var (again, againBody) = await client.PostAsync("v1/refunds", $"payment_intent={intent.Id()}");
        var charge = await client.GetJsonAsync($"v1/charges/{intent.Str("latest_charge")}");
        var refunds = await client.GetJsonAsync($"v1/refunds?payment_intent={intent.Id()}");

        partial.Id().Should().StartWith("re_");
        partial.Long("amount").Should().Be(300);
        ((int)over.StatusCode).Should().Be(400);
        overBody["error"]!.Str("message").Should().Contain("greater than unrefunded amount");
        rest.Long("amount").Should().Be(700);
        ((int)again.StatusCode).Should().Be(400);
        againBody["error"]!.Str("code").Should().Be("charge_already_refunded");
        charge.Long("amount_refunded").Should().Be(1000);
        charge["refunded"]!.GetValue<bool>().Should().BeTrue();
        refunds["data"]!.AsArray().Should().HaveCount(2);
        var snapshot = session.Snapshot("stripe");
        snapshot["charge"]![0]!["refunded"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Refund_without_charge_or_payment_intent_returns_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, _) = await client.PostAsync("v1/refunds", "amount=100");

        ((int)response.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task Auto_paging_through_charges_sees_every_charge_once()
    {
        var (_, client) = await fixture.StartAsync("stripe", "small-business");
        var seen = new List<string>();
        string? after = null;
        JsonObject page;
        do
        {
            page = await client.GetJsonAsync("v1/charges?limit=3" + (after is null ? "" : $"&starting_after={after}"));
            seen.AddRange(page["data"]!.AsArray().Select(c => c!.Id()));
            after = seen.LastOrDefault();
        }
        while (page["has_more"]!.GetValue<bool>());

        seen.Should().OnlyHaveUniqueItems().And.HaveCountGreaterThan(10);
    }
    private static async Task<(int Status, JsonObject Body)> CreateIntentAsync(HttpClient client, string form, string? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/payment_intents")
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (version is not null)
        {
            request.Headers.Add("Stripe-Version", version);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task Payment_intent_on_endive_takes_allowed_payment_method_types_and_rejects_payment_method_types()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (okStatus, allowed) = await CreateIntentAsync(client, "amount=900&currency=usd&allowed_payment_method_types[]=card&allowed_payment_method_types[]=ideal");
        var (removedStatus, removed) = await CreateIntentAsync(client, "amount=900&currency=usd&payment_method_types[]=card");
        var (bothStatus, both) = await CreateIntentAsync(client, "amount=900&currency=usd&allowed_payment_method_types[]=card&automatic_payment_methods[enabled]=true");

        okStatus.Should().Be(200);
        allowed["allowed_payment_method_types"]!.ToJsonString().Should().Be("""["card","ideal"]""");
        allowed["payment_method_types"]!.ToJsonString().Should().Be("""["card"]""");
        allowed["automatic_payment_methods"].Should().BeNull();
        removedStatus.Should().Be(400);
        removed["error"]!.Str("code").Should().Be("payment_method_types_no_longer_supported");
        removed["error"]!.Str("param").Should().Be("payment_method_types");
        bothStatus.Should().Be(400);
        both["error"]!.Str("message").Should().Be("You may only specify one of these parameters: allowed_payment_method_types, automatic_payment_methods.");
    }

    [Theory]
    [InlineData("2025-09-30.clover")]
    [InlineData("2024-06-20")]
    public async Task Payment_intent_before_dahlia_keeps_payment_method_types_and_has_no_allowed_types(string version)
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (status, intent) = await CreateIntentAsync(client, "amount=900&currency=usd&payment_method_types[]=card", version);
        var (unknownStatus, unknown) = await CreateIntentAsync(client, "amount=900&currency=usd&allowed_payment_method_types[]=card", version);

        status.Should().Be(200);
        intent["payment_method_types"]!.ToJsonString().Should().Be("""["card"]""");
        intent.ContainsKey("allowed_payment_method_types").Should().BeFalse();
        unknownStatus.Should().Be(400);
        unknown["error"]!.Str("code").Should().Be("parameter_unknown");
    }

    [Fact]
    public async Task Payment_intent_on_dahlia_accepts_both_parameters()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (oldStatus, _) = await CreateIntentAsync(client, "amount=900&currency=usd&payment_method_types[]=card", "2026-07-29.dahlia");
        var (newStatus, intent) = await CreateIntentAsync(client, "amount=900&currency=usd&allowed_payment_method_types[]=card", "2026-07-29.dahlia");

        oldStatus.Should().Be(200);
        newStatus.Should().Be(200);
        intent["allowed_payment_method_types"]!.ToJsonString().Should().Be("""["card"]""");
    }

    [Fact]
    public async Task Automatic_payment_methods_allow_redirects_never_is_stored()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var created = await client.PostOkAsync("v1/payment_intents", "amount=900&currency=usd&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never");
        var read = await client.GetJsonAsync($"v1/payment_intents/{created.Id()}");

        created["automatic_payment_methods"]!.ToJsonString().Should().Be("""{"allow_redirects":"never","enabled":true}""");
        read["automatic_payment_methods"]!.ToJsonString().Should().Be("""{"allow_redirects":"never","enabled":true}""");
    }
}
