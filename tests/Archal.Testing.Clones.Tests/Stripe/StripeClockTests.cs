using System.Text.Json.Nodes;
using Archal.Testing.Clones.Stripe;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>Renewals, trials, retries and test clocks as the session clock (or a test clock) moves.</summary>
[Collection(CloneHostCollection.Name)]
public class StripeClockTests(CloneHostFixture fixture)
{
    private const long Day = 86_400;

    private static async Task<(string Customer, string Price)> CustomerAndPlanAsync(HttpClient client, string card = "pm_card_visa", string? testClock = null)
    {
        var clock = testClock is null ? "" : $"&test_clock={testClock}";
        var customer = await client.PostOkAsync("v1/customers", $"email=clock%40example.com&payment_method={card}&invoice_settings[default_payment_method]={card}{clock}");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=1500&currency=usd&recurring[interval]=month&product_data[name]=Plan");
        return (customer.Id(), price.Id());
    }

    /// <summary>Event types, oldest first, after <paramref name="afterCount"/> events.</summary>
    private static List<string> EventTypes(ArchalSession session, int afterCount = 0) =>
        session.ReadState((StripeState s) => s.Events.Items.Skip(afterCount).Select(e => e.Type).ToList(), "stripe");

    private static int EventCount(ArchalSession session) => session.ReadState((StripeState s) => s.Events.Count, "stripe");

    private static async Task SwitchToDecliningCardAsync(HttpClient client, string customer)
    {
        var failing = await client.PostOkAsync("v1/payment_methods/pm_card_chargeCustomerFail/attach", $"customer={customer}");
        await client.PostOkAsync($"v1/customers/{customer}", $"invoice_settings[default_payment_method]={failing.Id()}");
    }

    [Fact]
    public async Task Trial_sends_trial_will_end_three_days_before_and_bills_when_the_clock_passes_its_end()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var (customer, price) = await CustomerAndPlanAsync(client);
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=14");
        var trialEnd = subscription.Long("trial_end");
        var before = EventCount(session);

