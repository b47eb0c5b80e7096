using System.Net;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Stripe;
using TestClock = Stripe.TestHelpers.TestClock;
using TestClockAdvanceOptions = Stripe.TestHelpers.TestClockAdvanceOptions;
using TestClockCreateOptions = Stripe.TestHelpers.TestClockCreateOptions;
using TestClockService = Stripe.TestHelpers.TestClockService;

namespace Archal.Testing.Conformance.Tests.Stripe;

/// <summary>
/// Stripe.net 53.1.0's <see cref="TestClockService"/> (unmodified) driving a test-clock workflow against the clone, and
/// the session clock (<see cref="ArchalSession.Clock"/>) driving renewals of customers without a test clock.
/// </summary>
[Collection(InProcessCollection.Name)]
public sealed class StripeNetTestClockTests(InProcessHostFixture fixture)
{
    private const string Key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    private static readonly DateTime Frozen = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private async Task<(ArchalSession Session, StripeClient Client)> StartAsync(SessionRequest? request = null)
    {
        var session = await fixture.Host.CreateSessionAsync(request ?? new SessionRequest("stripe"));
        return (session, new StripeClient(apiKey: Key, httpClient: new SystemNetHttpClient(new HttpClient(new RouteHeaderHandler(fixture.Host, session))),
            apiBase: session.ApiBaseUrls["stripe"].ToString().TrimEnd('/')));
    }

    private static async Task<TestClock> AdvanceAsync(TestClockService clocks, string id, DateTime to)
    {
        var advancing = await clocks.AdvanceAsync(id, new TestClockAdvanceOptions { FrozenTime = to });
        advancing.Status.Should().Be("advancing");
        advancing.StatusDetails.Advancing.TargetFrozenTime.Should().Be(to);
        var clock = advancing;
        for (var i = 0; i < 50 && clock.Status != "ready"; i++)
        {
            clock = await clocks.GetAsync(id);
        }

        clock.Status.Should().Be("ready");
        clock.FrozenTime.Should().Be(to);
        return clock;
    }

    [Fact]
    public async Task Trial_then_paid_renewal_then_declines_past_due_retries_and_cancel_on_a_test_clock()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;
        var clocks = new TestClockService(stripe);
        var customers = new CustomerService(stripe);
        var subscriptions = new SubscriptionService(stripe);
        var invoices = new InvoiceService(stripe);

