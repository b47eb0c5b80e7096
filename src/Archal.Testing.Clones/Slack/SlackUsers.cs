using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Slack;

/// <summary>The <c>auth.test</c>, <c>api.test</c>, <c>team.info</c> and <c>users.*</c> methods.</summary>
internal static class SlackUsers
{
    public static IEnumerable<SlackMethod> Methods =>
    [
        new("api.test", 4, null, ApiTest, Authenticated: false, Summary: "Checks API calling code."),
        new("auth.test", 4, null, AuthTest, Summary: "Checks authentication & identity."),
        new("team.info", 3, "team:read", TeamInfo, Summary: "Gets information about the current team."),
        new("users.list", 2, "users:read", List, Summary: "Lists all users in a Slack team."),
        new("users.info", 4, "users:read", Info, Summary: "Gets information about a user."),
        new("users.lookupByEmail", 3, "users:read.email", LookupByEmail, Summary: "Find a user with an email address."),
        new("users.conversations", 3, "channels:read", Conversations, Summary: "List conversations the calling user may access."),
        new("users.profile.get", 4, "users.profile:read", ProfileGet, Summary: "Retrieves a user's profile information."),
        new("users.getPresence", 3, "users:read", GetPresence, Summary: "Gets user presence information."),
    ];

    private static JsonObject ApiTest(SlackCall call)
    {
        if (call.Args.Str("error") is { } error)
        {
            throw new SlackException(error, new JsonObject { ["args"] = new JsonObject { ["error"] = error } });
        }

        var args = new JsonObject();
        if (call.Args.Str("foo") is { } foo)
        {
            args["foo"] = foo;
        }

        var body = SlackCall.Ok();
        body["args"] = args;
        return body;
    }

    private static JsonObject AuthTest(SlackCall call)
    {
        var state = call.State;
        var body = SlackCall.Ok();
        body["url"] = $"https://{state.Team.Domain}.slack.com/";
        body["team"] = state.Team.Name;
        body["user"] = call.Caller.Name;
        body["team_id"] = state.Team.Id;
        body["user_id"] = call.Caller.Id;
        if (call.Caller.BotId is not null)
        {
            body["bot_id"] = call.Caller.BotId;
        }

        body["is_enterprise_install"] = false;
        return body;
    }

    private static JsonObject TeamInfo(SlackCall call)
    {
        if (call.Args.Str("team") is { } team && team != call.State.Team.Id)
        {
            throw new SlackException("team_not_found");
        }

        var body = SlackCall.Ok();
        body["team"] = SlackRender.Team(call.State.Team);
        return body;
    }

    private static JsonObject List(SlackCall call)
    {
        var page = SlackPaging.Page(call, call.State.Users.Items, "users", 1000, 1000, out var next);
        var body = SlackCall.Ok();
        body["members"] = new JsonArray([.. page.Select(u => (JsonNode?)SlackRender.User(call.State, u))]);
        body["cache_ts"] = call.State.NowSeconds;
        body["response_metadata"] = SlackPaging.Metadata(next);
        return body;
    }

    private static JsonObject Info(SlackCall call)
    {
        var user = SlackConversations.ResolveUser(call, call.Args.Str("user"));
        var body = SlackCall.Ok();
        body["user"] = SlackRender.User(call.State, user);
        return body;
    }

    private static JsonObject LookupByEmail(SlackCall call)
    {
        var email = call.Args.Str("email") ?? throw new SlackException("users_not_found");
        var user = call.State.Users.Items.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))
            ?? throw new SlackException("users_not_found");
        var body = SlackCall.Ok();
        body["user"] = SlackRender.User(call.State, user);
        return body;
    }

    private static JsonObject Conversations(SlackCall call)
    {
        var userId = call.Args.Str("user") ?? call.Caller.Id;
        SlackConversations.ResolveUser(call, userId);
        return SlackConversations.ListChannels(call, userId, includeNumMembers: false);
    }

    private static JsonObject ProfileGet(SlackCall call)
    {
        var user = SlackConversations.ResolveUser(call, call.Args.Str("user") ?? call.Caller.Id);
        var body = SlackCall.Ok();
        body["profile"] = SlackRender.Profile(call.State, user);
        return body;
    }

    private static JsonObject GetPresence(SlackCall call)
    {
        var user = SlackConversations.ResolveUser(call, call.Args.Str("user") ?? call.Caller.Id);
        var body = SlackCall.Ok();
        body["presence"] = user.Presence;
        if (user.Id == call.Caller.Id)
        {
            body["online"] = user.Presence == "active";
            body["auto_away"] = false;
            body["manual_away"] = user.Presence == "away";
            body["connection_count"] = user.Presence == "active" ? 1 : 0;
            body["last_activity"] = call.State.NowSeconds;
        }

        return body;
    }
}
