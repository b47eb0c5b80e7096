using Archal.Testing.Clones.Slack;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackSeedExportTests(CloneHostFixture fixture)
{
    private static async Task WritesAsync(ArchalSession session, HttpClient client)
    {
        var slack = new SlackApi(session, client);
        var engineering = slack.ChannelId("engineering");
        var parent = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "Deploy at 3 days ago?")))["ts"]!.GetValue<string>();
        await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "On it"), ("thread_ts", parent));
        await slack.OkAsync("reactions.add", ("channel", engineering), ("timestamp", parent), ("name", "eyes"));
        await slack.OkAsync("chat.update", ("channel", engineering), ("ts", parent), ("text", "Deploy at 15:00?"));
        await slack.OkAsync("pins.add", ("channel", engineering), ("timestamp", parent));
        await slack.OkAsync("chat.scheduleMessage", ("channel", engineering), ("text", "Reminder"),
            ("post_at", (session.Clock.Now.ToUnixTimeSeconds() + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await slack.OkAsync("bookmarks.add", ("channel_id", engineering), ("title", "Runbook"), ("type", "link"), ("link", "https://wiki.example/runbook"));
        var created = (await slack.OkAsync("conversations.create", ("name", "release-train")))["channel"]!["id"]!.GetValue<string>();
        await slack.OkAsync("conversations.setTopic", ("channel", created), ("topic", "Trains leave on time"));
        await slack.OkAsync("conversations.mark", ("channel", engineering), ("ts", parent));
    }

    [Fact]
    public async Task A_session_exported_to_a_seed_file_loads_back_with_the_same_entities()
    {
        await using var result = await SeedExportRoundTrip.RunAsync(fixture, "slack", SlackSeeds.EngineeringTeam, WritesAsync);

        result.LoadedState.ShouldEqualExcept(result.SourceState);
        result.LoadedState["scheduled_message"]!.AsArray().Should().ContainSingle();
        result.Loaded.Trace.Entries.Should().BeEmpty("a session loaded from a seed file starts with an empty trace");
    }

    [Fact]
    public async Task A_loaded_workspace_serves_threads_tokens_and_scheduled_messages()
    {
        await using var result = await SeedExportRoundTrip.RunAsync(fixture, "slack", SlackSeeds.EngineeringTeam, WritesAsync);
        var loaded = new SlackApi(result.Loaded, result.Loaded.CreateClient("slack"));
        var engineering = loaded.ChannelId("engineering");
        var parent = loaded.State.Messages.Items.Last(m => m.Channel == engineering && m.ReplyCount > 0 && m.Text == "Deploy at 15:00?");

        var replies = await loaded.OkAsync("conversations.replies", ("channel", engineering), ("ts", parent.Ts));
        var history = await loaded.OkAsync("conversations.history", ("channel", engineering), ("limit", "1"));
        var alice = loaded.UserId("alice");
        using var asAlice = result.Loaded.CreateClient("slack", loaded.State.UserToken(alice));
        var whoAmI = await new SlackApi(result.Loaded, asAlice).OkAsync("auth.test");
        var posted = await loaded.OkAsync("chat.postMessage", ("channel", engineering), ("text", "after the load"));
        await result.Loaded.Clock.AdvanceAsync(TimeSpan.FromHours(2));

        replies["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()).Should().Equal("Deploy at 15:00?", "On it");
        history["messages"]![0]!["ts"]!.GetValue<string>().Should().Be(parent.Ts);
        whoAmI["user_id"]!.GetValue<string>().Should().Be(alice, "the loaded session's own user tokens authenticate as their users");
        string.CompareOrdinal(posted["ts"]!.GetValue<string>(), parent.Ts).Should().BePositive("new timestamps follow every exported one");
        loaded.State.Messages.Items.Should().Contain(m => m.Text == "Reminder", "the scheduled message is delivered when the clock passes it");
    }
}
