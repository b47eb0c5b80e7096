using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Clones.Slack;

namespace Archal.Testing.Clones.Tests.Slack;

public class SlackSeedsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static SlackState Create(string seed, string? data = null, int randomSeed = 42) =>
        (SlackState)new SlackClone().CreateState(new CloneSeedContext("ses_test", seed, randomSeed, new FixedTime(Now),
            data is null ? null : JsonNode.Parse(data)!.AsObject()));

    [Fact]
    public void Same_seed_gives_the_same_workspace()
    {
        var a = Create("busy-workspace");
        var b = Create("busy-workspace");

        a.Snapshot().ToJsonString().Should().Be(b.Snapshot().ToJsonString());
        Create("busy-workspace", randomSeed: 43).Snapshot().ToJsonString().Should().NotBe(a.Snapshot().ToJsonString());
    }

    [Fact]
    public void Busy_workspace_has_at_least_50_channels_and_thousands_of_messages()
    {
        var state = Create("busy-workspace");

        state.Channels.Count.Should().BeGreaterThanOrEqualTo(50);
        state.Messages.Count.Should().BeGreaterThan(3000);
        state.Messages.Items.Should().OnlyContain(m => System.Text.RegularExpressions.Regex.IsMatch(m.Ts, @"^\d{10}\.\d{6}$"));
        state.Messages.Items.Should().OnlyContain(m => m.TsValue <= (Now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
            "seeded history lies in the past");
    }

    [Fact]
    public void Incident_seed_has_an_active_incident_channel_with_a_pinned_status()
    {
        var state = Create("incident-active");

        var incident = state.ChannelByName("inc-checkout-outage")!;
        incident.Topic.Should().Contain("SEV1");
        state.Pins.Items.Should().ContainSingle(p => p.Channel == incident.Id);
        state.Messages.Items.Should().Contain(m => m.Channel == incident.Id && m.ReplyCount == 3);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("engineering-team")]
    [InlineData("busy-workspace")]
    [InlineData("incident-active")]
    public void Every_seed_has_general_and_the_bot_for_the_default_token(string seed)
    {
        var state = Create(seed);

        state.ChannelByName("general")!.IsGeneral.Should().BeTrue();
        state.UserForToken(new SlackClone().DefaultServiceToken)!.Id.Should().Be(state.BotUserId);
        state.Users.Find(state.BotUserId)!.IsBot.Should().BeTrue();
    }

    [Fact]
    public void Unknown_seed_name_is_a_seed_error()
    {
        var act = () => Create("nope");

        act.Should().Throw<CloneSeedException>().WithMessage("Slack has no seed named 'nope'. Known seeds: empty, engineering-team, busy-workspace, incident-active.");
    }

    [Fact]
    public void Seed_data_adds_users_channels_messages_threads_and_reactions()
    {
        var state = Create("empty", """
            {
              "users": [{"name": "dana", "real_name": "Dana Scully", "email": "dana@fbi.example"}, {"name": "fox"}],
              "channels": [{"name": "x-files", "is_private": true, "members": ["dana", "fox", "archal-bot"], "topic": "Trust no one"}],
              "messages": [
                {"channel": "#x-files", "user": "fox", "text": "I want to believe", "minutes_ago": 30,
                 "thread": [{"user": "dana", "text": "Evidence, Mulder."}],
                 "reactions": [{"name": "alien", "users": ["dana"]}]},
                {"channel": "general", "user": "dana", "text": "Hello"}
              ]
            }
            """);

        var dana = state.UserByName("dana")!;
        var fox = state.UserByName("fox")!;
        fox.RealName.Should().Be("Fox");
        fox.Email.Should().Be("fox@archal-testing.example.com");
        var channel = state.ChannelByName("x-files")!;
        channel.IsPrivate.Should().BeTrue();
        channel.Topic.Should().Be("Trust no one");
        channel.Members.Should().Equal(dana.Id, fox.Id, state.BotUserId);
        var parent = state.Messages.Items.Single(m => m.Text == "I want to believe");
        parent.ReplyCount.Should().Be(1);
        parent.ReplyUsers.Should().Equal(dana.Id);
        parent.Reactions.Single().Users.Should().Equal(dana.Id);
        state.Messages.Items.Single(m => m.Text == "Evidence, Mulder.").TsValue.Should().BeGreaterThan(parent.TsValue);
        state.Messages.Items.Single(m => m.Text == "Hello").ChannelName.Should().Be("general");
    }

    [Fact]
    public void Seed_data_updates_existing_users_and_channels()
    {
        var state = Create("engineering-team", """{"users":[{"name":"alice","title":"CTO"}],"channels":[{"name":"engineering","topic":"New topic"}]}""");

        state.UserByName("alice")!.Title.Should().Be("CTO");
        state.ChannelByName("engineering")!.Topic.Should().Be("New topic");
        state.Users.Items.Count(u => u.Name == "alice").Should().Be(1);
    }

    [Theory]
    [InlineData("""{"messages":[{"channel":"#nowhere","user":"admin","text":"x"}]}""", "slack seed data: message names unknown channel '#nowhere'*")]
    [InlineData("""{"messages":[{"channel":"general","user":"ghost","text":"x"}]}""", "slack seed data: message in '#general' names unknown user 'ghost'*")]
    [InlineData("""{"channels":[{"name":"ops","members":["ghost"]}]}""", "slack seed data: channel '#ops' names unknown user 'ghost'*")]
    [InlineData("""{"users":[{"real_name":"No Handle"}]}""", "slack seed data: users[] needs a 'name'.")]
    [InlineData("""{"users":{"name":"x"}}""", "slack seed data: 'users' must be an array.")]
    public void Seed_data_with_unknown_references_is_a_clear_seed_error(string data, string message)
    {
        var act = () => Create("empty", data);

        act.Should().Throw<CloneSeedException>().WithMessage(message);
    }

    [Fact]
    public void Seed_data_tokens_map_to_users_with_scopes()
    {
        var state = Create("engineering-team", """{"tokens":[{"token":"xoxp-alice","user":"alice","scopes":["chat:write"]}],"rate_limits":true}""");

        state.UserForToken("xoxp-alice")!.Name.Should().Be("alice");
        state.ScopesForToken("xoxp-alice").Should().Equal("chat:write");
        state.RateLimits.Should().NotBeNull();
    }

    [Fact]
    public void Snapshot_uses_the_documented_table_names_and_fields()
    {
        var snapshot = Create("incident-active").Snapshot();

        snapshot.Select(t => t.Key).Should().Contain(["team", "user", "channel", "message", "scheduled_message", "pin", "bookmark"]);
        var channel = snapshot["channel"]![0]!.AsObject();
        channel.Select(p => p.Key).Should().Contain(["id", "name", "is_private", "is_im", "is_archived", "topic", "purpose", "members", "created"]);
        var message = snapshot["message"]![0]!.AsObject();
        message.Select(p => p.Key).Should().Contain(["channel", "channel_name", "ts", "thread_ts", "user", "bot_id", "text", "reply_count", "reactions", "subtype", "edited"]);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
