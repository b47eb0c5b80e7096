namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackUsersTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Users_list_paginates_all_members_including_the_bot()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        var ids = new List<string>();
        var cursor = "";

        do
        {
            var body = await slack.OkAsync("users.list", ("limit", "4"), ("cursor", cursor));
            ids.AddRange(body["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
            cursor = body["response_metadata"]!["next_cursor"]!.GetValue<string>();
        }
        while (cursor.Length > 0);

        ids.Should().HaveCount(9).And.Contain(slack.BotId).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Info_and_lookup_by_email_find_users_and_report_not_found()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var info = await slack.OkAsync("users.info", ("user", slack.UserId("grace")));
        var byEmail = await slack.OkAsync("users.lookupByEmail", ("email", "GRACE@acme-eng.example.com"));

        info["user"]!["real_name"]!.GetValue<string>().Should().Be("Grace Liu");
        info["user"]!["profile"]!["title"]!.GetValue<string>().Should().Be("Staff Engineer");
        byEmail["user"]!["id"]!.GetValue<string>().Should().Be(slack.UserId("grace"));
        await slack.ErrorAsync("users.info", "user_not_found", ("user", "U0NOBODY000"));
        await slack.ErrorAsync("users.lookupByEmail", "users_not_found", ("email", "nobody@example.com"));
    }

    [Fact]
    public async Task Users_conversations_lists_the_channels_a_user_belongs_to()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var body = await slack.OkAsync("users.conversations", ("user", slack.UserId("bob")), ("types", "public_channel,private_channel"));

        body["channels"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().BeEquivalentTo("general", "random", "engineering", "deploys");
    }

    [Fact]
    public async Task Profile_and_presence_describe_the_user()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var profile = await slack.OkAsync("users.profile.get", ("user", slack.UserId("alice")));
        var presence = await slack.OkAsync("users.getPresence");

        profile["profile"]!["email"]!.GetValue<string>().Should().Be("alice@acme-eng.example.com");
        presence["presence"]!.GetValue<string>().Should().BeOneOf("active", "away");
        presence.ContainsKey("online").Should().BeTrue("the caller's own presence carries the detail fields");
    }

    [Fact]
    public async Task Team_info_describes_the_workspace()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var body = await slack.OkAsync("team.info");

        body["team"]!["name"]!.GetValue<string>().Should().Be("Acme Engineering");
        body["team"]!["domain"]!.GetValue<string>().Should().Be("acme-eng");
    }
}