        var clock = await clocks.CreateAsync(new TestClockCreateOptions { FrozenTime = Frozen, Name = "Stripe.net" });
        var customer = await customers.CreateAsync(new CustomerCreateOptions
        {
            Email = "net@example.com",
            TestClock = clock.Id,
            PaymentMethod = "pm_card_visa",
            InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = "pm_card_visa" },
        });
        var price = await new PriceService(stripe).CreateAsync(new PriceCreateOptions
        {
            UnitAmount = 1200,
            Currency = "usd",
            Recurring = new PriceRecurringOptions { Interval = "month" },
            ProductData = new PriceProductDataOptions { Name = "Team" },
        });
        var subscription = await subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = price.Id }],
            TrialPeriodDays = 14,
        });

        await AdvanceAsync(clocks, clock.Id, Frozen.AddDays(15));
        var afterTrial = await subscriptions.GetAsync(subscription.Id, new SubscriptionGetOptions { Expand = ["latest_invoice"] });
        var periodEnd = afterTrial.Items.Data[0].CurrentPeriodEnd;
        var failing = await new PaymentMethodService(stripe).AttachAsync("pm_card_chargeCustomerFail", new PaymentMethodAttachOptions { Customer = customer.Id });
        await customers.UpdateAsync(customer.Id, new CustomerUpdateOptions { InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = failing.Id } });
        await AdvanceAsync(clocks, clock.Id, periodEnd.AddHours(2));
        var pastDue = await subscriptions.GetAsync(subscription.Id, new SubscriptionGetOptions { Expand = ["latest_invoice"] });
        await AdvanceAsync(clocks, clock.Id, periodEnd.AddDays(16));
        var ended = await subscriptions.GetAsync(subscription.Id);
        var renewal = await invoices.GetAsync(pastDue.LatestInvoiceId);
        var list = await clocks.ListAsync();
        var deleted = await clocks.DeleteAsync(clock.Id);

        customer.TestClockId.Should().Be(clock.Id);
        customer.Created.Should().Be(Frozen);
        subscription.Status.Should().Be("trialing");
        subscription.TestClockId.Should().Be(clock.Id);
        subscription.TrialEnd.Should().Be(Frozen.AddDays(14));
        afterTrial.Status.Should().Be("active");
        afterTrial.LatestInvoice.Status.Should().Be("paid");
        afterTrial.LatestInvoice.AmountPaid.Should().Be(1200);
        afterTrial.LatestInvoice.StatusTransitions.PaidAt.Should().Be(Frozen.AddDays(14).AddHours(1));
        pastDue.Status.Should().Be("past_due");
        pastDue.LatestInvoice.Status.Should().Be("open");
        pastDue.LatestInvoice.AttemptCount.Should().Be(1);
        pastDue.LatestInvoice.NextPaymentAttempt.Should().Be(periodEnd.AddHours(1).AddDays(3));
        ended.Status.Should().Be("canceled");
        ended.EndedAt.Should().Be(periodEnd.AddHours(1).AddDays(15));
        renewal.AttemptCount.Should().Be(4);
        renewal.NextPaymentAttempt.Should().BeNull();
        list.Data.Select(c => c.Id).Should().Equal(clock.Id);
        deleted.Deleted.Should().BeTrue();
        var missing = await FluentActions.Awaiting(() => clocks.GetAsync(clock.Id)).Should().ThrowAsync<StripeException>();
        missing.Which.HttpStatusCode.Should().Be(HttpStatusCode.NotFound);

        var events = new EventService(stripe).ListAutoPaging(new EventListOptions { Limit = 100 }).Reverse()
            .Where(e => e.Type.StartsWith("invoice.", StringComparison.Ordinal) || e.Type.StartsWith("customer.subscription.", StringComparison.Ordinal))
            .Select(e => e.Type).ToList();
        events.Should().ContainInConsecutiveOrder(
            "invoice.upcoming", "customer.subscription.trial_will_end",
            "customer.subscription.updated", "invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded",
            "invoice.upcoming",
            "customer.subscription.updated", "invoice.created", "invoice.finalized", "invoice.updated", "invoice.payment_failed", "customer.subscription.updated",
            "invoice.updated", "invoice.payment_failed", "invoice.updated", "invoice.payment_failed", "invoice.updated", "invoice.payment_failed",
            "customer.subscription.deleted");
        var upcoming = new EventService(stripe).List(new EventListOptions { Type = "invoice.upcoming" }).Data.Last();
        var preview = upcoming.Data.Object.Should().BeOfType<Invoice>().Subject;
        preview.Id.Should().BeNull("Stripe: the upcoming invoice has no id");
        preview.BillingReason.Should().Be("upcoming");
        preview.NextPaymentAttempt.Should().Be(Frozen.AddDays(14).AddHours(1));
        upcoming.Created.Should().Be(Frozen.AddDays(7));
    }

    [Fact]
    public async Task Session_clock_renews_and_marks_unpaid_as_the_seeded_retry_settings_say()
    {
        var request = new SessionRequest("stripe").WithSeedData("stripe", JsonNode.Parse("""
            {"settings": [{"retry_days": [1, 2], "after_final_retry": "unpaid"}]}
            """)!.AsObject());
        var (session, stripe) = await StartAsync(request);
        await using var _ = session;
        var customer = await new CustomerService(stripe).CreateAsync(new CustomerCreateOptions
        {
            Email = "dunning@example.com",
            PaymentMethod = "pm_card_chargeCustomerFail",
            InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = "pm_card_chargeCustomerFail" },
        });
        var price = await new PriceService(stripe).CreateAsync(new PriceCreateOptions
        {
            UnitAmount = 900,
            Currency = "usd",
            Recurring = new PriceRecurringOptions { Interval = "week" },
            ProductData = new PriceProductDataOptions { Name = "Weekly" },
        });
        var subscriptions = new SubscriptionService(stripe);
        var subscription = await subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = price.Id }],
            TrialPeriodDays = 7,
        });

        await session.Clock.SetAsync(subscription.TrialEnd!.Value.AddHours(1));
        var pastDue = await subscriptions.GetAsync(subscription.Id);
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(3));
        var unpaid = await subscriptions.GetAsync(subscription.Id, new SubscriptionGetOptions { Expand = ["latest_invoice"] });

        pastDue.Status.Should().Be("past_due");
        unpaid.Status.Should().Be("unpaid");
        unpaid.LatestInvoice.AttemptCount.Should().Be(3);
        unpaid.LatestInvoice.Status.Should().Be("open");
    }
}
