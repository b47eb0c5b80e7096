using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Tests.Slack;

[Collection(CloneHostCollection.Name)]
public class SlackSearchTests(CloneHostFixture fixture)
{
    private static async Task<(SlackApi Slack, SlackApi AsAlice)> StartAsync(CloneHostFixture fixture)
    {
        var slack = await SlackApi.StartAsync(fixture, "incident-active");
        var alice = new SlackApi(slack.Session, slack.Session.CreateClient("slack", slack.State.UserToken(slack.UserId("alice"))));
        return (slack, alice);
    }

    private static List<string> Texts(JsonObject body) =>
        [.. body["messages"]!["matches"]!.AsArray().Select(m => m!["text"]!.GetValue<string>())];

    [Fact]
    public async Task Search_finds_words_and_phrases_with_in_and_from_modifiers()
    {
        var (slack, alice) = await StartAsync(fixture);
        await using var _ = slack;

        var rollback = await alice.OkAsync("search.messages", ("query", "rollback"));
        var fromBob = await alice.OkAsync("search.messages", ("query", "roll from:@bob in:#inc-checkout-outage"));
        var phrase = await alice.OkAsync("search.messages", ("query", "\"too many connections\""));

        Texts(rollback).Should().ContainSingle().Which.Should().Contain("Rollback of payments-api");
        Texts(fromBob).Should().HaveCount(2).And.OnlyContain(t => t.Contains("roll", StringComparison.OrdinalIgnoreCase));
        Texts(phrase).Should().ContainSingle();
        var match = phrase["messages"]!["matches"]![0]!;
        match["channel"]!["name"]!.GetValue<string>().Should().Be("inc-checkout-outage");
        match["permalink"]!.GetValue<string>().Should().StartWith("https://initech.slack.com/archives/");
        phrase["messages"]!["pagination"]!["total_count"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Search_skips_private_channels_the_user_is_not_in()
    {
        var (slack, alice) = await StartAsync(fixture);
        await using var _ = slack;

        var body = await alice.OkAsync("search.messages", ("query", "enterprise customers"));

        body["messages"]!["total"]!.GetValue<int>().Should().Be(0, "#support-escalations is private and alice is not a member");
    }

    [Fact]
    public async Task Search_pages_with_count_and_page()
    {
        var (slack, alice) = await StartAsync(fixture);
        await using var _ = slack;

        var first = await alice.OkAsync("search.messages", ("query", "in:#inc-checkout-outage"), ("count", "2"));
        var second = await alice.OkAsync("search.messages", ("query", "in:#inc-checkout-outage"), ("count", "2"), ("page", "2"));

        first["messages"]!["matches"]!.AsArray().Should().HaveCount(2);
        first["messages"]!["paging"]!["pages"]!.GetValue<int>().Should().BeGreaterThan(1);
        Texts(second).Should().NotIntersectWith(Texts(first));
    }

    [Fact]
    public async Task Search_with_a_bot_token_is_not_allowed()
    {
        var (slack, _) = await StartAsync(fixture);
        await using var __ = slack;

        await slack.ErrorAsync("search.messages", "not_allowed_token_type", ("query", "anything"));
    }
}
