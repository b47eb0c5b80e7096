namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackReactionsTests(CloneHostFixture fixture)
{
    private static async Task<(SlackApi Slack, string Channel, string Ts)> StartWithMessageAsync(CloneHostFixture fixture)
    {
        var slack = await SlackApi.StartAsync(fixture);
        var channel = slack.ChannelId("engineering");
        var ts = (await slack.OkAsync("chat.postMessage", ("channel", channel), ("text", "react to me")))["ts"]!.GetValue<string>();
        return (slack, channel, ts);
    }

    [Fact]
    public async Task Add_get_and_remove_a_reaction()
    {
        var (slack, channel, ts) = await StartWithMessageAsync(fixture);
        await using var _ = slack;

        await slack.OkAsync("reactions.add", ("channel", channel), ("timestamp", ts), ("name", ":thumbsup:"));
        var got = await slack.OkAsync("reactions.get", ("channel", channel), ("timestamp", ts));

        var reaction = got["message"]!["reactions"]![0]!;
        reaction["name"]!.GetValue<string>().Should().Be("thumbsup");
        reaction["count"]!.GetValue<int>().Should().Be(1);
        reaction["users"]![0]!.GetValue<string>().Should().Be(slack.BotId);
        await slack.ErrorAsync("reactions.add", "already_reacted", ("channel", channel), ("timestamp", ts), ("name", "thumbsup"));
        await slack.OkAsync("reactions.remove", ("channel", channel), ("timestamp", ts), ("name", "thumbsup"));
        await slack.ErrorAsync("reactions.remove", "no_reaction", ("channel", channel), ("timestamp", ts), ("name", "thumbsup"));
        slack.State.FindMessage(channel, ts)!.Reactions.Should().BeEmpty();
    }

    [Fact]
    public async Task Reaction_errors_for_missing_message_and_name()
    {
        var (slack, channel, ts) = await StartWithMessageAsync(fixture);
        await using var _ = slack;

        await slack.ErrorAsync("reactions.add", "message_not_found", ("channel", channel), ("timestamp", "1000000000.000001"), ("name", "eyes"));
        await slack.ErrorAsync("reactions.add", "invalid_name", ("channel", channel), ("timestamp", ts));
        await slack.ErrorAsync("reactions.add", "channel_not_found", ("channel", "C0NOWHERE00"), ("timestamp", ts), ("name", "eyes"));
    }

    [Fact]
    public async Task List_returns_messages_the_user_reacted_to_newest_first()
    {
        var (slack, channel, ts) = await StartWithMessageAsync(fixture);
        await using var _ = slack;
        await slack.OkAsync("reactions.add", ("channel", channel), ("timestamp", ts), ("name", "eyes"));

        var body = await slack.OkAsync("reactions.list");

        var items = body["items"]!.AsArray();
        items.Should().ContainSingle();
        items[0]!["type"]!.GetValue<string>().Should().Be("message");
        items[0]!["channel"]!.GetValue<string>().Should().Be(channel);
        items[0]!["message"]!["ts"]!.GetValue<string>().Should().Be(ts);
    }

    [Fact]
    public async Task Pins_are_added_listed_and_removed()
    {
        var (slack, channel, ts) = await StartWithMessageAsync(fixture);
        await using var _ = slack;

        await slack.OkAsync("pins.add", ("channel", channel), ("timestamp", ts));
        await slack.ErrorAsync("pins.add", "already_pinned", ("channel", channel), ("timestamp", ts));
        var listed = await slack.OkAsync("pins.list", ("channel", channel));
        var history = await slack.OkAsync("conversations.history", ("channel", channel), ("limit", "1"));

        listed["items"]![0]!["message"]!["ts"]!.GetValue<string>().Should().Be(ts);
        listed["items"]![0]!["created_by"]!.GetValue<string>().Should().Be(slack.BotId);
        listed["items"]![0]!["message"]!["permalink"]!.GetValue<string>().Should().Contain(channel);
        history["pin_count"]!.GetValue<int>().Should().Be(1);
        history["messages"]![0]!["pinned_to"]![0]!.GetValue<string>().Should().Be(channel);
        await slack.OkAsync("pins.remove", ("channel", channel), ("timestamp", ts));
        await slack.ErrorAsync("pins.remove", "no_pin", ("channel", channel), ("timestamp", ts));
        slack.State.Pins.Count.Should().Be(0);
    }
}
