using System.Net;
using Archal.Testing.Hosting;
using Stripe;

namespace Archal.Testing.Conformance.Tests.Stripe;

/// <summary>
/// Stripe.net 53.1.0 (NuGet, unmodified; pins API version 2026-10-28.endive) against the Stripe clone, read through
/// its typed models. The SDK gets the clone's api base URL as <c>apiBase</c> and a SystemNetHttpClient over
/// <see cref="RouteHeaderHandler"/>. Runs twice: in-process (TestServer handler) and over Kestrel (a socket).
/// </summary>
public abstract class StripeNetTests
{
    private const string Key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

    protected abstract ArchalHost Host { get; }

    private async Task<(ArchalSession Session, StripeClient Client)> StartAsync()
    {
        var session = await Host.CreateSessionAsync(new SessionRequest("stripe"));
        return (session, Client(session, Key));
    }

    private StripeClient Client(ArchalSession session, string key) =>
        new(apiKey: key, httpClient: new SystemNetHttpClient(new HttpClient(new RouteHeaderHandler(Host, session))),
            apiBase: session.ApiBaseUrls["stripe"].ToString().TrimEnd('/'));

    [Fact]
    public async Task Webhook_deliveries_verify_with_EventUtility_ConstructEvent()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;
        var received = new List<(string Body, string Signature)>();
        session.Events.Route(new Uri("https://app.test/"), new Receiver(received));
        var endpoint = await new WebhookEndpointService(stripe).CreateAsync(new WebhookEndpointCreateOptions
        {
            Url = "https://app.test/webhooks/stripe",
            EnabledEvents = ["customer.created", "invoice.paid"],
        });

        var customer = await new CustomerService(stripe).CreateAsync(new CustomerCreateOptions { Email = "ada@example.com" });
        await session.Events.WhenDeliveredAsync();

