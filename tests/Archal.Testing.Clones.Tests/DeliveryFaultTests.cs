using System.Net;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Clones.Tests.GitHub;
using Archal.Testing.Clones.Tests.Slack;
using Archal.Testing.Clones.Tests.Stripe;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests;

/// <summary>
/// A duplicated delivery repeats what each service repeats when it sends an event twice: GitHub's
/// <c>X-GitHub-Delivery</c> GUID, Stripe's event id, Slack's <c>event_id</c> (with no retry header: it is not a retry).
/// </summary>
[Collection(CloneHostCollection.Name)]
public class DeliveryFaultTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task GitHub_sends_a_duplicated_event_twice_with_the_same_delivery_guid()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        var receiver = new WebhookReceiver();
        session.Events.Route(WebhookReceiver.App, receiver);
        var rule = session.Faults.Add(FaultRule.ForDelivery("github", "issues.opened", null, FaultEffect.DuplicateDelivery()));
        var api = new GitHubApi(client);
        await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/github", secret = "s3cret" }, events = new[] { "issues" } });

        await api.Post("repos/acme/webapp/issues", new { title = "Twice" });
        await session.Events.WhenDeliveredAsync();

        var issues = receiver.Requests.Where(r => r.Headers["X-GitHub-Event"] == "issues").ToList();
        issues.Should().HaveCount(2);
        issues.Select(r => r.Headers["X-GitHub-Delivery"]).Distinct().Should().ContainSingle();
        issues.Select(r => r.Headers["X-Hub-Signature-256"]).Distinct().Should().ContainSingle();
        issues[1].Body.Should().Be(issues[0].Body);
        session.Events.Deliveries.Where(d => d.Fault is not null).Should().ContainSingle()
            .Which.Should().Match<WebhookDelivery>(d => d.Fault == "duplicate" && d.FaultRuleId == rule && d.Message.Action == "opened");
    }

    [Fact]
    public async Task Stripe_sends_a_duplicated_event_twice_with_the_same_event_id()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;
        var receiver = new WebhookReceiver();
        session.Events.Route(WebhookReceiver.App, receiver);
        session.Faults.Add(FaultRule.ForDelivery("stripe", "customer.created", FaultTrigger.FirstCalls(1), FaultEffect.DuplicateDelivery()));
        await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Fstripe&enabled_events[]=customer.created");

        await client.PostOkAsync("v1/customers", "email=ada%40example.com");
        await client.PostOkAsync("v1/customers", "email=bob%40example.com");
        await session.Events.WhenDeliveredAsync();

        var ids = receiver.Requests.Select(r => r.Json["id"]!.GetValue<string>()).ToList();
        ids.Should().HaveCount(3);
        ids[1].Should().Be(ids[0]).And.StartWith("evt_");
        ids[2].Should().NotBe(ids[0]);
        receiver.Requests.Should().OnlyContain(r => r.Headers.ContainsKey("Stripe-Signature"));
        session.Events.Deliveries.Select(d => d.Fault).Should().Equal(null, "duplicate", null);
    }

    [Fact]
    public async Task Slack_sends_a_duplicated_event_twice_with_the_same_event_id_and_no_retry_header()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var receiver = new WebhookReceiver((_, request) => request.Json["type"]?.GetValue<string>() == "url_verification"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(request.Json["challenge"]!.GetValue<string>()) }
            : new HttpResponseMessage(HttpStatusCode.OK));
        slack.Session.Events.Route(WebhookReceiver.App, receiver);
        slack.Session.Faults.Add(FaultRule.ForDelivery("slack", "message", null, FaultEffect.DuplicateDelivery()));
        slack.Session.Events.Subscribe("slack", new EventSubscription(new Uri("https://app.test/slack/events"), "8f742231b10e8888abcd99yyyzzz85a5", ["message.channels"]));
        var channel = slack.ChannelId("engineering");
        await slack.OkAsync("conversations.join", ("channel", channel));

        await slack.OkAsync("chat.postMessage", ("channel", channel), ("text", "Deploying now"));
        await slack.Session.Events.WhenDeliveredAsync();

        var callbacks = receiver.Requests.Where(r => r.Json["type"]!.GetValue<string>() == "event_callback" && r.Json["event"]!["subtype"] is null).ToList();
        callbacks.Should().HaveCount(2);
        callbacks.Select(r => r.Json["event_id"]!.GetValue<string>()).Distinct().Should().ContainSingle();
        callbacks.Should().OnlyContain(r => !r.Headers.ContainsKey("X-Slack-Retry-Num"), "a duplicate is a second delivery, not a retry");
        receiver.Requests.Count(r => r.Json["type"]!.GetValue<string>() == "url_verification").Should().Be(1, "the rule watches message events only");
    }
}
