using System.Net;
using System.Security.Cryptography;
using System.Text;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary><c>/v1/webhook_endpoints</c> and the signed delivery of recorded events to them.</summary>
[Collection(CloneHostCollection.Name)]
public class StripeWebhookEndpointsTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Create_returns_the_secret_once_and_retrieve_list_update_delete_follow_the_api()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var created = await client.PostOkAsync("v1/webhook_endpoints",
            "url=https%3A%2F%2Fapp.test%2Fstripe&enabled_events[]=invoice.paid&enabled_events[]=customer.created&description=Billing&metadata[team]=ops");

        created.Id().Should().StartWith("we_");
        created.Str("object").Should().Be("webhook_endpoint");
        created.Str("secret").Should().MatchRegex("^whsec_[A-Za-z0-9]{32}$");
        created.Str("status").Should().Be("enabled");
        created["enabled_events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("invoice.paid", "customer.created");
        created["api_version"].Should().BeNull();
        created["metadata"]!.Str("team").Should().Be("ops");
        created.Select(p => p.Key).Should().BeEquivalentTo(
            ["id", "object", "api_version", "application", "created", "description", "enabled_events", "livemode", "metadata", "secret", "status", "url"]);

        var retrieved = await client.GetJsonAsync($"v1/webhook_endpoints/{created.Id()}");
        retrieved.ContainsKey("secret").Should().BeFalse("Stripe returns the secret only on create");
        retrieved.Str("url").Should().Be("https://app.test/stripe");

        var updated = await client.PostOkAsync($"v1/webhook_endpoints/{created.Id()}", "disabled=true&enabled_events[]=*&url=https%3A%2F%2Fapp.test%2Fv2");
        updated.Str("status").Should().Be("disabled");
        updated["enabled_events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("*");
        updated.Str("url").Should().Be("https://app.test/v2");

        var list = await client.GetJsonAsync("v1/webhook_endpoints");
        list.Str("url").Should().Be("/v1/webhook_endpoints");
        list["data"]!.AsArray().Select(e => e!.Id()).Should().Equal(created.Id());

        var (deleteResponse, deleted) = await client.DeleteAsync($"v1/webhook_endpoints/{created.Id()}", raw: false);
        deleteResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        deleted.ToJsonString().Should().Be($"{{\"id\":\"{created.Id()}\",\"object\":\"webhook_endpoint\",\"deleted\":true}}");
        var (missing, error) = await client.GetAsync($"v1/webhook_endpoints/{created.Id()}", raw: false);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        error["error"]!.Str("message").Should().Be($"No such webhook_endpoint: '{created.Id()}'");
    }

    [Theory]
    [InlineData("enabled_events[]=*", "Missing required param: url.", "url")]
    [InlineData("url=https%3A%2F%2Fapp.test", "Missing required param: enabled_events.", "enabled_events")]
    [InlineData("url=ftp%3A%2F%2Fapp.test&enabled_events[]=*", "Invalid URL: ftp://app.test. URLs must begin with http:// or https://", "url")]
    [InlineData("url=https%3A%2F%2Fapp.test&enabled_events[]=Not%20An%20Event", "Invalid enabled_events[0]: Not An Event is not a Stripe event type.", "enabled_events[0]")]
    public async Task Bad_create_parameters_get_stripes_400(string form, string message, string param)
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/webhook_endpoints", form);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body["error"]!.Str("type").Should().Be("invalid_request_error");
        body["error"]!.Str("message").Should().Be(message);
        body["error"]!.Str("param").Should().Be(param);
    }

    [Fact]
    public async Task Each_recorded_event_reaches_the_enabled_endpoints_that_listen_to_it_signed_with_their_secret()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        var receiver = new WebhookReceiver();
        session.Events.Route(WebhookReceiver.App, receiver);
        var all = await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Fall&enabled_events[]=*");
        var customers = await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Fcustomers&enabled_events[]=customer.created");
        var off = await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Foff&enabled_events[]=*");
        await client.PostOkAsync($"v1/webhook_endpoints/{off.Id()}", "disabled=true");

        var customer = await client.PostOkAsync("v1/customers", "email=ada%40example.com");
        await client.PostOkAsync($"v1/customers/{customer.Id()}", "name=Ada");
        await session.Events.WhenDeliveredAsync();

        // In order per endpoint; endpoints are delivered independently.
        var requests = receiver.Requests.OrderBy(r => r.Url, StringComparer.Ordinal).ToList();
        requests.Select(r => (r.Url, r.Json.Str("type"))).Should().Equal(
            ("https://app.test/all", "customer.created"),
            ("https://app.test/all", "customer.updated"),
            ("https://app.test/customers", "customer.created"));
        var first = requests[0];
        first.Method.Should().Be("POST");
        first.Headers["Content-Type"].Should().Be("application/json; charset=utf-8");
        first.Headers["User-Agent"].Should().Be("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        first.Json["data"]!["object"]!.Id().Should().Be(customer.Id());
        first.Json.Long("pending_webhooks").Should().Be(2);
        first.Json.Str("api_version").Should().Be(Clones.Stripe.StripeClone.DefaultApiVersion);
        first.Body.Should().StartWith("{\n  \"id\": \"evt_", "Stripe sends events pretty-printed");

        var stored = await client.GetJsonAsync($"v1/events/{first.Json.Id()}");
        stored.Long("pending_webhooks").Should().Be(2);

        foreach (var (request, secret) in new[] { (requests[0], all.Str("secret")), (requests[1], all.Str("secret")), (requests[2], customers.Str("secret")) })
        {
            var header = request.Headers["Stripe-Signature"];
            header.Should().MatchRegex("^t=[0-9]+,v1=[0-9a-f]{64}$");
            var t = header.Split(',')[0][2..];
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. request.BodyBytes]));
            header.Should().EndWith(",v1=" + expected);
        }

        session.Events.Deliveries.Should().HaveCount(3).And.OnlyContain(d => d.CloneId == "stripe" && d.Status == WebhookDeliveryStatus.Delivered);
        session.Events.Deliveries.Select(d => d.Message.Source).Should().Equal(all.Id(), customers.Id(), all.Id());
    }

    [Fact]
    public async Task An_endpoint_with_an_api_version_gets_events_at_that_version()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        var receiver = new WebhookReceiver();
        session.Events.Route(WebhookReceiver.App, receiver);
        await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Fold&enabled_events[]=customer.created&api_version=2024-06-20");

        await client.PostOkAsync("v1/customers", "email=ada%40example.com");
        await session.Events.WhenDeliveredAsync();

        receiver.Requests.Single().Json.Str("api_version").Should().Be("2024-06-20");
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_three_times_with_a_fresh_signature_each_time()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        // Stripe retries over hours of fake time: the session (and its evidence) must outlive them.
        await using var host = new Hosting.ArchalHost(new Hosting.ArchalHostOptions { TimeProvider = time, DefaultSessionTtl = TimeSpan.FromHours(24), EndedSessionRetention = TimeSpan.FromDays(7) });
        await host.StartAsync();
        await using var session = await host.StartSessionAsync(new Hosting.SessionRequest("stripe"));
        using var client = session.CreateClient("stripe");
        var receiver = new WebhookReceiver((_, _) => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        session.Events.Route(WebhookReceiver.App, receiver);
        await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Fx&enabled_events[]=customer.created");

        await client.PostOkAsync("v1/customers", "email=ada%40example.com");
        await session.Events.WhenDeliveredAsync();
        foreach (var hours in new[] { 1, 2, 4, 24 })
        {
            time.Advance(TimeSpan.FromHours(hours));
            await session.Events.WhenDeliveredAsync();
        }

        var delivery = session.Events.Deliveries.Single();
        delivery.Status.Should().Be(WebhookDeliveryStatus.Failed);
        delivery.Attempts.Select(a => a.Status).Should().Equal(500, 500, 500, 500);
        receiver.Requests.Select(r => r.Headers["Stripe-Signature"].Split(',')[0]).Should().Equal(
            "t=1777593600", "t=1777597200", "t=1777604400", "t=1777618800");
    }
}
