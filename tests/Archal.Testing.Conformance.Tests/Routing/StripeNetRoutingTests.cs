using Archal.Testing.Hosting;
using Archal.Testing.Runtime;
using Stripe;

namespace Archal.Testing.Conformance.Tests.Routing;

/// <summary>Stripe.net 53 with its default base URL (https://api.stripe.com) against the Stripe clone, routed in-process.</summary>
public class StripeNetRoutingTests(InMemoryHostFixture fixture) : IClassFixture<InMemoryHostFixture>
{
    private StripeClient Stripe(ArchalSession session) =>
        new(fixture.ServiceToken("stripe"), httpClient: new SystemNetHttpClient(new HttpClient(session.CreateRoutingHandler())));

    [Fact]
    public async Task Stripe_net_with_its_default_base_url_creates_and_reads_state_in_the_clone()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe"));
        var stripe = Stripe(session);
        var customers = new CustomerService(stripe);

        var created = await customers.CreateAsync(new CustomerCreateOptions { Email = "ada@example.com", Name = "Ada Lovelace" });
        var intent = await new PaymentIntentService(stripe).CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 4200, Currency = "usd", Customer = created.Id, PaymentMethod = "pm_card_visa", Confirm = true,
            AutomaticPaymentMethods = new() { Enabled = true, AllowRedirects = "never" },
        });
        var read = await customers.GetAsync(created.Id);

        stripe.ApiBase.Should().Be("https://api.stripe.com");
        read.Email.Should().Be("ada@example.com");
        intent.Status.Should().Be("succeeded");
        session.Trace.Entries.Select(e => e.Method + " " + e.PathTemplate).Should().StartWith(["POST /v1/customers", "POST /v1/payment_intents"]);
        session.Changes.Of("stripe", "customer").Should().ContainSingle().Which.Id.Should().Be(created.Id);
    }

    [Fact]
    public async Task Stripe_net_synchronous_calls_route_too()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe"));
        var customers = new CustomerService(Stripe(session));

        var created = customers.Create(new CustomerCreateOptions { Email = "sync@example.com" });

        customers.Get(created.Id).Email.Should().Be("sync@example.com");
        session.Trace.Entries.Should().HaveCount(2);
    }

    [Fact]
    public async Task Stripe_net_errors_come_back_as_stripe_exceptions()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe"));
        var customers = new CustomerService(Stripe(session));

        var act = () => customers.GetAsync("cus_missing");

        (await act.Should().ThrowAsync<StripeException>()).Which.StripeError.Code.Should().Be("resource_missing");
    }

    [Fact]
    public async Task Stripe_net_auto_paging_follows_the_clones_cursors()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe").WithSeed("stripe", "small-business"));
        var customers = new CustomerService(Stripe(session));

        var all = new List<Customer>();
        await foreach (var customer in customers.ListAutoPagingAsync(new CustomerListOptions { Limit = 3 }))
        {
            all.Add(customer);
        }

        all.Should().HaveCount(8).And.OnlyHaveUniqueItems(c => c.Id);
        session.Trace.Entries.Should().HaveCount(3);
    }

    [Fact]
    public async Task Stripe_net_file_upload_to_files_stripe_com_is_refused_because_the_clone_serves_no_files()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe"));
        var files = new FileService(Stripe(session));
        using var content = new MemoryStream([1, 2, 3]);

        var act = () => files.CreateAsync(new FileCreateOptions { File = new MultipartFileContent { Data = content, Name = "evidence.bin" }, Purpose = "dispute_evidence" });

        (await act.Should().ThrowAsync<ArchalRoutingException>()).Which.Message.Should()
            .StartWith("Archal routing refused POST https://files.stripe.com/v1/files")
            .And.Contain("The 'stripe' clone serves https://api.stripe.com/ only.");
        session.Trace.Entries.Should().BeEmpty();
    }
}
