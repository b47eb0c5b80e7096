using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Slack;

/// <summary>The <c>reactions.*</c> and <c>pins.*</c> methods.</summary>
internal static class SlackReactions
{
    public static IEnumerable<SlackMethod> Methods =>
    [
        new("reactions.add", 3, "reactions:write", Add, Summary: "Adds a reaction to an item."),
        new("reactions.remove", 2, "reactions:write", Remove, Summary: "Removes a reaction from an item."),
        new("reactions.get", 3, "reactions:read", Get, Summary: "Gets reactions for an item."),
        new("reactions.list", 2, "reactions:read", List, Summary: "Lists reactions made by a user."),
        new("pins.add", 2, "pins:write", PinAdd, Summary: "Pins an item to a channel."),
        new("pins.remove", 2, "pins:write", PinRemove, Summary: "Un-pins an item from a channel."),
        new("pins.list", 2, "pins:read", PinList, Summary: "Lists items pinned to a channel."),
    ];

    private static (SlackChannel Channel, SlackMessage Message) Target(SlackCall call)
    {
        if (call.Args.Str("file") is not null || call.Args.Str("file_comment") is not null)
        {
            throw new SlackException("file_not_found");
        }

        if (call.Args.Str("channel") is null && call.Args.Str("timestamp") is null)
        {
            throw new SlackException("no_item_specified");
        }

        var channel = SlackConversations.Resolve(call, missingIsInvalidArguments: false);
        var ts = call.Args.Str("timestamp") ?? throw new SlackException("bad_timestamp");
        var message = call.State.FindMessage(channel.Id, ts) ?? throw new SlackException("message_not_found");
        return (channel, message);
    }

    private static string EmojiName(SlackCall call)
    {
        var name = call.Args.Str("name")?.Trim(':');
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsWhiteSpace))
        {
            throw new SlackException("invalid_name");
        }

        return name;
    }

    private static JsonObject Add(SlackCall call)
    {
        var name = EmojiName(call);
        var (channel, message) = Target(call);
        SlackConversations.RequireNotArchived(channel);
        var existing = message.Reactions.FirstOrDefault(r => r.Name == name);
        if (existing?.Users.Contains(call.Caller.Id) == true)
        {
            throw new SlackException("already_reacted");
        }

        if (existing is null && message.Reactions.Count >= 50)
        {
            throw new SlackException("too_many_emoji");
        }

        call.State.Messages.Update(message, m =>
        {
            var reaction = m.Reactions.FirstOrDefault(r => r.Name == name);
            if (reaction is null)
            {
                m.Reactions.Add(reaction = new SlackReaction { Name = name });
            }

            reaction.Users.Add(call.Caller.Id);
        });
        SlackEvents.Reaction(call.State, "reaction_added", call.Caller.Id, name, message);
        return SlackCall.Ok();
    }

    private static JsonObject Remove(SlackCall call)
    {
        var name = EmojiName(call);
        var (_, message) = Target(call);
        var existing = message.Reactions.FirstOrDefault(r => r.Name == name);
        if (existing?.Users.Contains(call.Caller.Id) != true)
        {
            throw new SlackException("no_reaction");
        }

        call.State.Messages.Update(message, m =>
        {
            var reaction = m.Reactions.First(r => r.Name == name);
            reaction.Users.Remove(call.Caller.Id);
            if (reaction.Users.Count == 0)
            {
                m.Reactions.Remove(reaction);
            }
        });
        SlackEvents.Reaction(call.State, "reaction_removed", call.Caller.Id, name, message);
        return SlackCall.Ok();
    }

    private static JsonObject Get(SlackCall call)
    {
        var (channel, message) = Target(call);
        var body = SlackCall.Ok();
        body["type"] = "message";
        body["channel"] = channel.Id;
        body["message"] = SlackRender.Message(call.State, message);
        return body;
    }

    private static JsonObject List(SlackCall call)
    {
        var state = call.State;
        var userId = call.Args.Str("user") ?? call.Caller.Id;
        SlackConversations.ResolveUser(call, userId);
        var matches = new List<SlackMessage>();
        var messages = state.Messages.Items;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            var m = messages[i];
            if (m.Reactions.Count > 0 && m.Reactions.Any(r => r.Users.Contains(userId))
                && state.Channels.Find(m.Channel) is { } c && SlackConversations.CanSee(call, c))
            {
                matches.Add(m);
            }
        }

        var page = SlackPaging.Page(call, matches, "reactions", 100, 1000, out var next);
        var body = SlackCall.Ok();
        body["items"] = new JsonArray([.. page.Select(m => (JsonNode?)new JsonObject
        {
            ["type"] = "message",
            ["channel"] = m.Channel,
            ["message"] = SlackRender.Message(state, m),
        })]);
        body["response_metadata"] = SlackPaging.Metadata(next);
        return body;
    }

    private static JsonObject PinAdd(SlackCall call)
    {
        var (channel, message) = Target(call);
        SlackConversations.RequireNotArchived(channel);
        SlackConversations.RequireMember(call, channel);
        if (call.State.Pins.Contains(message.Key))
        {
            throw new SlackException("already_pinned");
        }

        call.State.Pins.Add(new SlackPin
        {
            Channel = channel.Id,
            Ts = message.Ts,
            CreatedBy = call.Caller.Id,
            Created = call.State.NowSeconds,
        });
        return SlackCall.Ok();
    }

    private static JsonObject PinRemove(SlackCall call)
    {
        var (channel, message) = Target(call);
        SlackConversations.RequireMember(call, channel);
        if (!call.State.Pins.Remove(message.Key))
        {
            throw new SlackException("no_pin");
        }

        return SlackCall.Ok();
    }

    private static JsonObject PinList(SlackCall call)
    {
        var state = call.State;
        var channel = SlackConversations.Resolve(call, missingIsInvalidArguments: false);
        var body = SlackCall.Ok();
        body["items"] = new JsonArray([.. state.Pins.Items
            .Where(p => p.Channel == channel.Id)
            .OrderByDescending(p => p.Created)
            .Select(p => (JsonNode?)new JsonObject
            {
                ["type"] = "message",
                ["created"] = p.Created,
                ["created_by"] = p.CreatedBy,
                ["channel"] = p.Channel,
                ["message"] = state.FindMessage(p.Channel, p.Ts) is { } m ? SlackRender.Message(state, m, withPermalink: true) : null,
            })]);
        return body;
    }
}
