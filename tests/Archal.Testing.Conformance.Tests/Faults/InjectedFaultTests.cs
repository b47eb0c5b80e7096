using System.Globalization;
using System.Net;
using Archal.Testing.Hosting;
using Octokit;
using Octokit.Internal;
using Stripe;

namespace Archal.Testing.Conformance.Tests.Faults;

/// <summary>
/// Injected faults as the official .NET SDKs see them (Octokit.net 14.0.0, Stripe.net 53.1.0, unmodified): the same
/// exception types, error types and rate-limit data as for the real services' answers. Runs in-process and over Kestrel.
/// </summary>
public abstract class InjectedFaultTests
{
    private const string StripeKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

    protected abstract ArchalHost Host { get; }

    private GitHubClient Octokit(ArchalSession session)
    {
        var connection = new Connection(new ProductHeaderValue("archal-conformance"), new Uri(session.ApiBaseUrls["github"] + "/"),
            new InMemoryCredentialStore(new Credentials("ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt")),
            new HttpClientAdapter(() => new RouteHeaderHandler(Host, session)), new SimpleJsonSerializer());
        return new GitHubClient(connection);
    }

    private StripeClient Stripe(ArchalSession session, int maxNetworkRetries = 0) =>
        new(apiKey: StripeKey, httpClient: new SystemNetHttpClient(new HttpClient(new RouteHeaderHandler(Host, session)), maxNetworkRetries),
            apiBase: session.ApiBaseUrls["stripe"].ToString().TrimEnd('/'));

    private Task<ArchalSession> StartAsync(string clone, FaultRule rule) =>
        Host.CreateSessionAsync(new SessionRequest(clone).WithSeed(clone, clone == "github" ? "small-project" : "empty").WithFault(rule));

    [Fact]
    public async Task Octokit_throws_RateLimitExceededException_with_the_reset_of_a_primary_rate_limit()
    {
        await using var session = await StartAsync("github", new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(1), FaultEffect.Status(403)));

        var thrown = await FluentActions.Awaiting(() => Octokit(session).Issue.Create("acme", "webapp", new NewIssue("Limited")))
            .Should().ThrowAsync<RateLimitExceededException>();

