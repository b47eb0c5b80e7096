namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackBookmarksTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Bookmarks_are_added_listed_edited_and_removed()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");

        var added = await slack.OkAsync("bookmarks.add", ("channel_id", engineering), ("title", "Runbook"), ("type", "link"), ("link", "https://wiki.example/runbook"));
        var id = added["bookmark"]!["id"]!.GetValue<string>();
        await slack.OkAsync("bookmarks.edit", ("channel_id", engineering), ("bookmark_id", id), ("title", "On-call runbook"));
        var listed = await slack.OkAsync("bookmarks.list", ("channel_id", engineering));

        id.Should().StartWith("Bk");
        listed["bookmarks"]!.AsArray().Should().ContainSingle();
        listed["bookmarks"]![0]!["title"]!.GetValue<string>().Should().Be("On-call runbook");
        listed["bookmarks"]![0]!["link"]!.GetValue<string>().Should().Be("https://wiki.example/runbook");
        await slack.OkAsync("bookmarks.remove", ("channel_id", engineering), ("bookmark_id", id));
        slack.State.Bookmarks.Count.Should().Be(0);
        await slack.ErrorAsync("bookmarks.remove", "not_found", ("channel_id", engineering), ("bookmark_id", id));
    }

    [Fact]
    public async Task Bookmark_errors_follow_slack()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var engineering = slack.ChannelId("engineering");

        await slack.ErrorAsync("bookmarks.add", "invalid_link", ("channel_id", engineering), ("title", "x"), ("link", "not a url"));
        await slack.ErrorAsync("bookmarks.add", "invalid_bookmark_type", ("channel_id", engineering), ("title", "x"), ("type", "folder"), ("link", "https://x.example"));
        await slack.ErrorAsync("bookmarks.add", "not_in_channel", ("channel_id", slack.ChannelId("random")), ("title", "x"), ("link", "https://x.example"));
        await slack.ErrorAsync("bookmarks.list", "channel_not_found", ("channel_id", "C0NOWHERE00"));
    }
}
