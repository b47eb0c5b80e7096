using System.Text.Json.Nodes;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackChatTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Post_message_as_bot_carries_bot_id_app_id_and_a_fresh_ts()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");

        var body = await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "Build green"), ("mrkdwn", "true"), ("unfurl_links", "false"));

        var message = body["message"]!;
        body["channel"]!.GetValue<string>().Should().Be(engineering);
        message["ts"]!.GetValue<string>().Should().MatchRegex(@"^\d{10}\.\d{6}$").And.Be(body["ts"]!.GetValue<string>());
        message["bot_id"]!.GetValue<string>().Should().Be(slack.State.Users.Find(slack.BotId)!.BotId);
        message["app_id"]!.GetValue<string>().Should().StartWith("A");
        message["user"]!.GetValue<string>().Should().Be(slack.BotId);
        var stored = slack.State.FindMessage(engineering, body["ts"]!.GetValue<string>())!;
        stored.Text.Should().Be("Build green");
        stored.ChannelName.Should().Be("engineering");
    }

    [Fact]
    public async Task Timestamps_are_unique_and_increasing_within_a_channel()
    {
        await using var slack = await SlackApi.StartAsync(fixture, "empty");
        var general = slack.ChannelId("general");
        var ts = new List<string>();

        for (var i = 0; i < 20; i++)
        {
            ts.Add((await slack.OkAsync("chat.postMessage", ("channel", general), ("text", $"{i}")))["ts"]!.GetValue<string>());
        }

        ts.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Channel_can_be_named_with_or_without_hash()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        (await slack.OkAsync("chat.postMessage", ("channel", "#engineering"), ("text", "a")))["channel"]!.GetValue<string>().Should().Be(slack.ChannelId("engineering"));
        (await slack.OkAsync("chat.postMessage", ("channel", "deploys"), ("text", "b")))["channel"]!.GetValue<string>().Should().Be(slack.ChannelId("deploys"));
    }

    [Fact]
    public async Task Post_errors_follow_slack()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.ErrorAsync("chat.postMessage", "channel_not_found", ("text", "x"));
        await slack.ErrorAsync("chat.postMessage", "channel_not_found", ("channel", "#nope"), ("text", "x"));
        await slack.ErrorAsync("chat.postMessage", "no_text", ("channel", "#engineering"));
        await slack.ErrorAsync("chat.postMessage", "not_in_channel", ("channel", "#random"), ("text", "x"));
        await slack.ErrorAsync("chat.postMessage", "invalid_blocks", ("channel", "#engineering"), ("blocks", "[{\"text\":1}]"));
        await slack.ErrorAsync("chat.postMessage", "invalid_blocks", ("channel", "#engineering"), ("blocks", "not json"));
        await slack.ErrorAsync("chat.postMessage", "msg_too_long", ("channel", "#engineering"), ("text", new string('a', 40_001)));
        await slack.ErrorAsync("chat.postMessage", "thread_not_found", ("channel", "#engineering"), ("text", "x"), ("thread_ts", "1000000000.000001"));
    }

    [Fact]
    public async Task Chat_write_public_scope_lets_a_bot_post_to_public_channels_it_has_not_joined()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        slack.State.RegisterToken("xoxb-public-poster", slack.BotId, ["chat:write", "chat:write.public"]);
        slack.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "xoxb-public-poster");

        await slack.OkAsync("chat.postMessage", ("channel", "#random"), ("text", "drive-by"));

        slack.State.Channels.Items.Single(c => c.Name == "random").Members.Should().NotContain(slack.BotId);
        await slack.ErrorAsync("chat.postMessage", "channel_not_found", ("channel", "#design"), ("text", "private stays private"));
    }

    [Fact]
    public async Task Thread_replies_update_reply_count_reply_users_and_latest_reply()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var alice = slack.UserId("alice");
        var parentTs = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "parent")))["ts"]!.GetValue<string>();

        await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "r1"), ("thread_ts", parentTs));
        await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "r2"), ("thread_ts", parentTs));
        using var alicesClient = slack.Session.CreateClient("slack", slack.State.UserToken(alice));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = engineering, ["text"] = "r3", ["thread_ts"] = parentTs });
        var aliceReply = JsonNode.Parse(await (await alicesClient.PostAsync("chat.postMessage", form)).Content.ReadAsStringAsync())!;

        aliceReply["ok"]!.GetValue<bool>().Should().BeTrue(aliceReply.ToJsonString());
        var replies = await slack.OkAsync("conversations.replies", ("channel", engineering), ("ts", parentTs));
        var messages = replies["messages"]!.AsArray();
        messages.Select(m => m!["text"]!.GetValue<string>()).Should().Equal("parent", "r1", "r2", "r3");
        messages[0]!["reply_count"]!.GetValue<int>().Should().Be(3);
        messages[0]!["reply_users"]!.AsArray().Select(u => u!.GetValue<string>()).Should().Equal(slack.BotId, alice);
        messages[0]!["latest_reply"]!.GetValue<string>().Should().Be(aliceReply["ts"]!.GetValue<string>());
        messages[3]!["parent_user_id"]!.GetValue<string>().Should().Be(slack.BotId);
        var viaReply = await slack.OkAsync("conversations.replies", ("channel", engineering), ("ts", aliceReply["ts"]!.GetValue<string>()));
        viaReply["messages"]!.AsArray().Should().HaveCount(4, "a reply's ts names the whole thread");
        await slack.ErrorAsync("conversations.replies", "thread_not_found", ("channel", engineering), ("ts", "1000000000.000001"));
        var history = await slack.OkAsync("conversations.history", ("channel", engineering), ("limit", "3"));
        history["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()).Should().NotContain("r1", "replies stay out of the channel timeline");
    }

    [Fact]
    public async Task Reply_broadcast_appears_in_the_channel_as_thread_broadcast()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var parentTs = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "parent")))["ts"]!.GetValue<string>();

        var reply = await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "also to channel"), ("thread_ts", parentTs), ("reply_broadcast", "true"));

        reply["message"]!["subtype"]!.GetValue<string>().Should().Be("thread_broadcast");
        var history = await slack.OkAsync("conversations.history", ("channel", engineering), ("limit", "1"));
        history["messages"]![0]!["text"]!.GetValue<string>().Should().Be("also to channel");
    }

    [Fact]
    public async Task Update_edits_own_message_and_refuses_others()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var ts = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "v1")))["ts"]!.GetValue<string>();
        var someoneElses = slack.State.Messages.Items.First(m => m.Channel == engineering && m.User != slack.BotId && m.Subtype is null);

        var body = await slack.OkAsync("chat.update", ("channel", engineering), ("ts", ts), ("text", "v2"));

        body["text"]!.GetValue<string>().Should().Be("v2");
        slack.State.FindMessage(engineering, ts)!.Edited!.User.Should().Be(slack.BotId);
        await slack.ErrorAsync("chat.update", "cant_update_message", ("channel", engineering), ("ts", someoneElses.Ts), ("text", "hijack"));
        await slack.ErrorAsync("chat.update", "message_not_found", ("channel", engineering), ("ts", "1000000000.000001"), ("text", "x"));
    }

    [Fact]
    public async Task Delete_removes_the_message_and_updates_the_thread()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var parentTs = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "parent")))["ts"]!.GetValue<string>();
        var replyTs = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "reply"), ("thread_ts", parentTs)))["ts"]!.GetValue<string>();

        await slack.OkAsync("chat.delete", ("channel", engineering), ("ts", replyTs));

        slack.State.FindMessage(engineering, replyTs).Should().BeNull();
        slack.State.FindMessage(engineering, parentTs)!.ReplyCount.Should().Be(0);
        await slack.ErrorAsync("chat.delete", "message_not_found", ("channel", engineering), ("ts", replyTs));
        await slack.OkAsync("chat.delete", ("channel", engineering), ("ts", parentTs));
        slack.State.FindMessage(engineering, parentTs).Should().BeNull();
    }

    [Fact]
    public async Task Deleting_a_parent_with_replies_leaves_a_tombstone()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var parentTs = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "parent")))["ts"]!.GetValue<string>();
        await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "reply"), ("thread_ts", parentTs));

        await slack.OkAsync("chat.delete", ("channel", engineering), ("ts", parentTs));

        var replies = await slack.OkAsync("conversations.replies", ("channel", engineering), ("ts", parentTs));
        replies["messages"]![0]!["subtype"]!.GetValue<string>().Should().Be("tombstone");
        replies["messages"]![1]!["text"]!.GetValue<string>().Should().Be("reply");
    }

    [Fact]
    public async Task Ephemeral_messages_need_the_user_in_the_channel_and_are_not_stored()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var before = slack.State.Messages.Count;

        var body = await slack.OkAsync("chat.postEphemeral", ("channel", engineering), ("user", slack.UserId("alice")), ("text", "only you"));

        body["message_ts"]!.GetValue<string>().Should().MatchRegex(@"^\d{10}\.\d{6}$");
        slack.State.Messages.Count.Should().Be(before);
        await slack.ErrorAsync("chat.postEphemeral", "user_not_in_channel", ("channel", engineering), ("user", slack.UserId("carol")), ("text", "x"));
    }

    [Fact]
    public async Task Permalink_points_at_the_workspace_archive()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var ts = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "link me")))["ts"]!.GetValue<string>();

        var body = await slack.OkAsync("chat.getPermalink", ("channel", engineering), ("message_ts", ts));

        body["permalink"]!.GetValue<string>().Should().Be($"https://acme-eng.slack.com/archives/{engineering}/p{ts.Replace(".", "")}");
    }

    [Fact]
    public async Task Scheduled_messages_are_listed_deleted_and_delivered_when_due()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = new ArchalHost(new ArchalHostOptions { TimeProvider = clock });
        await host.StartAsync();
        await using var session = await host.CreateSessionAsync(new SessionRequest("slack") { TtlSeconds = 86400 }.WithSeed("slack", "engineering-team"));
        await using var slack = new SlackApi(session, session.CreateClient("slack"));
        var engineering = slack.ChannelId("engineering");
        var postAt = clock.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var scheduled = await slack.OkAsync("chat.scheduleMessage", ("channel", engineering), ("text", "standup in 5"), ("post_at", postAt));
        var doomed = await slack.OkAsync("chat.scheduleMessage", ("channel", engineering), ("text", "never"), ("post_at", postAt));
        await slack.OkAsync("chat.deleteScheduledMessage", ("channel", engineering), ("scheduled_message_id", doomed["scheduled_message_id"]!.GetValue<string>()));
        var listed = await slack.OkAsync("chat.scheduledMessages.list", ("channel", engineering));

        listed["scheduled_messages"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).Should().Equal(scheduled["scheduled_message_id"]!.GetValue<string>());
        await slack.ErrorAsync("chat.scheduleMessage", "time_in_past", ("channel", engineering), ("text", "x"), ("post_at", "1000000000"));
        await slack.ErrorAsync("chat.deleteScheduledMessage", "invalid_scheduled_message_id", ("channel", engineering), ("scheduled_message_id", "Q0000NOPE00"));

        clock.Advance(TimeSpan.FromMinutes(31));
        var history = await slack.OkAsync("conversations.history", ("channel", engineering), ("limit", "1"));

        history["messages"]![0]!["text"]!.GetValue<string>().Should().Be("standup in 5");
        slack.State.ScheduledMessages.Count.Should().Be(0);
    }

    [Fact]
    public async Task Scheduled_messages_post_in_time_order_as_the_session_clock_passes_post_at()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var now = slack.Session.Clock.Now.ToUnixTimeSeconds();
        string At(long seconds) => (now + seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await slack.OkAsync("chat.scheduleMessage", ("channel", engineering), ("text", "second"), ("post_at", At(1200)));
        await slack.OkAsync("chat.scheduleMessage", ("channel", engineering), ("text", "first"), ("post_at", At(600)));

        await slack.Session.Clock.AdvanceAsync(TimeSpan.FromSeconds(599));
        var pending = slack.Session.ReadState((SlackState s) => s.ScheduledMessages.Count, "slack");
        await slack.Session.Clock.AdvanceAsync(TimeSpan.FromSeconds(601));
        var history = await slack.OkAsync("conversations.history", ("channel", engineering), ("limit", "2"));

        pending.Should().Be(2);
        var messages = history["messages"]!.AsArray();
        messages.Select(m => m!["text"]!.GetValue<string>()).Should().Equal("second", "first");
        messages.Select(m => (long)double.Parse(m!["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .Should().Equal(now + 1200, now + 600);
        slack.State.ScheduledMessages.Count.Should().Be(0);
    }
}
