using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests.Stripe;

public class StripeSeedsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static StripeState Create(string seed, JsonObject? data = null, int randomSeed = 42) =>
        (StripeState)new StripeClone().CreateState(new CloneSeedContext("ses-test", seed, randomSeed, new FixedTime(Now), data));

    [Theory]
    [InlineData("empty")]
    [InlineData("small-business")]
    [InlineData("checkout-flow")]
    [InlineData("subscription-heavy")]
    [InlineData("subscription-lifecycle")]
    public void Named_seed_is_deterministic_for_the_same_random_seed(string seed)
    {
        var first = Create(seed).Snapshot().ToJsonString();
        var second = Create(seed).Snapshot().ToJsonString();

        second.Should().Be(first);
    }

    [Fact]
    public void Different_random_seeds_give_different_data()
    {
        Create("small-business", randomSeed: 1).Snapshot().ToJsonString()
            .Should().NotBe(Create("small-business", randomSeed: 2).Snapshot().ToJsonString());
    }

    [Fact]
    public void Subscription_lifecycle_has_one_subscription_in_each_state()
    {
        var state = Create("subscription-lifecycle");

        var byEmail = state.Subscriptions.Items.ToDictionary(s => state.Customers.Find(s.Customer)!.Email!, s => s.Status);

        byEmail.Should().Equal(new Dictionary<string, string>
        {
            ["tina.trial@example.com"] = "trialing",
            ["alex.active@example.com"] = "active",
            ["pat.pastdue@example.com"] = "past_due",
            ["casey.canceled@example.com"] = "canceled",
        });
        var patInvoice = state.Invoices.Find(state.Subscriptions.Items.Single(s => s.Status == "past_due").GetString("latest_invoice")!)!;
        patInvoice.Status.Should().Be("open");
        patInvoice.GetInt64("attempt_count").Should().Be(1);
    }

    [Fact]
    public void Seeded_objects_are_back_dated_and_never_in_the_future()
    {
        var state = Create("subscription-heavy");

        state.Subscriptions.Items.Should().OnlyContain(s => s.Created <= Now.ToUnixTimeSeconds());
        state.Subscriptions.Items.Select(s => s.Created).Distinct().Should().HaveCountGreaterThan(10);
        state.Invoices.Items.Should().Contain(i => i.GetString("billing_reason") == "subscription_cycle" && i.Status == "paid");
    }

    [Fact]
    public void Seed_data_adds_customers_products_prices_and_charges_with_a_payment_intent_behind_each()
    {
        var data = JsonNode.Parse("""
            {
              "customers": [{ "id": "cus_acme", "email": "billing@acme.test", "name": "Acme" }],
              "products": [{ "name": "Widget" }],
              "prices": [{ "product": "Widget", "unit_amount": 999, "lookup_key": "widget" }],
              "charges": [
                { "customer": "billing@acme.test", "amount": 5000, "description": "Setup fee", "days_ago": 3 },
                { "customer": "cus_acme", "amount": 2000, "currency": "eur", "refunded": true }
              ]
            }
            """)!.AsObject();

        var state = Create("small-business", data);

        var customer = state.Customers.Find("cus_acme")!;
        customer.Email.Should().Be("billing@acme.test");
        state.Prices.Items.Should().Contain(p => p.GetString("lookup_key") == "widget" && p.UnitAmount == 999);
        var charges = state.Charges.Items.Where(c => c.GetString("customer") == "cus_acme").ToList();
        charges.Should().HaveCount(2);
        var setup = charges.Single(c => c.Amount == 5000);
        setup.GetString("description").Should().Be("Setup fee");
        setup.Created.Should().Be(Now.AddDays(-3).ToUnixTimeSeconds());
        state.PaymentIntents.Find(setup.GetString("payment_intent")!)!.Status.Should().Be("succeeded");
        charges.Single(c => c.Amount == 2000).GetBoolean("refunded").Should().BeTrue();
    }

    [Fact]
    public void Seed_data_subscriptions_reach_the_declared_status()
    {
        var data = JsonNode.Parse("""
            {
              "customers": [{ "email": "a@x.test" }, { "email": "b@x.test" }, { "email": "c@x.test" }, { "email": "d@x.test" }],
              "products": [{ "name": "Widget" }],
              "prices": [{ "product": "Widget", "unit_amount": 1000, "recurring": { "interval": "month" }, "lookup_key": "widget_monthly" }],
              "subscriptions": [
                { "customer": "a@x.test", "price": "widget_monthly" },
                { "customer": "b@x.test", "price": "widget_monthly", "status": "trialing" },
                { "customer": "c@x.test", "price": "widget_monthly", "status": "past_due", "days_ago": 70 },
                { "customer": "d@x.test", "price": "widget_monthly", "status": "canceled", "canceled_days_ago": 5 }
              ]
            }
            """)!.AsObject();

        var state = Create("empty", data);

        var byEmail = state.Subscriptions.Items.ToDictionary(s => state.Customers.Find(s.Customer)!.Email!, s => s.Status);
        byEmail.Should().Equal(new Dictionary<string, string>
        {
            ["a@x.test"] = "active",
            ["b@x.test"] = "trialing",
            ["c@x.test"] = "past_due",
            ["d@x.test"] = "canceled",
        });
        var pastDue = state.Subscriptions.Items.Single(s => s.Status == "past_due");
        state.Invoices.Items.Count(i => StripeInvoices.SubscriptionOf(i) == pastDue.Id && i.Status == "paid").Should().Be(2);
        state.Invoices.Find(pastDue.GetString("latest_invoice")!)!.Status.Should().Be("open");
    }

    [Fact]
    public void Seed_data_charge_for_an_unknown_customer_throws_a_clear_seed_exception()
    {
        var data = JsonNode.Parse("""{ "charges": [{ "customer": "ghost@example.com", "amount": 100 }] }""")!.AsObject();

        var act = () => Create("empty", data);

        act.Should().Throw<CloneSeedException>().WithMessage("*ghost@example.com*");
    }

    [Fact]
    public void Snapshot_has_the_table_names_scenario_evaluators_read()
    {
        var snapshot = Create("small-business").Snapshot();

        snapshot.Select(p => p.Key).Should().Equal(
            "customer", "product", "price", "payment_method", "payment_intent", "charge", "refund", "subscription", "invoice", "event", "test_clock",
            "webhook_endpoint");
        var charge = snapshot["charge"]![0]!.AsObject();
        charge.Select(p => p.Key).Should().Contain(
            ["id", "customer", "amount", "amount_refunded", "refunded", "status", "payment_intent", "created", "description", "metadata"]);
    }

    [Fact]
    public void Seed_data_price_for_an_unknown_product_throws_a_clear_seed_exception()
    {
        var data = JsonNode.Parse("""{ "prices": [{ "product": "Gadget", "unit_amount": 100 }] }""")!.AsObject();

        var act = () => Create("empty", data);

        act.Should().Throw<CloneSeedException>().WithMessage("*product 'Gadget'*");
    }

    [Fact]
    public void Unknown_seed_name_throws_listing_the_known_seeds()
    {
        var act = () => Create("nope");

        act.Should().Throw<CloneSeedException>().WithMessage("*nope*subscription-lifecycle*");
    }

    [Fact]
    public void Idempotent_results_are_kept_for_24_hours()
    {
        var clock = new FixedTime(Now);
        var state = (StripeState)new StripeClone().CreateState(new CloneSeedContext("ses-test", "empty", 1, clock));
        state.StoreIdempotent("k", new IdempotentResult("POST /v1/customers\n{}", 200, "{}", Now));

        clock.Now = Now.AddHours(23.9);
        var within = state.FindIdempotent("k");
        clock.Now = Now.AddHours(24);
        var after = state.FindIdempotent("k");

        within.Should().NotBeNull();
        after.Should().BeNull();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