        endpoint.Secret.Should().StartWith("whsec_");
        var (body, signature) = received.Should().ContainSingle().Subject;
        var stripeEvent = EventUtility.ConstructEvent(body, signature, endpoint.Secret);
        stripeEvent.Type.Should().Be(EventTypes.CustomerCreated);
        stripeEvent.Data.Object.Should().BeOfType<Customer>().Which.Id.Should().Be(customer.Id);
        var tampered = () => EventUtility.ConstructEvent(body.Replace("ada@", "eve@", StringComparison.Ordinal), signature, endpoint.Secret);
        tampered.Should().Throw<StripeException>().WithMessage("*signature*");
        (await new WebhookEndpointService(stripe).GetAsync(endpoint.Id)).Secret.Should().BeNull();
    }

    private sealed class Receiver(List<(string Body, string Signature)> received) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            lock (received)
            {
                received.Add((body, request.Headers.GetValues("Stripe-Signature").Single()));
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Customers_list_auto_paging_walks_every_page_once()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;
        var customers = new CustomerService(stripe);
        for (var i = 0; i < 25; i++)
        {
            await customers.CreateAsync(new CustomerCreateOptions { Email = $"c{i}@example.com", Metadata = new() { ["batch"] = "paging" } });
        }

        var all = customers.ListAutoPaging(new CustomerListOptions { Limit = 10 }).ToList();
        var found = await customers.SearchAsync(new CustomerSearchOptions { Query = "email:'c7@example.com'" });

        all.Where(c => c.Metadata.GetValueOrDefault("batch") == "paging").Should().HaveCount(25);
        all.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        found.Data.Should().ContainSingle().Which.Email.Should().Be("c7@example.com");
    }

    [Fact]
    public async Task Product_with_default_price()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;

        var product = await new ProductService(stripe).CreateAsync(new ProductCreateOptions
        {
            Name = "T-shirt",
            DefaultPriceData = new ProductDefaultPriceDataOptions { Currency = "usd", UnitAmount = 2500 },
        });
        var price = await new PriceService(stripe).GetAsync(product.DefaultPriceId, new PriceGetOptions { Expand = ["product"] });

        product.Id.Should().StartWith("prod_");
        price.UnitAmount.Should().Be(2500);
        price.Product.Name.Should().Be("T-shirt");
    }

    [Fact]
    public async Task Payment_intent_confirms_to_succeeded_and_expands_its_charge()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;
        var intents = new PaymentIntentService(stripe);

        var created = await intents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 2500,
            Currency = "usd",
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
        });
        var confirmed = await intents.ConfirmAsync(created.Id, new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" });
        var expanded = await intents.GetAsync(created.Id, new PaymentIntentGetOptions { Expand = ["latest_charge"] });

        created.Status.Should().Be("requires_payment_method");
        created.AutomaticPaymentMethods.AllowRedirects.Should().Be("never");
        confirmed.Status.Should().Be("succeeded");
        confirmed.AmountReceived.Should().Be(2500);
        expanded.LatestCharge.Status.Should().Be("succeeded");
        expanded.LatestCharge.Amount.Should().Be(2500);
    }

    [Fact]
    public async Task Declined_card_throws_StripeException_with_decline_code()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;

        var declined = await FluentActions.Awaiting(() => new PaymentIntentService(stripe).CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 1000,
            Currency = "usd",
            PaymentMethod = "pm_card_chargeDeclinedInsufficientFunds",
            AllowedPaymentMethodTypes = ["card"],
            Confirm = true,
        })).Should().ThrowAsync<StripeException>();

        declined.Which.HttpStatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        declined.Which.StripeError.Type.Should().Be("card_error");
        declined.Which.StripeError.Code.Should().Be("card_declined");
        declined.Which.StripeError.DeclineCode.Should().Be("insufficient_funds");
        declined.Which.StripeError.PaymentIntent.Status.Should().Be("requires_payment_method");
    }

    [Fact]
    public async Task Idempotency_key_replays_the_first_result_and_refunds_are_partial()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;
        var intents = new PaymentIntentService(stripe);
        var options = new PaymentIntentCreateOptions { Amount = 4200, Currency = "usd", PaymentMethod = "pm_card_visa", AllowedPaymentMethodTypes = ["card"], Confirm = true };

        var first = await intents.CreateAsync(options, new RequestOptions { IdempotencyKey = "order-42" });
        var replay = await intents.CreateAsync(options, new RequestOptions { IdempotencyKey = "order-42" });
        var refund = await new RefundService(stripe).CreateAsync(new RefundCreateOptions { PaymentIntent = first.Id, Amount = 1200 });
        var charge = await new ChargeService(stripe).GetAsync(first.LatestChargeId);

        replay.Id.Should().Be(first.Id);
        first.AllowedPaymentMethodTypes.Should().Equal("card");
        first.PaymentMethodTypes.Should().Equal("card");
        refund.Status.Should().Be("succeeded");
        refund.Amount.Should().Be(1200);
        charge.AmountRefunded.Should().Be(1200);
        charge.Refunded.Should().BeFalse();
    }

    [Fact]
    public async Task Subscription_is_active_with_a_paid_invoice_and_events_record_it()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;
        var customer = await new CustomerService(stripe).CreateAsync(new CustomerCreateOptions
        {
            Email = "subs@example.com",
            PaymentMethod = "pm_card_visa",
            InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = "pm_card_visa" },
        });
        var product = await new ProductService(stripe).CreateAsync(new ProductCreateOptions { Name = "Team plan" });
        var price = await new PriceService(stripe).CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, UnitAmount = 2900, Currency = "usd", Recurring = new PriceRecurringOptions { Interval = "month" },
        });

        var subscription = await new SubscriptionService(stripe).CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new SubscriptionItemOptions { Price = price.Id, Quantity = 3 }],
            Expand = ["latest_invoice"],
        });
        var invoices = await new InvoiceService(stripe).ListAsync(new InvoiceListOptions { Customer = customer.Id });
        var events = await new EventService(stripe).ListAsync(new EventListOptions { Type = "customer.subscription.created" });

        subscription.Status.Should().Be("active");
        subscription.Items.Data.Single().Quantity.Should().Be(3);
        subscription.LatestInvoice.Status.Should().Be("paid");
        subscription.LatestInvoice.AmountPaid.Should().Be(8700);
        invoices.Data.Should().ContainSingle().Which.Id.Should().Be(subscription.LatestInvoice.Id);
        events.Data.Should().Contain(e => e.Type == "customer.subscription.created");
    }

    [Fact]
    public async Task Unknown_key_is_401_and_a_missing_object_is_404()
    {
        var (session, stripe) = await StartAsync();
        await using var _ = session;

        var unauthorized = await FluentActions.Awaiting(() => new CustomerService(Client(session, "sk_live_nope")).ListAsync())
            .Should().ThrowAsync<StripeException>();
        var missing = await FluentActions.Awaiting(() => new CustomerService(stripe).GetAsync("cus_missing"))
            .Should().ThrowAsync<StripeException>();

        unauthorized.Which.HttpStatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unauthorized.Which.StripeError.Type.Should().Be("invalid_request_error");
        missing.Which.HttpStatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Which.StripeError.Code.Should().Be("resource_missing");
        missing.Which.StripeError.Param.Should().Be("id");
    }
}

[Collection(InProcessCollection.Name)]
public sealed class StripeNetInProcessTests(InProcessHostFixture fixture) : StripeNetTests
{
    protected override ArchalHost Host => fixture.Host;
}

[Collection(KestrelCollection.Name)]
public sealed class StripeNetKestrelTests(KestrelHostFixture fixture) : StripeNetTests
{
    protected override ArchalHost Host => fixture.Host;
}
