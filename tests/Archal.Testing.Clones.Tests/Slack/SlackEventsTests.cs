using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests.Slack;

/// <summary>The Slack Events API: url_verification, signed event_callback envelopes, retries.</summary>
[Collection(CloneHostCollection.Name)]
public class SlackEventsTests(CloneHostFixture fixture)
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly Uri Url = new("https://app.test/slack/events");

    /// <summary>Echoes url_verification challenges; answers everything else with <paramref name="status"/>.</summary>
    private static WebhookReceiver Receiver(Func<int, HttpStatusCode>? status = null) => new((n, request) =>
        request.Json["type"]?.GetValue<string>() == "url_verification"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(request.Json["challenge"]!.GetValue<string>()) }
            : new HttpResponseMessage(status?.Invoke(n) ?? HttpStatusCode.OK));

    private static string Sign(ReceivedWebhook request) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret),
            Encoding.UTF8.GetBytes($"v0:{request.Headers["X-Slack-Request-Timestamp"]}:{request.Body}")));

    private async Task<(SlackApi Slack, WebhookReceiver Receiver)> StartAsync(string[] events, Func<int, HttpStatusCode>? status = null)
    {
        var slack = await SlackApi.StartAsync(fixture);
        var receiver = Receiver(status);
        slack.Session.Events.Route(WebhookReceiver.App, receiver);
        slack.Session.Events.Subscribe("slack", new EventSubscription(Url, Secret, events));
        return (slack, receiver);
    }

    [Fact]
    public async Task The_url_is_verified_first_then_messages_arrive_as_signed_event_callbacks()
    {
        var (slack, receiver) = await StartAsync(["message.channels"]);
        await using var _ = slack;
        var channel = slack.ChannelId("engineering");
        await slack.OkAsync("conversations.join", ("channel", channel));

        var posted = await slack.OkAsync("chat.postMessage", ("channel", channel), ("text", "Deploying now"));
        await slack.OkAsync("chat.postMessage", ("channel", channel), ("text", "in thread"), ("thread_ts", posted["ts"]!.GetValue<string>()));
        await slack.Session.Events.WhenDeliveredAsync();

        var requests = receiver.Requests.ToList();
        requests[0].Json["type"]!.GetValue<string>().Should().Be("url_verification");
        requests[0].Json["challenge"]!.GetValue<string>().Should().HaveLength(48);
        var callbacks = requests.Skip(1).Select(r => r.Json).Where(j => j["event"]!["subtype"] is null).ToList();
        callbacks.Select(c => c["event"]!["text"]!.GetValue<string>()).Should().Equal("Deploying now", "in thread");
        var first = callbacks[0];
        first["type"]!.GetValue<string>().Should().Be("event_callback");
        first["event_id"]!.GetValue<string>().Should().MatchRegex("^Ev[A-Z0-9]{9}$");
        first["team_id"]!.GetValue<string>().Should().Be(slack.State.Team.Id);
        first["authorizations"]![0]!["user_id"]!.GetValue<string>().Should().Be(slack.BotId);
        first["event"]!["type"]!.GetValue<string>().Should().Be("message");
        first["event"]!["channel"]!.GetValue<string>().Should().Be(channel);
        first["event"]!["channel_type"]!.GetValue<string>().Should().Be("channel");
        first["event"]!["ts"]!.GetValue<string>().Should().Be(posted["ts"]!.GetValue<string>());
        callbacks[1]["event"]!["thread_ts"]!.GetValue<string>().Should().Be(posted["ts"]!.GetValue<string>());
        requests.Should().OnlyContain(r => r.Headers["X-Slack-Signature"] == Sign(r));
        requests[1].Headers["User-Agent"].Should().StartWith("Slackbot 1.0");
        requests[1].Headers.ContainsKey("X-Slack-Retry-Num").Should().BeFalse();
        slack.Session.Events.Deliveries.Should().OnlyContain(d => d.Status == WebhookDeliveryStatus.Delivered);
    }

    [Fact]
    public async Task Mentions_reactions_joins_and_new_channels_are_announced()
    {
        var (slack, receiver) = await StartAsync(["app_mention", "reaction_added", "reaction_removed", "member_joined_channel", "channel_created"]);
        await using var _ = slack;
        var channel = slack.ChannelId("engineering");
        using var human = slack.Session.CreateClient("slack", slack.State.UserToken(slack.UserId(slack.State.Users.Items.First(u => !u.IsBot && u.IsPrimaryOwner).Name)));
        var humanId = slack.State.Users.Items.First(u => !u.IsBot && u.IsPrimaryOwner).Id;

        var elsewhere = slack.State.Channels.Items.First(c => !c.IsIm && !c.IsMpim && !c.IsPrivate && !c.IsArchived && !c.Members.Contains(slack.BotId)).Id;
        await slack.OkAsync("conversations.join", ("channel", elsewhere));
        var mention = JsonNode.Parse(await (await human.PostAsync("chat.postMessage", new FormUrlEncodedContent([new("channel", channel), new("text", $"<@{slack.BotId}> status?")]))).Content.ReadAsStringAsync())!;
        await slack.OkAsync("reactions.add", ("channel", channel), ("timestamp", mention["ts"]!.GetValue<string>()), ("name", "eyes"));
        await slack.OkAsync("reactions.remove", ("channel", channel), ("timestamp", mention["ts"]!.GetValue<string>()), ("name", "eyes"));
        var created = await slack.OkAsync("conversations.create", ("name", "launch-room"));
        await slack.Session.Events.WhenDeliveredAsync();

        var events = receiver.Requests.Skip(1).Select(r => r.Json["event"]!).ToList();
        events.Select(e => e["type"]!.GetValue<string>()).Should().Equal("member_joined_channel", "app_mention", "reaction_added", "reaction_removed", "channel_created");
        events[0]["user"]!.GetValue<string>().Should().Be(slack.BotId);
        events[0]["channel"]!.GetValue<string>().Should().Be(elsewhere);
        events[1]["user"]!.GetValue<string>().Should().Be(humanId);
        events[1]["text"]!.GetValue<string>().Should().Be($"<@{slack.BotId}> status?");
        events[2]["item"]!["ts"]!.GetValue<string>().Should().Be(mention["ts"]!.GetValue<string>());
        events[2]["reaction"]!.GetValue<string>().Should().Be("eyes");
        events[2]["item_user"]!.GetValue<string>().Should().Be(humanId);
        events[4]["channel"]!["id"]!.GetValue<string>().Should().Be(created["channel"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_receiver_gets_three_retries_with_the_retry_headers()
    {
        var (slack, receiver) = await StartAsync(["channel_created"], n => HttpStatusCode.InternalServerError);
        await using var _ = slack;

        await slack.OkAsync("conversations.create", ("name", "retry-room"));
        await slack.Session.Events.WhenDeliveredAsync();

        var attempts = receiver.Requests.Skip(1).ToList();
        attempts.Should().HaveCount(2, "the first retry is immediate; the next waits a minute on the clock");
        attempts[1].Headers["X-Slack-Retry-Num"].Should().Be("1");
        attempts[1].Headers["X-Slack-Retry-Reason"].Should().Be("http_error");
        attempts[0].Body.Should().Be(attempts[1].Body);
        slack.Session.Events.Deliveries[1].Status.Should().Be(WebhookDeliveryStatus.Pending);
    }

    [Fact]
    public async Task A_receiver_that_does_not_echo_the_challenge_fails_verification()
    {
        var slack = await SlackApi.StartAsync(fixture);
        await using var _ = slack;
        slack.Session.Events.Route(WebhookReceiver.App, new WebhookReceiver());

        slack.Session.Events.Subscribe("slack", new EventSubscription(Url, Secret, ["channel_created"]));
        await slack.Session.Events.WhenDeliveredAsync();

        var verification = slack.Session.Events.Deliveries.Single();
        verification.EventType.Should().Be("url_verification");
        verification.Status.Should().Be(WebhookDeliveryStatus.Failed);
        verification.Attempts.Single().Error.Should().Be("the answer does not echo the url_verification challenge");
    }

    [Fact]
    public async Task Subscriptions_through_the_control_plane_and_their_errors()
    {
        var (session, _) = await fixture.StartAsync("slack");
        await using var _ = session;
        session.Events.Route(WebhookReceiver.App, Receiver());
        using var control = fixture.Host.CreateClient(session.RouteToken);

        using var created = await control.PostAsJsonAsync($"/api/sessions/{session.Id}/subscriptions",
            new { clone = "slack", url = Url.AbsoluteUri, signingSecret = Secret, events = new[] { "app_mention" } });
        using var unknown = await control.PostAsJsonAsync($"/api/sessions/{session.Id}/subscriptions",
            new { clone = "slack", url = Url.AbsoluteUri, signingSecret = Secret, events = new[] { "team_join" } });
        using var noSecret = await control.PostAsJsonAsync($"/api/sessions/{session.Id}/subscriptions",
            new { clone = "slack", url = Url.AbsoluteUri, events = new[] { "app_mention" } });
        await session.Events.WhenDeliveredAsync();

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = (await unknown.Content.ReadFromJsonAsync<JsonObject>())!;
        error["code"]!.GetValue<string>().Should().Be("invalid_events");
        error["message"]!.GetValue<string>().Should().StartWith("The Slack clone does not send team_join; it sends message.channels");
        noSecret.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var subscribeToGitHub = () => session.Events.Subscribe("github", new EventSubscription(Url, Secret, ["issues"]));
        subscribeToGitHub.Should().Throw<ArgumentException>().WithMessage("Session '*' has no 'github' clone; it has slack.*");
        session.Events.Deliveries.Single().Status.Should().Be(WebhookDeliveryStatus.Delivered);
    }

    [Fact]
    public async Task A_subscription_in_seed_data_is_already_verified()
    {
        var data = System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"event_subscriptions": [{"url": "{{Url}}", "signing_secret": "{{Secret}}", "events": ["channel_created"]}]}
            """)!.AsObject();
        await using var session = await fixture.Host.StartSessionAsync(new Hosting.SessionRequest("slack").WithSeedData("slack", data));
        var receiver = Receiver();
        session.Events.Route(WebhookReceiver.App, receiver);
        using var client = session.CreateClient("slack");

        (await client.PostAsync("conversations.create", new FormUrlEncodedContent([new("name", "seeded-room")]))).Dispose();
        await session.Events.WhenDeliveredAsync();

        var request = receiver.Requests.Single();
        request.Json["event"]!["type"]!.GetValue<string>().Should().Be("channel_created");
        request.Headers["X-Slack-Signature"].Should().Be(Sign(request));
    }

    [Fact]
    public async Task A_clone_whose_webhooks_live_in_its_own_api_takes_no_subscriptions()
    {
        var (session, _) = await fixture.StartAsync("github");
        await using var _ = session;
        using var control = fixture.Host.CreateClient(session.RouteToken);

        using var response = await control.PostAsJsonAsync($"/api/sessions/{session.Id}/subscriptions",
            new { clone = "github", url = Url.AbsoluteUri, signingSecret = Secret, events = new[] { "issues" } });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        error["code"]!.GetValue<string>().Should().Be("subscriptions_not_supported");
        error["message"]!.GetValue<string>().Should().Be("The github clone takes no event subscriptions; its webhooks are configured through its own API.");
    }
}
