using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.Slack;

/// <summary>How calls reach methods: argument encodings, tokens, errors, rate limits, robustness.</summary>
[Collection(CloneHostCollection.Name)]
public class SlackTransportTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Unknown_method_returns_404_with_unknown_method_error()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var (status, body, _) = await slack.SendAsync("chat.postMassage");

        status.Should().Be(HttpStatusCode.NotFound);
        body["ok"]!.GetValue<bool>().Should().BeFalse();
        body["error"]!.GetValue<string>().Should().Be("unknown_method");
        body["req_method"]!.GetValue<string>().Should().Be("chat.postMassage");
    }

    [Fact]
    public async Task Multi_segment_path_is_an_unknown_method_too()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var response = await slack.Client.GetAsync("chat/postMessage");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>().Should().Be("unknown_method");
    }

    [Fact]
    public async Task Call_without_token_returns_not_authed_with_http_200()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "");

        await slack.ErrorAsync("auth.test", "not_authed");
    }

    [Fact]
    public async Task Token_not_shaped_like_a_slack_token_returns_invalid_auth()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "ghp_not-a-slack-token");

        await slack.ErrorAsync("auth.test", "invalid_auth");
    }

    [Fact]
    public async Task Any_undeclared_bot_token_authenticates_as_the_seed_bot_user()
    {
        // calling-clones-directly.md: "Use any non-empty service-shaped test token."
        await using var slack = await SlackApi.StartAsync(fixture, token: "xoxb-fresh-token-from-an-agent");

        var auth = await slack.OkAsync("auth.test");
        var created = await slack.OkAsync("conversations.create", ("name", "fresh-token"));

        auth["user_id"]!.GetValue<string>().Should().Be(slack.BotId);
        auth["bot_id"]!.GetValue<string>().Should().StartWith("B");
        created["channel"]!["creator"]!.GetValue<string>().Should().Be(slack.BotId);
    }

    [Fact]
    public async Task Any_undeclared_user_token_authenticates_as_the_primary_owner()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "xoxp-fresh-token-from-an-agent");

        var auth = await slack.OkAsync("auth.test");

        var owner = slack.State.Users.Items.Single(u => u.IsPrimaryOwner);
        auth["user_id"]!.GetValue<string>().Should().Be(owner.Id);
        auth.ContainsKey("bot_id").Should().BeFalse("user tokens carry no bot id");
    }

    [Fact]
    public async Task Strict_tokens_seed_refuses_undeclared_tokens_but_keeps_declared_ones()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("slack")
            .WithSeed("slack", "engineering-team")
            .WithSeedData("slack", new JsonObject
            {
                ["strict_tokens"] = true,
                ["tokens"] = new JsonArray(new JsonObject { ["token"] = "xoxp-declared", ["user"] = "bob" }),
            }));
        using var fresh = session.CreateClient("slack", "xoxb-not-declared");
        using var declared = session.CreateClient("slack", "xoxp-declared");
        using var bot = session.CreateClient("slack");

        var refused = JsonNode.Parse(await (await fresh.PostAsync("auth.test", null)).Content.ReadAsStringAsync())!;
        var bob = JsonNode.Parse(await (await declared.PostAsync("auth.test", null)).Content.ReadAsStringAsync())!;
        var botAuth = JsonNode.Parse(await (await bot.PostAsync("auth.test", null)).Content.ReadAsStringAsync())!;

        refused["error"]!.GetValue<string>().Should().Be("invalid_auth");
        bob["user"]!.GetValue<string>().Should().Be("bob");
        botAuth["ok"]!.GetValue<bool>().Should().BeTrue("the default bot token stays valid in strict mode");
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("engineering-team")]
    [InlineData("busy-workspace")]
    [InlineData("incident-active")]
    public async Task Default_service_token_authenticates_as_the_seed_bot_user(string seed)
    {
        await using var slack = await SlackApi.StartAsync(fixture, seed);

        var body = await slack.OkAsync("auth.test");

        body["user_id"]!.GetValue<string>().Should().Be(slack.BotId);
        body["user"]!.GetValue<string>().Should().Be(SlackSeeds.BotName);
        body["bot_id"]!.GetValue<string>().Should().StartWith("B");
        body["team_id"]!.GetValue<string>().Should().Be(slack.State.Team.Id);
    }

    [Fact]
    public async Task Token_argument_in_form_body_authenticates_a_user_token()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "");
        var alice = slack.UserId("alice");

        var body = await slack.OkAsync("auth.test", ("token", slack.State.UserToken(alice)));

        body["user_id"]!.GetValue<string>().Should().Be(alice);
        body.ContainsKey("bot_id").Should().BeFalse("user tokens carry no bot id");
    }

    [Fact]
    public async Task Arguments_are_read_from_the_query_string()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        var response = await slack.Client.GetStringAsync($"conversations.info?channel={slack.ChannelId("engineering")}");

        JsonNode.Parse(response)!["channel"]!["name"]!.GetValue<string>().Should().Be("engineering");
    }

    [Fact]
    public async Task Json_body_with_bearer_token_is_accepted()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        using var content = new StringContent($$"""{"channel":"{{slack.ChannelId("engineering")}}","text":"from json"}""", Encoding.UTF8, "application/json");

        var response = await slack.Client.PostAsync("chat.postMessage", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        body["ok"]!.GetValue<bool>().Should().BeTrue(body.ToJsonString());
        body["message"]!["text"]!.GetValue<string>().Should().Be("from json");
    }

    [Fact]
    public async Task Multipart_form_arguments_are_accepted()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(slack.ChannelId("engineering")), "channel" },
            { new StringContent("from multipart"), "text" },
        };

        var body = JsonNode.Parse(await (await slack.Client.PostAsync("chat.postMessage", content)).Content.ReadAsStringAsync())!;

        body["ok"]!.GetValue<bool>().Should().BeTrue(body.ToJsonString());
        body["message"]!["text"]!.GetValue<string>().Should().Be("from multipart");
    }

    [Fact]
    public async Task Token_in_the_query_string_authenticates_a_get_call()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "");

        var body = JsonNode.Parse(await slack.Client.GetStringAsync($"auth.test?token={SlackClone.BotToken}"))!;

        body["user_id"]!.GetValue<string>().Should().Be(slack.BotId);
    }

    [Fact]
    public async Task Unsupported_content_type_returns_invalid_post_type()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        using var content = new StringContent("<xml/>", Encoding.UTF8, "application/xml");

        var body = JsonNode.Parse(await (await slack.Client.PostAsync("auth.test", content)).Content.ReadAsStringAsync())!;

        body["error"]!.GetValue<string>().Should().Be("invalid_post_type");
    }

    [Fact]
    public async Task Json_body_without_charset_gets_the_missing_charset_warning()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        using var content = new StringContent("{}", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var body = JsonNode.Parse(await (await slack.Client.PostAsync("auth.test", content)).Content.ReadAsStringAsync())!;

        body["ok"]!.GetValue<bool>().Should().BeTrue();
        body["warning"]!.GetValue<string>().Should().Be("missing_charset");
        body["response_metadata"]!["warnings"]![0]!.GetValue<string>().Should().Be("missing_charset");
    }

    [Fact]
    public async Task Json_body_token_field_is_not_a_credential()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "");
        using var content = new StringContent($$"""{"token":"{{SlackClone.BotToken}}"}""", Encoding.UTF8, "application/json");

        var body = JsonNode.Parse(await (await slack.Client.PostAsync("auth.test", content)).Content.ReadAsStringAsync())!;

        body["error"]!.GetValue<string>().Should().Be("not_authed");
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("[1,2]", "json_not_object")]
    public async Task Malformed_json_body_returns_slack_error(string json, string error)
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        var response = await slack.Client.PostAsync("chat.postMessage", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        body["error"]!.GetValue<string>().Should().Be(error);
    }

    [Fact]
    public async Task Php_style_array_argument_returns_invalid_array_arg()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.ErrorAsync("conversations.invite", "invalid_array_arg", ("channel", slack.ChannelId("engineering")), ("users[]", slack.UserId("carol")));
    }

    [Fact]
    public async Task Token_with_declared_scopes_gets_missing_scope_with_needed_and_provided()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        slack.State.RegisterToken("xoxb-scoped", slack.BotId, ["channels:read", "users:read"]);
        slack.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "xoxb-scoped");

        var body = await slack.ErrorAsync("chat.postMessage", "missing_scope", ("channel", slack.ChannelId("engineering")), ("text", "hi"));

        body["needed"]!.GetValue<string>().Should().Be("chat:write");
        body["provided"]!.GetValue<string>().Should().Be("channels:read,users:read");
        await slack.OkAsync("conversations.list");
    }

    [Fact]
    public async Task Exceeding_a_tier_returns_429_ratelimited_with_retry_after()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        slack.State.RateLimits = new SlackRateLimits { Tier2 = 2 };

        await slack.OkAsync("conversations.list");
        await slack.OkAsync("conversations.list");
        var (status, body, response) = await slack.SendAsync("conversations.list");

        status.Should().Be(HttpStatusCode.TooManyRequests);
        body["error"]!.GetValue<string>().Should().Be("ratelimited");
        response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 60);
        await slack.OkAsync("users.info", ("user", slack.BotId));
    }

    [Fact]
    public async Task Rate_limits_are_off_by_default()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        for (var i = 0; i < 30; i++)
        {
            await slack.OkAsync("conversations.list");
        }
    }

    [Fact]
    public async Task Garbage_arguments_to_every_method_never_yield_a_server_error()
    {
        await using var slack = await SlackApi.StartAsync(fixture);
        string[] garbage = ["", " ", "null", "-1", "99999999999999999999", "#", "C", "U0", "1.2.3", "[{]", "{\"a\":", "%00", "😀", new string('x', 5000)];
        string[] names = ["channel", "ts", "thread_ts", "text", "blocks", "attachments", "users", "user", "name", "limit", "cursor", "oldest",
            "latest", "timestamp", "post_at", "scheduled_message_id", "message_ts", "types", "email", "topic", "purpose", "inclusive", "return_im",
            "channel_id", "bookmark_id", "link", "title", "type", "query", "count", "page", "sort_dir"];
        var methods = new[]
        {
            "api.test", "auth.test", "team.info", "conversations.list", "conversations.create", "conversations.info", "conversations.history",
            "conversations.replies", "conversations.join", "conversations.leave", "conversations.invite", "conversations.kick",
            "conversations.archive", "conversations.unarchive", "conversations.rename", "conversations.setTopic", "conversations.setPurpose",
            "conversations.members", "conversations.open", "conversations.close", "conversations.mark", "chat.postMessage", "chat.update", "chat.delete",
            "chat.postEphemeral", "chat.getPermalink", "chat.scheduleMessage", "chat.scheduledMessages.list", "chat.deleteScheduledMessage",
            "reactions.add", "reactions.remove", "reactions.get", "reactions.list", "pins.add", "pins.remove", "pins.list", "users.list",
            "users.info", "users.lookupByEmail", "users.conversations", "users.profile.get", "users.getPresence",
            "bookmarks.add", "bookmarks.edit", "bookmarks.remove", "bookmarks.list", "search.messages",
        };
        var random = new Random(7);
        var engineering = slack.ChannelId("engineering");
        var validTs = (await slack.OkAsync("chat.postMessage", ("channel", engineering), ("text", "fuzz target")))["ts"]!.GetValue<string>();
        string[] plausible = [engineering, "#engineering", validTs, slack.UserId("alice"), $"{slack.UserId("alice")},{slack.UserId("bob")}", "eyes", "1"];
        garbage = [.. garbage, .. plausible, .. plausible];

        foreach (var method in methods)
        {
            for (var round = 0; round < 12; round++)
            {
                var args = names.Where(_ => random.Next(3) == 0).Select(n => (n, garbage[random.Next(garbage.Length)])).ToArray();
                var (status, body, _) = await slack.SendAsync(method, args);
                status.Should().Be(HttpStatusCode.OK, $"{method} with {string.Join("&", args)}");
                body.ContainsKey("ok").Should().BeTrue();
                body["error"]?.GetValue<string>().Should().NotBe("internal_error", $"{method} with {string.Join("&", args)}: {body.ToJsonString()}");
            }

            using var json = new StringContent("""{"channel":["C1"],"users":{"a":1},"limit":"ten","text":42,"blocks":"nope"}""", Encoding.UTF8, "application/json");
            var jsonResponse = await slack.Client.PostAsync(method, json);
            jsonResponse.StatusCode.Should().Be(HttpStatusCode.OK, method);
            var jsonBody = JsonNode.Parse(await jsonResponse.Content.ReadAsStringAsync())!;
            jsonBody["error"]?.GetValue<string>().Should().NotBe("internal_error", $"{method}: {jsonBody.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Trace_operation_names_and_templates_are_slack_method_names()
    {
        await using var slack = await SlackApi.StartAsync(fixture);

        await slack.OkAsync("auth.test");
        await slack.SendAsync("chat.postMassage");

        var entries = slack.Session.Trace.Entries;
        entries[0].Operation.Should().Be("auth.test");
        entries[0].PathTemplate.Should().Be("/auth.test");
        entries[1].Operation.Should().Be("POST /chat.postMassage", "an unknown method matched no operation");
    }

    [Fact]
    public async Task Api_test_echoes_arguments_and_returns_requested_error()
    {
        await using var slack = await SlackApi.StartAsync(fixture, token: "");

        (await slack.OkAsync("api.test", ("foo", "bar")))["args"]!["foo"]!.GetValue<string>().Should().Be("bar");
        await slack.ErrorAsync("api.test", "my_error", ("error", "my_error"));
    }
}