        var headers = session.Trace.Entries.Single().ResponseHeaders;
        thrown.Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        thrown.Which.Remaining.Should().Be(0);
        thrown.Which.Limit.Should().Be(5000);
        thrown.Which.Reset.ToUnixTimeSeconds().Should().Be(long.Parse(headers["x-ratelimit-reset"], CultureInfo.InvariantCulture));
        thrown.Which.Reset.Should().BeAfter(DateTimeOffset.UtcNow);
        thrown.Which.Message.Should().StartWith("API rate limit exceeded for user ID ");
    }

    [Fact]
    public async Task Octokit_throws_SecondaryRateLimitExceededException_with_Retry_After()
    {
        await using var session = await StartAsync("github", new FaultRule("github", "issues/create", null, FaultEffect.Status(403, "secondary_rate_limit")));

        var thrown = await FluentActions.Awaiting(() => Octokit(session).Issue.Create("acme", "webapp", new NewIssue("Too fast")))
            .Should().ThrowAsync<SecondaryRateLimitExceededException>();

        thrown.Which.HttpResponse.Headers["Retry-After"].Should().Be("60");
        thrown.Which.Message.Should().StartWith("You have exceeded a secondary rate limit.");
    }

    [Fact]
    public async Task Octokit_sees_a_502_as_an_ApiException_and_the_next_call_succeeds()
    {
        await using var session = await StartAsync("github", new FaultRule("github", "issues/get", FaultTrigger.FirstCalls(1), FaultEffect.Status(502)));
        var github = Octokit(session);

        var thrown = await FluentActions.Awaiting(() => github.Issue.Get("acme", "webapp", 1)).Should().ThrowAsync<ApiException>();
        var retried = await github.Issue.Get("acme", "webapp", 1);

        thrown.Which.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        thrown.Which.Message.Should().Be("Server Error");
        retried.Number.Should().Be(1);
    }

    [Fact]
    public async Task StripeNet_throws_StripeException_for_rate_limit_and_api_error()
    {
        await using var session = await Host.CreateSessionAsync(new SessionRequest("stripe")
            .WithFault(new FaultRule("stripe", "customers/create", FaultTrigger.FirstCalls(1), FaultEffect.Status(429)))
            .WithFault(new FaultRule("stripe", "customers/list", FaultTrigger.FirstCalls(1), FaultEffect.Status(500))));
        var customers = new CustomerService(Stripe(session));

        var limited = await FluentActions.Awaiting(() => customers.CreateAsync(new CustomerCreateOptions { Email = "a@example.com" })).Should().ThrowAsync<StripeException>();
        var failed = await FluentActions.Awaiting(() => customers.ListAsync()).Should().ThrowAsync<StripeException>();

        limited.Which.HttpStatusCode.Should().Be((HttpStatusCode)429);
        limited.Which.StripeError.Type.Should().Be("invalid_request_error");
        limited.Which.StripeError.Code.Should().Be("rate_limit");
        failed.Which.HttpStatusCode.Should().Be(HttpStatusCode.InternalServerError);
        failed.Which.StripeError.Type.Should().Be("api_error");
    }

    [Fact]
    public async Task StripeNet_declines_a_confirm_with_the_injected_decline_code()
    {
        await using var session = await StartAsync("stripe", new FaultRule("stripe", "payment_intents/confirm", null, FaultEffect.Error("insufficient_funds")));
        var intents = new PaymentIntentService(Stripe(session));
        var intent = await intents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1000, Currency = "usd", AllowedPaymentMethodTypes = ["card"] });

        var declined = await FluentActions.Awaiting(() => intents.ConfirmAsync(intent.Id, new PaymentIntentConfirmOptions { PaymentMethod = "pm_card_visa" }))
            .Should().ThrowAsync<StripeException>();

        declined.Which.HttpStatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        declined.Which.StripeError.Type.Should().Be("card_error");
        declined.Which.StripeError.Code.Should().Be("card_declined");
        declined.Which.StripeError.DeclineCode.Should().Be("insufficient_funds");
        declined.Which.StripeError.Message.Should().Be("Your card has insufficient funds.");

        // Recorded as Stripe records a decline: a failed charge, the intent back to requires_payment_method, the events.
        var after = await intents.GetAsync(intent.Id);
        after.Status.Should().Be("requires_payment_method");
        after.LastPaymentError.DeclineCode.Should().Be("insufficient_funds");
        var charge = await new ChargeService(Stripe(session)).GetAsync(after.LatestChargeId);
        charge.Status.Should().Be("failed");
        charge.FailureCode.Should().Be("card_declined");
        charge.Outcome.Reason.Should().Be("insufficient_funds");
        declined.Which.StripeError.Charge.Should().Be(charge.Id);
        var events = await new EventService(Stripe(session)).ListAsync(new EventListOptions { Limit = 10 });
        events.Data.Select(e => e.Type).Should().Contain(["charge.failed", "payment_intent.payment_failed"]);
        session.Trace.Entries.Single(e => e.Path.EndsWith("/confirm", StringComparison.Ordinal)).FaultId.Should().Be("flt-1");
    }

    [Fact]
    public async Task An_injected_decline_on_a_call_that_charges_nothing_is_the_error_alone()
    {
        await using var session = await StartAsync("stripe", new FaultRule("stripe", "payment_intents/create", FaultTrigger.FirstCalls(1), FaultEffect.Error("card_declined")));
        var intents = new PaymentIntentService(Stripe(session));

        var declined = await FluentActions.Awaiting(() => intents.CreateAsync(new PaymentIntentCreateOptions { Amount = 1000, Currency = "usd", AllowedPaymentMethodTypes = ["card"] }))
            .Should().ThrowAsync<StripeException>();

        declined.Which.StripeError.DeclineCode.Should().Be("generic_decline");
        (await intents.ListAsync()).Data.Should().BeEmpty("an intent created without confirm makes no payment attempt to decline");
    }

    [Fact]
    public async Task StripeNet_retries_a_lock_timeout_as_Stripe_tells_it_to()
    {
        await using var session = await StartAsync("stripe", new FaultRule("stripe", "customers/create", FaultTrigger.FirstCalls(1), FaultEffect.Error("lock_timeout")));

        var customer = await new CustomerService(Stripe(session, maxNetworkRetries: 1)).CreateAsync(new CustomerCreateOptions { Email = "retry@example.com" });

        customer.Email.Should().Be("retry@example.com");
        session.Trace.Entries.Select(e => (e.Status, e.FaultId)).Should().Equal((429, "flt-1"), (200, null));
        session.Trace.Entries[0].ResponseHeaders["Stripe-Should-Retry"].Should().Be("true");
    }
}

[Collection(InProcessCollection.Name)]
public sealed class InjectedFaultInProcessTests(InProcessHostFixture fixture) : InjectedFaultTests
{
    protected override ArchalHost Host => fixture.Host;
}

[Collection(KestrelCollection.Name)]
public sealed class InjectedFaultKestrelTests(KestrelHostFixture fixture) : InjectedFaultTests
{
    protected override ArchalHost Host => fixture.Host;

    [Fact]
    public async Task Drop_aborts_the_connection_so_the_client_gets_no_response()
    {
        await using var session = await Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project")
            .WithFault(new FaultRule("github", "issues/get", FaultTrigger.FirstCalls(1), FaultEffect.DropConnection())));
        using var github = session.CreateClient("github");

        await FluentActions.Awaiting(() => github.GetAsync("repos/acme/webapp/issues/1")).Should().ThrowAsync<HttpRequestException>();
        using var next = await github.GetAsync("repos/acme/webapp/issues/1");

        next.StatusCode.Should().Be(HttpStatusCode.OK);
        session.Trace.Entries.Select(e => (e.Status, e.FaultId)).Should().Equal((0, "flt-1"), (200, null));
    }
}