        await session.Clock.AdvanceAsync(TimeSpan.FromDays(11) + TimeSpan.FromMinutes(1));
        var notices = session.ReadState((StripeState s) => s.Events.Items.Skip(before).Select(e => e.Json).ToList(), "stripe");
        var upcoming = notices[0];
        var willEnd = notices[1];
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(3));
        var afterTrial = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}?expand[]=latest_invoice");
        await session.Clock.AdvanceAsync(TimeSpan.FromHours(1));
        var invoice = await client.GetJsonAsync($"v1/invoices/{afterTrial["latest_invoice"]!.Id()}");

        notices.Should().HaveCount(2);
        upcoming.Str("type").Should().Be("invoice.upcoming");
        upcoming.Long("created").Should().Be(trialEnd - 7 * Day, "seven days ahead, the default 'upcoming renewal events' setting");
        var preview = upcoming["data"]!["object"]!.AsObject();
        preview.ContainsKey("id").Should().BeFalse("Stripe: the upcoming invoice has no id");
        preview.Str("billing_reason").Should().Be("upcoming");
        preview.Long("amount_due").Should().Be(1500);
        preview.Long("next_payment_attempt").Should().Be(trialEnd + 3600);
        preview["lines"]!["data"]![0]!["period"]!.Long("start").Should().Be(trialEnd);
        willEnd.Str("type").Should().Be("customer.subscription.trial_will_end");
        willEnd.Long("created").Should().Be(trialEnd - 3 * Day);
        afterTrial.Str("status").Should().Be("active");
        afterTrial["items"]!["data"]![0]!.Long("current_period_start").Should().Be(trialEnd);
        afterTrial["latest_invoice"]!.Str("status").Should().Be("draft");
        afterTrial["latest_invoice"]!.Str("billing_reason").Should().Be("subscription_cycle");
        afterTrial["latest_invoice"]!.Long("automatically_finalizes_at").Should().Be(trialEnd + 3600);
        invoice.Str("status").Should().Be("paid");
        invoice.Long("amount_paid").Should().Be(1500);
        invoice["status_transitions"]!.Long("paid_at").Should().Be(trialEnd + 3600);
        EventTypes(session, before).Should().Equal(
            "invoice.upcoming", "customer.subscription.trial_will_end",
            "customer.subscription.updated", "invoice.created",
            "invoice.finalized", "payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "invoice.paid", "invoice.payment_succeeded");
    }

    [Fact]
    public async Task Upcoming_renewal_notice_follows_the_account_setting_and_skips_a_subscription_ending_at_period_end()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe").WithSeedData("stripe",
            JsonNode.Parse("""{"settings": [{"upcoming_renewal_days": 3}]}""")!.AsObject()));
        using var client = session.CreateClient("stripe");
        var (customer, price) = await CustomerAndPlanAsync(client);
        var renewing = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&cancel_at_period_end=true");
        var periodEnd = renewing["items"]!["data"]![0]!.Long("current_period_end");
        var before = EventCount(session);

        await session.Clock.SetAsync(DateTimeOffset.FromUnixTimeSeconds(periodEnd - 3 * Day));
        var upcoming = session.ReadState((StripeState s) => s.Events.Items.Skip(before).Select(e => e.Json).ToList(), "stripe");
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(1));

        upcoming.Should().ContainSingle("the subscription that ends at its period end renews nothing");
        upcoming[0].Str("type").Should().Be("invoice.upcoming");
        upcoming[0].Long("created").Should().Be(periodEnd - 3 * Day);
        upcoming[0]["data"]!["object"]!.Str("subscription").Should().Be(renewing.Id());
        EventCount(session).Should().Be(before + 1, "each renewal is announced once");
    }

    [Fact]
    public async Task Upcoming_renewal_days_zero_sends_no_notice_and_a_bad_value_names_the_field()
    {
        await using var quiet = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe").WithSeedData("stripe",
            JsonNode.Parse("""{"settings": [{"upcoming_renewal_days": 0}]}""")!.AsObject()));
        using var client = quiet.CreateClient("stripe");
        var (customer, price) = await CustomerAndPlanAsync(client);
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        var before = EventCount(quiet);

        await quiet.Clock.SetAsync(DateTimeOffset.FromUnixTimeSeconds(subscription["items"]!["data"]![0]!.Long("current_period_end") - 60));

        EventCount(quiet).Should().Be(before);
        var bad = await FluentActions.Awaiting(() => fixture.Host.CreateSessionAsync(new SessionRequest("stripe").WithSeedData("stripe",
            JsonNode.Parse("""{"settings": [{"upcoming_renewal_days": 90}]}""")!.AsObject()))).Should().ThrowAsync<Exception>();
        bad.Which.Message.Should().Contain("upcoming_renewal_days");
    }

    [Fact]
    public async Task An_incomplete_subscription_unpaid_for_23_hours_expires_and_its_invoice_is_voided()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var (customer, price) = await CustomerAndPlanAsync(client);
        var unpaid = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&payment_behavior=default_incomplete");
        var paidLater = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&payment_behavior=default_incomplete");
        await session.Clock.AdvanceAsync(TimeSpan.FromHours(22));
        await client.PostOkAsync($"v1/invoices/{paidLater.Str("latest_invoice")}/pay", "payment_method=pm_card_visa");
        var before = EventCount(session);

        await session.Clock.AdvanceAsync(TimeSpan.FromHours(1));
        var expired = await client.GetJsonAsync($"v1/subscriptions/{unpaid.Id()}?expand[]=latest_invoice");
        var active = await client.GetJsonAsync($"v1/subscriptions/{paidLater.Id()}");

        expired.Str("status").Should().Be("incomplete_expired");
        expired.Long("ended_at").Should().Be(unpaid.Long("created") + 23 * 3600);
        expired.Long("canceled_at").Should().Be(expired.Long("ended_at"));
        expired["latest_invoice"]!.Str("status").Should().Be("void");
        active.Str("status").Should().Be("active", "a subscription paid within 23 hours never expires");
        EventTypes(session, before).Should().Equal("invoice.voided", "customer.subscription.updated");
        var updated = session.ReadState((StripeState s) => s.Events.Items.Last().Json, "stripe");
        updated["data"]!["previous_attributes"]!.Str("status").Should().Be("incomplete");
    }

    [Fact]
    public async Task Ending_a_trial_early_or_a_trial_under_three_days_sends_trial_will_end_at_once()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var (customer, price) = await CustomerAndPlanAsync(client);
        var ended = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=30");
        var shortTrial = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=2");
        var before = EventCount(session);

        // The short trial's notice is due at its start, so it goes out before the next call runs.
        await client.PostOkAsync($"v1/subscriptions/{ended.Id()}", "trial_end=now");
        var willEnd = session.ReadState((StripeState s) => s.Events.Items.Skip(before)
            .Where(e => e.Type == "customer.subscription.trial_will_end").Select(e => e.Json["data"]!["object"]!.Id()).ToList(), "stripe");

        EventTypes(session, before).Take(3).Should().Equal(
            "customer.subscription.trial_will_end", "customer.subscription.trial_will_end", "customer.subscription.updated");
        willEnd.Should().Equal(shortTrial.Id(), ended.Id());
    }

    [Fact]
    public async Task Declining_card_leaves_the_renewal_open_and_past_due_then_retries_then_cancels()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var (customer, price) = await CustomerAndPlanAsync(client);
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        var periodEnd = subscription["items"]!["data"]![0]!.Long("current_period_end");
        await SwitchToDecliningCardAsync(client, customer);
        var before = EventCount(session);

        await session.Clock.SetAsync(DateTimeOffset.FromUnixTimeSeconds(periodEnd + 3600));
        var renewalEvents = EventTypes(session, before);
        var pastDue = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}?expand[]=latest_invoice");
        var renewal = pastDue["latest_invoice"]!;
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(3 + 5));
        var afterTwoRetries = await client.GetJsonAsync($"v1/invoices/{renewal.Id()}");
        var stillPastDue = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(7));
        var canceled = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");
        var finalInvoice = await client.GetJsonAsync($"v1/invoices/{renewal.Id()}");

        renewalEvents.Should().Equal(
            "invoice.upcoming",
            "customer.subscription.updated", "invoice.created",
            "invoice.finalized", "payment_intent.created", "charge.failed", "payment_intent.payment_failed",
            "invoice.updated", "invoice.payment_failed", "customer.subscription.updated");
        pastDue.Str("status").Should().Be("past_due");
        renewal.Str("status").Should().Be("open");
        renewal.Long("attempt_count").Should().Be(1);
        renewal.Long("next_payment_attempt").Should().Be(periodEnd + 3600 + 3 * Day);
        afterTwoRetries.Long("attempt_count").Should().Be(3);
        afterTwoRetries.Long("next_payment_attempt").Should().Be(periodEnd + 3600 + 15 * Day);
        stillPastDue.Str("status").Should().Be("past_due");
        canceled.Str("status").Should().Be("canceled");
        canceled.Long("ended_at").Should().Be(periodEnd + 3600 + 15 * Day);
        canceled["cancellation_details"]!.Str("reason").Should().Be("payment_failed");
        finalInvoice.Str("status").Should().Be("open");
        finalInvoice.Long("attempt_count").Should().Be(4);
        finalInvoice["next_payment_attempt"].Should().BeNull();
        var failures = session.ReadState((StripeState s) => s.Events.Items
            .Where(e => e.Type == "invoice.payment_failed").Select(e => e.Created).ToList(), "stripe");
        failures.Should().Equal(periodEnd + 3600, periodEnd + 3600 + 3 * Day, periodEnd + 3600 + 8 * Day, periodEnd + 3600 + 15 * Day);
        EventTypes(session).Last().Should().Be("customer.subscription.deleted");
    }

    [Fact]
    public async Task Retry_settings_in_seed_data_mark_the_subscription_unpaid_after_the_last_retry()
    {
        var request = new SessionRequest("stripe").WithSeedData("stripe", JsonNode.Parse("""
            {"settings": [{"retry_days": [2], "after_final_retry": "unpaid"}]}
            """)!.AsObject());
        await using var session = await fixture.Host.CreateSessionAsync(request);
        using var client = session.CreateClient("stripe");
        var (customer, price) = await CustomerAndPlanAsync(client);
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        var periodEnd = subscription["items"]!["data"]![0]!.Long("current_period_end");
        await SwitchToDecliningCardAsync(client, customer);

        await session.Clock.SetAsync(DateTimeOffset.FromUnixTimeSeconds(periodEnd + 3600));
        var afterFirst = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(2));
        var afterRetry = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");

        afterFirst.Str("status").Should().Be("past_due");
        afterRetry.Str("status").Should().Be("unpaid");
    }

    [Fact]
    public async Task Bad_retry_settings_in_seed_data_are_a_seed_error()
    {
        var request = new SessionRequest("stripe").WithSeedData("stripe", JsonNode.Parse("""
            {"settings": [{"after_final_retry": "explode"}]}
            """)!.AsObject());

        var act = () => fixture.Host.CreateSessionAsync(request);

        (await act.Should().ThrowAsync<ArchalApiException>()).Which.Message.Should().Contain("after_final_retry");
    }

    [Fact]
    public async Task Cancel_at_period_end_cancels_when_the_clock_passes_the_period_end()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var (customer, price) = await CustomerAndPlanAsync(client);
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        var periodEnd = subscription["items"]!["data"]![0]!.Long("current_period_end");
        await client.PostOkAsync($"v1/subscriptions/{subscription.Id()}", "cancel_at_period_end=true");
        var invoicesBefore = (await client.GetJsonAsync("v1/invoices"))["data"]!.AsArray().Count;

        await session.Clock.SetAsync(DateTimeOffset.FromUnixTimeSeconds(periodEnd - 1));
        var justBefore = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");
        await session.Clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        var after = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");

        justBefore.Str("status").Should().Be("active");
        after.Str("status").Should().Be("canceled");
        after.Long("ended_at").Should().Be(periodEnd);
        (await client.GetJsonAsync("v1/invoices"))["data"]!.AsArray().Count.Should().Be(invoicesBefore);
        EventTypes(session).Last().Should().Be("customer.subscription.deleted");
    }

    [Fact]
    public async Task Objects_created_after_an_advance_carry_the_session_time()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(100));

        var customer = await client.PostOkAsync("v1/customers", "email=later%40example.com");

        customer.Long("created").Should().Be(session.Clock.Now.ToUnixTimeSeconds());
        customer.Long("created").Should().BeGreaterThan(DateTimeOffset.UtcNow.AddDays(99).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Seeded_history_is_not_replayed_by_the_clock()
    {
        var (session, client) = await fixture.StartAsync("stripe", StripeSeeds.SubscriptionLifecycle);
        await using var _ = session;
        var before = EventCount(session);

        await client.GetJsonAsync("v1/subscriptions?status=all");
        await session.Clock.AdvanceAsync(TimeSpan.Zero);

        EventCount(session).Should().Be(before);
    }

    // ---- test clocks ----

    [Fact]
    public async Task Test_clock_create_retrieve_list_delete_have_stripes_shape()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;

        var clock = await client.PostOkAsync("v1/test_helpers/test_clocks", "frozen_time=1767225600&name=Renewals");
        var retrieved = await client.GetJsonAsync($"v1/test_helpers/test_clocks/{clock.Id()}");
        var list = await client.GetJsonAsync("v1/test_helpers/test_clocks");
        var (deleteResponse, deleted) = await client.DeleteAsync($"v1/test_helpers/test_clocks/{clock.Id()}", raw: true);
        var (missingResponse, missing) = await client.GetAsync($"v1/test_helpers/test_clocks/{clock.Id()}", raw: true);

        clock.Id().Should().StartWith("clock_");
        clock.Str("object").Should().Be("test_helpers.test_clock");
        clock.Long("frozen_time").Should().Be(1767225600);
        clock.Str("name").Should().Be("Renewals");
        clock.Str("status").Should().Be("ready");
        clock["status_details"]!.AsObject().Should().BeEmpty();
        (clock.Long("deletes_after") - clock.Long("created")).Should().Be(30 * Day);
        clock["livemode"]!.GetValue<bool>().Should().BeFalse();
        retrieved.ToJsonString().Should().Be(clock.ToJsonString());
        list.Str("url").Should().Be("/v1/test_helpers/test_clocks");
        list["data"]!.AsArray().Select(c => c!.Id()).Should().Equal(clock.Id());
        ((int)deleteResponse.StatusCode).Should().Be(200);
        deleted.ToJsonString().Should().Be($$"""{"id":"{{clock.Id()}}","object":"test_helpers.test_clock","deleted":true}""");
        ((int)missingResponse.StatusCode).Should().Be(404);
        missing["error"]!.Str("message").Should().Be($"No such test_clock: '{clock.Id()}'");
    }

    [Fact]
    public async Task Test_clock_rejects_a_missing_or_backwards_frozen_time()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var clock = await client.PostOkAsync("v1/test_helpers/test_clocks", "frozen_time=1767225600");

        var (missingResponse, missing) = await client.PostAsync("v1/test_helpers/test_clocks", "name=x");
        var (backResponse, back) = await client.PostAsync($"v1/test_helpers/test_clocks/{clock.Id()}/advance", "frozen_time=1767225000");
        var (unknownResponse, _) = await client.PostAsync("v1/customers", "test_clock=clock_nope");

        ((int)missingResponse.StatusCode).Should().Be(400);
        missing["error"]!.Str("message").Should().Be("Missing required param: frozen_time.");
        ((int)backResponse.StatusCode).Should().Be(400);
        back["error"]!.Str("param").Should().Be("frozen_time");
        ((int)unknownResponse.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task Test_clock_advances_at_most_two_intervals_of_its_shortest_subscription()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        const long frozen = 1767225600;
        var empty = await client.PostOkAsync("v1/test_helpers/test_clocks", $"frozen_time={frozen}");
        var weekly = await client.PostOkAsync("v1/test_helpers/test_clocks", $"frozen_time={frozen}");
        var customer = await client.PostOkAsync("v1/customers", $"email=w%40example.com&payment_method=pm_card_visa&invoice_settings[default_payment_method]=pm_card_visa&test_clock={weekly.Id()}");
        var price = await client.PostOkAsync("v1/prices", "unit_amount=100&currency=usd&recurring[interval]=week&product_data[name]=Weekly");
        await client.PostOkAsync("v1/subscriptions", $"customer={customer.Id()}&items[0][price]={price.Id()}");

        var (tooFar, error) = await client.PostAsync($"v1/test_helpers/test_clocks/{weekly.Id()}/advance", $"frozen_time={frozen + 15 * Day}");
        var (twoWeeks, _) = await client.PostAsync($"v1/test_helpers/test_clocks/{weekly.Id()}/advance", $"frozen_time={frozen + 14 * Day}");
        var (threeYears, _) = await client.PostAsync($"v1/test_helpers/test_clocks/{empty.Id()}/advance", $"frozen_time={frozen + 3 * 366 * Day}");
        var (oneYear, _) = await client.PostAsync($"v1/test_helpers/test_clocks/{empty.Id()}/advance", $"frozen_time={frozen + 365 * Day}");

        ((int)tooFar.StatusCode).Should().Be(400);
        error["error"]!.Str("param").Should().Be("frozen_time");
        ((int)twoWeeks.StatusCode).Should().Be(200);
        ((int)threeYears.StatusCode).Should().Be(400);
        ((int)oneYear.StatusCode).Should().Be(200);
    }

    [Fact]
    public async Task Customer_on_a_test_clock_lives_at_its_frozen_time_and_renews_only_when_it_advances()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        const long frozen = 1767225600; // 2026-01-01T00:00:00Z
        var clock = await client.PostOkAsync("v1/test_helpers/test_clocks", $"frozen_time={frozen}");
        var (customer, price) = await CustomerAndPlanAsync(client, testClock: clock.Id());
        var subscription = await client.PostOkAsync("v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=7");

        await session.Clock.AdvanceAsync(TimeSpan.FromDays(60));
        var unmoved = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}");
        var advancing = await client.PostOkAsync($"v1/test_helpers/test_clocks/{clock.Id()}/advance", $"frozen_time={frozen + 8 * Day}");
        var ready = await client.GetJsonAsync($"v1/test_helpers/test_clocks/{clock.Id()}");
        var moved = await client.GetJsonAsync($"v1/subscriptions/{subscription.Id()}?expand[]=latest_invoice");

        (await client.GetJsonAsync($"v1/customers/{customer}")).Str("test_clock").Should().Be(clock.Id());
        subscription.Str("test_clock").Should().Be(clock.Id());
        subscription.Long("created").Should().Be(frozen);
        subscription.Long("trial_end").Should().Be(frozen + 7 * Day);
        unmoved.Str("status").Should().Be("trialing");
        advancing.Str("status").Should().Be("advancing");
        advancing.Long("frozen_time").Should().Be(frozen);
        advancing["status_details"]!["advancing"]!.Long("target_frozen_time").Should().Be(frozen + 8 * Day);
        ready.Str("status").Should().Be("ready");
        ready.Long("frozen_time").Should().Be(frozen + 8 * Day);
        moved.Str("status").Should().Be("active");
        moved["latest_invoice"]!.Str("status").Should().Be("paid");
        moved["latest_invoice"]!.Str("test_clock").Should().Be(clock.Id());
        moved["latest_invoice"]!["status_transitions"]!.Long("paid_at").Should().Be(frozen + 7 * Day + 3600);
    }
}
