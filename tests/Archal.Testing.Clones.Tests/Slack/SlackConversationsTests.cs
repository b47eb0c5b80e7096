using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackConversationsTests(CloneHostFixture fixture)
{
    private static List<string> Names(JsonObject body) => [.. body["channels"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];

    [Fact]
    public async Task List_defaults_to_public_channels_and_hides_private_ones_the_caller_is_not_in()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var body = await slack.OkAsync("conversations.list", ("types", "public_channel,private_channel"));

        Names(body).Should().BeEquivalentTo("general", "random", "engineering", "deploys");
        body["response_metadata"]!["next_cursor"]!.GetValue<string>().Should().BeEmpty();
    }

    [Fact]
    public async Task List_paginates_with_limit_and_cursor_until_next_cursor_is_empty()
    {
        await using var slack = await SlackApi.StartAsync(fixture, "busy-workspace");
        var seen = new List<string>();
        var cursor = "";
        var pages = 0;

        do
        {
            var body = await slack.OkAsync("conversations.list", ("limit", "7"), ("cursor", cursor));
            body["channels"]!.AsArray().Count.Should().BeLessThanOrEqualTo(7);
            seen.AddRange(Names(body));
            cursor = body["response_metadata"]!["next_cursor"]!.GetValue<string>();
            pages++;
        }
        while (cursor.Length > 0);

        var publicCount = slack.State.Channels.Items.Count(c => !c.IsPrivate && !c.IsIm);
        seen.Should().HaveCount(publicCount).And.OnlyHaveUniqueItems();
        pages.Should().Be((publicCount + 6) / 7);
    }

    [Fact]
    public async Task Invalid_cursor_returns_invalid_cursor()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.ErrorAsync("conversations.list", "invalid_cursor", ("cursor", "bogus"));
    }

    [Fact]
    public async Task Exclude_archived_drops_archived_channels()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        await slack.OkAsync("conversations.archive", ("channel", slack.ChannelId("deploys")));

        Names(await slack.OkAsync("conversations.list")).Should().Contain("deploys");
        Names(await slack.OkAsync("conversations.list", ("exclude_archived", "true"))).Should().NotContain("deploys");
    }

    [Fact]
    public async Task Create_makes_the_caller_a_member_and_rejects_taken_and_invalid_names()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var body = await slack.OkAsync("conversations.create", ("name", "launch-plan"), ("is_private", "true"));

        body["channel"]!["is_private"]!.GetValue<bool>().Should().BeTrue();
        body["channel"]!["id"]!.GetValue<string>().Should().StartWith("G");
        slack.State.Channels.Items.Single(c => c.Name == "launch-plan").Members.Should().Equal(slack.BotId);
        await slack.ErrorAsync("conversations.create", "name_taken", ("name", "engineering"));
        await slack.ErrorAsync("conversations.create", "invalid_name_specials", ("name", "Has Spaces"));
        await slack.ErrorAsync("conversations.create", "invalid_name_required");
    }

    [Fact]
    public async Task Info_of_unknown_or_invisible_private_channel_is_channel_not_found()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.ErrorAsync("conversations.info", "channel_not_found", ("channel", "C0DOESNOTEX"));
        await slack.ErrorAsync("conversations.info", "channel_not_found", ("channel", slack.ChannelId("design")));
    }

    [Fact]
    public async Task History_returns_newest_first_and_paginates_with_cursor()
    {
        await using var slack = await SlackApi.StartAsync(fixture, "busy-workspace");
        var channel = slack.State.Channels.Items.First(c => !c.IsPrivate && c.Members.Contains(slack.BotId) && !c.IsGeneral);
        var expected = slack.State.Messages.Items.Count(m => m.Channel == channel.Id && (m.ThreadTs is null || m.ThreadTs == m.Ts));
        var all = new List<string>();
        var cursor = "";

        do
        {
            var body = await slack.OkAsync("conversations.history", ("channel", channel.Id), ("limit", "15"), ("cursor", cursor));
            all.AddRange(body["messages"]!.AsArray().Select(m => m!["ts"]!.GetValue<string>()));
            cursor = body["response_metadata"]!["next_cursor"]!.GetValue<string>();
            body["has_more"]!.GetValue<bool>().Should().Be(cursor.Length > 0);
        }
        while (cursor.Length > 0);

        all.Should().HaveCount(expected).And.OnlyHaveUniqueItems();
        all.Should().BeInDescendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public async Task History_honours_oldest_latest_and_inclusive()
    {
        await using var slack = await SlackApi.StartAsync(fixture, "empty");
        var general = slack.ChannelId("general");
        var ts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ts.Add((await slack.OkAsync("chat.postMessage", ("channel", general), ("text", $"m{i}")))["ts"]!.GetValue<string>());
        }

        List<string> Texts(JsonObject body) => [.. body["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>())];

        Texts(await slack.OkAsync("conversations.history", ("channel", general), ("oldest", ts[1]), ("latest", ts[3])))
            .Should().Equal("m2");
        Texts(await slack.OkAsync("conversations.history", ("channel", general), ("oldest", ts[1]), ("latest", ts[3]), ("inclusive", "true")))
            .Should().Equal("m3", "m2", "m1");
    }

    [Fact]
    public async Task History_for_a_bot_outside_the_channel_is_not_in_channel()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.ErrorAsync("conversations.history", "not_in_channel", ("channel", slack.ChannelId("random")));
        await slack.ErrorAsync("conversations.history", "invalid_arguments");
    }

    [Fact]
    public async Task Join_adds_the_member_and_a_second_join_warns_already_in_channel()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var random = slack.ChannelId("random");

        await slack.OkAsync("conversations.join", ("channel", random));
        var again = await slack.OkAsync("conversations.join", ("channel", random));

        slack.State.Channels.Find(random)!.Members.Should().Contain(slack.BotId);
        again["warning"]!.GetValue<string>().Should().Be("already_in_channel");
        again["response_metadata"]!["warnings"]![0]!.GetValue<string>().Should().Be("already_in_channel");
        slack.State.Messages.Items.Should().Contain(m => m.Channel == random && m.Subtype == "channel_join" && m.User == slack.BotId);
    }

    [Fact]
    public async Task Invite_and_kick_change_membership_with_slack_errors_for_bad_cases()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");
        var carol = slack.UserId("carol");

        await slack.OkAsync("conversations.invite", ("channel", engineering), ("users", carol));
        var already = await slack.ErrorAsync("conversations.invite", "already_in_channel", ("channel", engineering), ("users", carol));
        await slack.ErrorAsync("conversations.invite", "user_not_found", ("channel", engineering), ("users", "U0NOBODY000"));
        await slack.ErrorAsync("conversations.invite", "not_in_channel", ("channel", slack.ChannelId("random")), ("users", carol));
        await slack.OkAsync("conversations.kick", ("channel", engineering), ("user", carol));
        await slack.ErrorAsync("conversations.kick", "not_in_channel", ("channel", engineering), ("user", carol));
        await slack.ErrorAsync("conversations.kick", "cant_kick_self", ("channel", engineering), ("user", slack.BotId));

        already["errors"]![0]!["user"]!.GetValue<string>().Should().Be(carol);
        slack.State.Messages.Items.Should().Contain(m => m.Channel == engineering && m.Subtype == "channel_join" && m.User == carol && m.Inviter == slack.BotId);
        slack.State.Channels.Find(engineering)!.Members.Should().NotContain(carol);
    }

    [Fact]
    public async Task Archived_channel_rejects_posts_and_unarchive_restores_it()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var deploys = slack.ChannelId("deploys");

        await slack.OkAsync("conversations.archive", ("channel", deploys));
        await slack.ErrorAsync("conversations.archive", "already_archived", ("channel", deploys));
        await slack.ErrorAsync("chat.postMessage", "is_archived", ("channel", deploys), ("text", "hi"));
        await slack.ErrorAsync("conversations.archive", "cant_archive_general", ("channel", slack.ChannelId("general")));
        await slack.OkAsync("conversations.unarchive", ("channel", deploys));
        await slack.ErrorAsync("conversations.unarchive", "not_archived", ("channel", deploys));
        await slack.OkAsync("chat.postMessage", ("channel", deploys), ("text", "back"));
    }

    [Fact]
    public async Task Rename_updates_channel_and_message_channel_names()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var deploys = slack.ChannelId("deploys");

        var body = await slack.OkAsync("conversations.rename", ("channel", deploys), ("name", "releases"));

        body["channel"]!["name"]!.GetValue<string>().Should().Be("releases");
        body["channel"]!["previous_names"]![0]!.GetValue<string>().Should().Be("deploys");
        slack.State.Messages.Items.Where(m => m.Channel == deploys).Should().OnlyContain(m => m.ChannelName == "releases");
        await slack.ErrorAsync("conversations.rename", "name_taken", ("channel", deploys), ("name", "general"));
    }

    [Fact]
    public async Task Set_topic_and_purpose_are_stored_and_returned()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");

        var topic = await slack.OkAsync("conversations.setTopic", ("channel", engineering), ("topic", "Ship it"));
        await slack.OkAsync("conversations.setPurpose", ("channel", engineering), ("purpose", "Build things"));

        topic["channel"]!["topic"]!["value"]!.GetValue<string>().Should().Be("Ship it");
        topic["channel"]!["topic"]!["creator"]!.GetValue<string>().Should().Be(slack.BotId);
        var channel = slack.State.Channels.Find(engineering)!;
        channel.Topic.Should().Be("Ship it");
        channel.Purpose.Should().Be("Build things");
        await slack.ErrorAsync("conversations.setTopic", "not_in_channel", ("channel", slack.ChannelId("random")), ("topic", "x"));
    }

    [Fact]
    public async Task Members_paginates_member_ids()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var first = await slack.OkAsync("conversations.members", ("channel", slack.ChannelId("general")), ("limit", "5"));
        var cursor = first["response_metadata"]!["next_cursor"]!.GetValue<string>();
        var second = await slack.OkAsync("conversations.members", ("channel", slack.ChannelId("general")), ("limit", "5"), ("cursor", cursor));

        first["members"]!.AsArray().Should().HaveCount(5);
        second["members"]!.AsArray().Should().HaveCount(4);
        second["response_metadata"]!["next_cursor"]!.GetValue<string>().Should().BeEmpty();
    }

    [Fact]
    public async Task Open_creates_a_dm_once_and_a_group_dm_for_several_users()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var alice = slack.UserId("alice");

        var first = await slack.OkAsync("conversations.open", ("users", alice));
        var second = await slack.OkAsync("conversations.open", ("users", alice));
        var group = await slack.OkAsync("conversations.open", ("users", $"{alice},{slack.UserId("bob")}"));

        var dm = first["channel"]!["id"]!.GetValue<string>();
        dm.Should().StartWith("D");
        second["channel"]!["id"]!.GetValue<string>().Should().Be(dm);
        second["already_open"]!.GetValue<bool>().Should().BeTrue();
        group["channel"]!["is_mpim"]!.GetValue<bool>().Should().BeTrue();
        await slack.OkAsync("chat.postMessage", ("channel", dm), ("text", "hello alice"));
        await slack.ErrorAsync("conversations.open", "users_list_not_supplied");
    }

    [Fact]
    public async Task Close_hides_a_dm_until_it_is_opened_again()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var dm = (await slack.OkAsync("conversations.open", ("users", slack.UserId("alice"))))["channel"]!["id"]!.GetValue<string>();

        var closed = await slack.OkAsync("conversations.close", ("channel", dm));
        var again = await slack.OkAsync("conversations.close", ("channel", dm));
        var reopened = await slack.OkAsync("conversations.open", ("users", slack.UserId("alice")));

        closed.ContainsKey("already_closed").Should().BeFalse();
        again["already_closed"]!.GetValue<bool>().Should().BeTrue();
        reopened["channel"]!["id"]!.GetValue<string>().Should().Be(dm);
        reopened.ContainsKey("already_open").Should().BeFalse("it was closed");
        slack.State.Channels.Find(dm)!.IsOpen.Should().BeTrue();
        await slack.ErrorAsync("conversations.close", "method_not_supported_for_channel_type", ("channel", slack.ChannelId("engineering")));
    }

    [Fact]
    public async Task Leave_removes_membership_and_reports_not_in_channel_when_absent()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");

        var left = await slack.OkAsync("conversations.leave", ("channel", engineering));
        var again = await slack.OkAsync("conversations.leave", ("channel", engineering));

        left.ContainsKey("not_in_channel").Should().BeFalse();
        again["not_in_channel"]!.GetValue<bool>().Should().BeTrue();
        await slack.ErrorAsync("conversations.leave", "cant_leave_general", ("channel", slack.ChannelId("general")));
    }

    [Fact]
    public async Task Mark_records_the_read_marker()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");

        await slack.OkAsync("conversations.mark", ("channel", engineering), ("ts", "1700000000.000100"));

        slack.State.Channels.Find(engineering)!.LastRead[slack.BotId].Should().Be("1700000000.000100");
        await slack.ErrorAsync("conversations.mark", "invalid_timestamp", ("channel", engineering), ("ts", "yesterday"));
    }
}
