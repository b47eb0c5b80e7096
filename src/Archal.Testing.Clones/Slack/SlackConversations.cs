using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>The <c>conversations.*</c> methods.</summary>
internal static class SlackConversations
{
    public static IEnumerable<SlackMethod> Methods =>
    [
        new("conversations.list", 2, "channels:read", List, Summary: "Lists all channels in a Slack team."),
        new("conversations.create", 2, "channels:manage", Create, Summary: "Initiates a public or private channel-based conversation"),
        new("conversations.info", 3, "channels:read", Info, Summary: "Retrieve information about a conversation."),
        new("conversations.history", 3, "channels:history", History, Summary: "Fetches a conversation's history of messages and events."),
        new("conversations.replies", 3, "channels:history", Replies, Summary: "Retrieve a thread of messages posted to a conversation"),
        new("conversations.join", 3, "channels:join", Join, Summary: "Joins an existing conversation."),
        new("conversations.leave", 3, "channels:manage", Leave, Summary: "Leaves a conversation."),
        new("conversations.invite", 3, "channels:manage", Invite, Summary: "Invites users to a channel."),
        new("conversations.kick", 3, "channels:manage", Kick, Summary: "Removes a user from a conversation."),
        new("conversations.archive", 2, "channels:manage", Archive, Summary: "Archives a conversation."),
        new("conversations.unarchive", 2, "channels:manage", Unarchive, Summary: "Reverses conversation archival."),
        new("conversations.rename", 2, "channels:manage", Rename, Summary: "Renames a conversation."),
        new("conversations.setTopic", 2, "channels:manage", SetTopic, Summary: "Sets the topic for a conversation."),
        new("conversations.setPurpose", 2, "channels:manage", SetPurpose, Summary: "Sets the purpose for a conversation."),
        new("conversations.members", 4, "channels:read", Members, Summary: "Retrieve members of a conversation."),
        new("conversations.open", 3, "im:write", Open, Summary: "Opens or resumes a direct message or multi-person direct message."),
        new("conversations.mark", 3, "channels:manage", Mark, Summary: "Sets the read cursor in a channel."),
        new("conversations.close", 2, "im:write", Close, Summary: "Closes a direct message or multi-person direct message."),
    ];

    // ---- shared lookups ----

    /// <summary>Whether the caller may see <paramref name="channel"/> (public, or a member).</summary>
    public static bool CanSee(SlackCall call, SlackChannel channel) =>
        (!channel.IsPrivate && !channel.IsIm && !channel.IsMpim) || channel.Members.Contains(call.Caller.Id);

    /// <summary>The conversation named by the <c>channel</c> argument, visible to the caller.</summary>
    public static SlackChannel Resolve(SlackCall call, string argument = "channel", bool allowNames = false, bool missingIsInvalidArguments = true)
    {
        var value = call.Args.Str(argument);
        if (value is null)
        {
            throw missingIsInvalidArguments ? SlackErrors.MissingArgument(argument) : new SlackException("channel_not_found");
        }

        var channel = call.State.Channels.Find(value);
        if (channel is null && allowNames)
        {
            channel = call.State.ChannelByName(value.TrimStart('#'));
        }

        return channel is not null && CanSee(call, channel) ? channel : throw new SlackException("channel_not_found");
    }

    public static void RequireMember(SlackCall call, SlackChannel channel)
    {
        if (!channel.Members.Contains(call.Caller.Id))
        {
            throw new SlackException("not_in_channel");
        }
    }

    public static void RequireNotArchived(SlackChannel channel)
    {
        if (channel.IsArchived)
        {
            throw new SlackException("is_archived");
        }
    }

    public static SlackUser ResolveUser(SlackCall call, string? id, string notFound = "user_not_found") =>
        id is not null && call.State.Users.Find(id) is { } user ? user : throw new SlackException(notFound);

    private static HashSet<string> Types(SlackCall call)
    {
        var types = call.Args.List("types") ?? ["public_channel"];
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type is not ("public_channel" or "private_channel" or "mpim" or "im"))
            {
                throw new SlackException("invalid_types");
            }

            set.Add(type);
        }

        return set.Count == 0 ? ["public_channel"] : set;
    }

    private static bool OfType(SlackChannel c, HashSet<string> types) =>
        c.IsIm ? types.Contains("im")
        : c.IsMpim ? types.Contains("mpim")
        : c.IsPrivate ? types.Contains("private_channel")
        : types.Contains("public_channel");

    /// <summary>Conversations of the requested types the caller can see (and, with <paramref name="memberId"/>, that user belongs to).</summary>
    public static JsonObject ListChannels(SlackCall call, string? memberId, bool includeNumMembers)
    {
        var types = Types(call);
        var excludeArchived = call.Args.Bool("exclude_archived");
        var matches = call.State.Channels.Items
            .Where(c => OfType(c, types) && CanSee(call, c) && (!excludeArchived || !c.IsArchived)
                && (memberId is null || c.Members.Contains(memberId)))
            .ToList();
        var page = SlackPaging.Page(call, matches, "team", 100, 1000, out var next);
        var body = SlackCall.Ok();
        body["channels"] = new JsonArray([.. page.Select(c => (JsonNode?)SlackRender.Channel(call.State, c, call.Caller.Id, includeNumMembers))]);
        body["response_metadata"] = SlackPaging.Metadata(next);
        return body;
    }

    private static JsonObject WithChannel(SlackCall call, SlackChannel channel)
    {
        var body = SlackCall.Ok();
        body["channel"] = SlackRender.Channel(call.State, channel, call.Caller.Id);
        return body;
    }

    // ---- methods ----

    private static JsonObject List(SlackCall call) => ListChannels(call, null, includeNumMembers: true);

    private static JsonObject Info(SlackCall call)
    {
        var channel = Resolve(call, missingIsInvalidArguments: false);
        var body = SlackCall.Ok();
        body["channel"] = SlackRender.Channel(call.State, channel, call.Caller.Id, call.Args.Bool("include_num_members"));
        return body;
    }

    internal static string ValidateName(SlackState state, string? name, string? exceptId = null)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new SlackException("invalid_name_required");
        }

        if (name.Length > 80)
        {
            throw new SlackException("invalid_name_maxlength");
        }

        if (name.Any(ch => !(ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' || char.IsLetter(ch) && char.IsLower(ch))))
        {
            throw new SlackException("invalid_name_specials");
        }

        if (name.All(ch => ch is '-' or '_'))
        {
            throw new SlackException("invalid_name_punctuation");
        }

        if (state.ChannelByName(name) is { } existing && existing.Id != exceptId)
        {
            throw new SlackException("name_taken");
        }

        return name;
    }

    private static JsonObject Create(SlackCall call)
    {
        var name = ValidateName(call.State, call.Args.Str("name"));
        var isPrivate = call.Args.Bool("is_private");
        var channel = call.State.Channels.Add(new SlackChannel
        {
            Id = call.State.NewId(isPrivate ? 'G' : 'C'),
            Name = name,
            IsPrivate = isPrivate,
            Created = call.State.NowSeconds,
            Creator = call.Caller.Id,
            Members = [call.Caller.Id],
        });
        SlackEvents.Created(call.State, channel);
        return WithChannel(call, channel);
    }

    private static JsonObject History(SlackCall call)
    {
        var channel = Resolve(call);
        if (call.IsBot && !channel.Members.Contains(call.Caller.Id))
        {
            throw new SlackException("not_in_channel");
        }

        var timeline = call.State.Timeline(channel.Id);
        var (oldest, latest, inclusive) = Range(call);
        var limit = call.Args.Int("limit", 100, 0, 999);
        if (limit == 0)
        {
            limit = 100;
        }

        if (call.Args.Str("cursor") is { } cursor)
        {
            var next = SlackTs.Parse(Paging.DecodeCursor(cursor, "next_ts")) ?? throw new SlackException("invalid_cursor");
            latest = next;
            inclusive = true;
        }

        // Newest first: walk back from the end of the timeline.
        var page = new List<SlackMessage>(Math.Min(limit, timeline.Count));
        var hasMore = false;
        string nextCursor = "";
        for (var i = timeline.Count - 1; i >= 0; i--)
        {
            var ts = timeline[i].TsValue;
            if (latest is { } l && (inclusive ? ts > l : ts >= l))
            {
                continue;
            }

            if (oldest is { } o && (inclusive ? ts < o : ts <= o))
            {
                break;
            }

            if (page.Count == limit)
            {
                hasMore = true;
                nextCursor = Paging.EncodeCursor("next_ts", timeline[i].Ts);
                break;
            }

            page.Add(timeline[i]);
        }

        var body = SlackCall.Ok();
        body["messages"] = new JsonArray([.. page.Select(m => (JsonNode?)SlackRender.Message(call.State, m))]);
        body["has_more"] = hasMore;
        body["pin_count"] = call.State.Pins.Items.Count(p => p.Channel == channel.Id);
        body["channel_actions_ts"] = null;
        body["channel_actions_count"] = 0;
        body["response_metadata"] = SlackPaging.Metadata(nextCursor);
        return body;
    }

    private static (long? Oldest, long? Latest, bool Inclusive) Range(SlackCall call)
    {
        long? Parse(string name)
        {
            var text = call.Args.Str(name);
            return text is null ? null : SlackTs.Parse(text) ?? throw new SlackException("invalid_ts_" + name);
        }

        var oldest = Parse("oldest");
        var latest = Parse("latest");
        return (oldest is 0 ? null : oldest, latest, call.Args.Bool("inclusive"));
    }

    private static JsonObject Replies(SlackCall call)
    {
        var channel = Resolve(call);
        var ts = call.Args.Str("ts") ?? throw SlackErrors.MissingArgument("ts");
        if (call.IsBot && !channel.Members.Contains(call.Caller.Id))
        {
            throw new SlackException("not_in_channel");
        }

        var message = call.State.FindMessage(channel.Id, ts) ?? throw new SlackException("thread_not_found");
        if (message.ThreadTs is { } root && root != message.Ts && call.State.FindMessage(channel.Id, root) is { } threadParent)
        {
            // A reply's ts names its whole thread.
            message = threadParent;
        }

        var (oldest, latest, inclusive) = Range(call);
        IReadOnlyList<SlackMessage> thread = message.ThreadTs == message.Ts
            ? [message, .. call.State.ThreadReplies(channel.Id, message.Ts)]
            : [message];
        var filtered = thread.Where(m =>
            (oldest is not { } o || (inclusive ? m.TsValue >= o : m.TsValue > o))
            && (latest is not { } l || (inclusive ? m.TsValue <= l : m.TsValue < l))).ToList();
        var page = SlackPaging.Page(call, filtered, "next_ts", 1000, 1000, out var next);
        if (page.Count > 0 && page[0] != message && thread[0] == message)
        {
            // Slack repeats the parent at the top of every page.
            page.Insert(0, message);
        }

        var body = SlackCall.Ok();
        body["messages"] = new JsonArray([.. page.Select(m => (JsonNode?)SlackRender.Message(call.State, m))]);
        body["has_more"] = next.Length > 0;
        body["response_metadata"] = SlackPaging.Metadata(next);
        return body;
    }

    private static JsonObject Join(SlackCall call)
    {
        var channel = Resolve(call);
        if (channel.IsIm || channel.IsMpim || channel.IsPrivate)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        RequireNotArchived(channel);
        if (channel.Members.Contains(call.Caller.Id))
        {
            call.Warnings.Add("already_in_channel");
        }
        else
        {
            AddMember(call.State, channel, call.Caller.Id, inviter: null);
        }

        return WithChannel(call, channel);
    }

    internal static void AddMember(SlackState state, SlackChannel channel, string userId, string? inviter)
    {
        state.Channels.Update(channel, c => c.Members.Add(userId));
        if (!channel.IsIm && !channel.IsMpim)
        {
            SlackEvents.Joined(state, channel, userId, inviter);
            SlackChat.PostSystemMessage(state, channel, userId, "channel_join", $"<@{userId}> has joined the channel", inviter);
        }
    }

    private static JsonObject Leave(SlackCall call)
    {
        var channel = Resolve(call);
        if (channel.IsIm)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        if (channel.IsGeneral)
        {
            throw new SlackException("cant_leave_general");
        }

        RequireNotArchived(channel);
        var body = SlackCall.Ok();
        if (!channel.Members.Contains(call.Caller.Id))
        {
            body["not_in_channel"] = true;
            return body;
        }

        RemoveMember(call.State, channel, call.Caller.Id);
        return body;
    }

    private static void RemoveMember(SlackState state, SlackChannel channel, string userId)
    {
        state.Channels.Update(channel, c => c.Members.Remove(userId));
        SlackChat.PostSystemMessage(state, channel, userId, "channel_leave", $"<@{userId}> has left the channel");
    }

    private static JsonObject Invite(SlackCall call)
    {
        var channel = Resolve(call);
        var users = call.Args.List("users");
        if (users is null || users.Count == 0)
        {
            throw new SlackException("no_user");
        }

        if (channel.IsIm || channel.IsMpim)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        RequireNotArchived(channel);
        RequireMember(call, channel);
        var errors = new JsonArray();
        foreach (var id in users.Distinct(StringComparer.Ordinal))
        {
            string? error = call.State.Users.Find(id) is not { } user ? "user_not_found"
                : id == call.Caller.Id ? "cant_invite_self"
                : channel.Members.Contains(id) ? "already_in_channel"
                : user.Deleted ? "user_is_deactivated"
                : null;
            if (error is not null)
            {
                errors.Add(new JsonObject { ["user"] = id, ["ok"] = false, ["error"] = error });
            }
        }

        if (errors.Count > 0)
        {
            var first = (string)errors[0]!["error"]!;
            throw new SlackException(first, new JsonObject { ["errors"] = errors });
        }

        foreach (var id in users.Distinct(StringComparer.Ordinal))
        {
            AddMember(call.State, channel, id, call.Caller.Id);
        }

        return WithChannel(call, channel);
    }

    private static JsonObject Kick(SlackCall call)
    {
        var channel = Resolve(call);
        var userId = call.Args.Str("user") ?? throw new SlackException("user_not_found");
        ResolveUser(call, userId);
        if (channel.IsIm)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        if (userId == call.Caller.Id)
        {
            throw new SlackException("cant_kick_self");
        }

        if (channel.IsGeneral)
        {
            throw new SlackException("cant_kick_from_general");
        }

        RequireMember(call, channel);
        if (!channel.Members.Contains(userId))
        {
            throw new SlackException("not_in_channel");
        }

        RemoveMember(call.State, channel, userId);
        return SlackCall.Ok();
    }

    private static JsonObject Archive(SlackCall call)
    {
        var channel = Resolve(call);
        if (channel.IsIm)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        if (channel.IsGeneral)
        {
            throw new SlackException("cant_archive_general");
        }

        if (channel.IsArchived)
        {
            throw new SlackException("already_archived");
        }

        RequireMember(call, channel);
        SlackChat.PostSystemMessage(call.State, channel, call.Caller.Id, "channel_archive", "archived the channel");
        call.State.Channels.Update(channel, c => c.IsArchived = true);
        return SlackCall.Ok();
    }

    private static JsonObject Unarchive(SlackCall call)
    {
        var channel = Resolve(call);
        if (!channel.IsArchived)
        {
            throw new SlackException("not_archived");
        }

        call.State.Channels.Update(channel, c => c.IsArchived = false);
        SlackChat.PostSystemMessage(call.State, channel, call.Caller.Id, "channel_unarchive", "un-archived the channel");
        return SlackCall.Ok();
    }

    private static JsonObject Rename(SlackCall call)
    {
        var channel = Resolve(call);
        if (channel.IsIm || channel.IsMpim)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        RequireNotArchived(channel);
        RequireMember(call, channel);
        var name = ValidateName(call.State, call.Args.Str("name"), channel.Id);
        if (name != channel.Name)
        {
            var old = channel.Name;
            call.State.Channels.Update(channel, c =>
            {
                c.PreviousNames.Insert(0, old);
                c.Name = name;
            });
            foreach (var message in call.State.Messages.Items.Where(m => m.Channel == channel.Id).ToList())
            {
                call.State.Messages.Update(message, m => m.ChannelName = name);
            }

            SlackChat.PostSystemMessage(call.State, channel, call.Caller.Id, "channel_name", $"renamed the channel from \"{old}\" to \"{name}\"");
        }

        return WithChannel(call, channel);
    }

    private static JsonObject SetTopic(SlackCall call) => SetText(call, "topic", "channel_topic", "set the channel topic: ");

    private static JsonObject SetPurpose(SlackCall call) => SetText(call, "purpose", "channel_purpose", "set the channel description: ");

    private static JsonObject SetText(SlackCall call, string argument, string subtype, string prefix)
    {
        var channel = Resolve(call);
        RequireNotArchived(channel);
        RequireMember(call, channel);
        var value = call.Args.Str(argument) ?? "";
        if (value.Length > 250)
        {
            throw new SlackException("too_long");
        }

        var now = call.State.NowSeconds;
        call.State.Channels.Update(channel, c =>
        {
            if (argument == "topic")
            {
                (c.Topic, c.TopicCreator, c.TopicLastSet) = (value, call.Caller.Id, now);
            }
            else
            {
                (c.Purpose, c.PurposeCreator, c.PurposeLastSet) = (value, call.Caller.Id, now);
            }
        });
        if (!channel.IsIm)
        {
            SlackChat.PostSystemMessage(call.State, channel, call.Caller.Id, subtype, value.Length == 0 ? $"cleared the channel {argument}" : prefix + value);
        }

        return WithChannel(call, channel);
    }

    private static JsonObject Members(SlackCall call)
    {
        var channel = Resolve(call, missingIsInvalidArguments: false);
        var page = SlackPaging.Page(call, channel.Members, "members", 100, 1000, out var next);
        var body = SlackCall.Ok();
        body["members"] = SlackRender.Strings(page);
        body["response_metadata"] = SlackPaging.Metadata(next);
        return body;
    }

    private static JsonObject Open(SlackCall call)
    {
        var state = call.State;
        var body = SlackCall.Ok();
        if (call.Args.Str("channel") is { } channelId)
        {
            var existing = state.Channels.Find(channelId);
            if (existing is null || !(existing.IsIm || existing.IsMpim) || !existing.Members.Contains(call.Caller.Id))
            {
                throw new SlackException("channel_not_found");
            }

            Reopen(state, existing, body);
            body["channel"] = OpenResult(call, existing);
            return body;
        }

        var users = call.Args.List("users");
        if (users is null || users.Count == 0)
        {
            throw new SlackException("users_list_not_supplied");
        }

        if (users.Count > 8)
        {
            throw new SlackException("too_many_users");
        }

        foreach (var id in users)
        {
            if (state.Users.Find(id) is null)
            {
                throw new SlackException("user_not_found");
            }
        }

        var participants = users.Append(call.Caller.Id).Distinct(StringComparer.Ordinal).ToList();
        bool existed;
        var channel = participants.Count <= 2
            ? OpenIm(state, call.Caller.Id, participants, out existed)
            : OpenMpim(state, call.Caller.Id, participants, out existed);
        if (existed)
        {
            Reopen(state, channel, body);
        }

        body["channel"] = OpenResult(call, channel);
        return body;
    }

    private static void Reopen(SlackState state, SlackChannel channel, JsonObject body)
    {
        if (channel.IsOpen)
        {
            body["no_op"] = true;
            body["already_open"] = true;
        }
        else
        {
            state.Channels.Update(channel, c => c.IsOpen = true);
        }
    }

    private static JsonObject OpenResult(SlackCall call, SlackChannel channel) =>
        call.Args.Bool("return_im") || channel.IsMpim
            ? SlackRender.Channel(call.State, channel, call.Caller.Id)
            : new JsonObject { ["id"] = channel.Id };

    /// <summary>The DM between the caller and one other user (or the caller alone), created on first use.</summary>
    internal static SlackChannel OpenIm(SlackState state, string callerId, List<string> participants, out bool existed)
    {
        var other = participants.FirstOrDefault(p => p != callerId) ?? callerId;
        foreach (var c in state.Channels.Items)
        {
            if (c.IsIm && c.Members.Contains(callerId) && c.Members.Contains(other) && (other != callerId || c.Members.Count == 1))
            {
                existed = true;
                return c;
            }
        }

        existed = false;
        return state.Channels.Add(new SlackChannel
        {
            Id = state.NewId('D'),
            IsIm = true,
            IsPrivate = true,
            Created = state.NowSeconds,
            Creator = callerId,
            ImUser = other,
            Members = other == callerId ? [callerId] : [callerId, other],
        });
    }

    private static SlackChannel OpenMpim(SlackState state, string callerId, List<string> participants, out bool existed)
    {
        var set = participants.ToHashSet(StringComparer.Ordinal);
        foreach (var c in state.Channels.Items)
        {
            if (c.IsMpim && c.Members.Count == set.Count && c.Members.All(set.Contains))
            {
                existed = true;
                return c;
            }
        }

        existed = false;
        var names = participants.Select(id => state.Users.Find(id)!.Name);
        return state.Channels.Add(new SlackChannel
        {
            Id = state.NewId('G'),
            Name = $"mpdm-{string.Join("--", names)}-1",
            IsMpim = true,
            IsPrivate = true,
            Created = state.NowSeconds,
            Creator = callerId,
            Members = participants,
            Purpose = "Group messaging with: " + string.Join(" ", participants.Select(p => $"@{state.Users.Find(p)!.Name}")),
        });
    }

    private static JsonObject Close(SlackCall call)
    {
        var channel = Resolve(call, missingIsInvalidArguments: false);
        if (!channel.IsIm && !channel.IsMpim)
        {
            throw new SlackException("method_not_supported_for_channel_type");
        }

        var body = SlackCall.Ok();
        if (!channel.IsOpen)
        {
            body["no_op"] = true;
            body["already_closed"] = true;
            return body;
        }

        call.State.Channels.Update(channel, c => c.IsOpen = false);
        return body;
    }

    private static JsonObject Mark(SlackCall call)
    {
        var channel = Resolve(call);
        var ts = call.Args.Str("ts") ?? throw SlackErrors.MissingArgument("ts");
        if (SlackTs.Parse(ts) is null)
        {
            throw new SlackException("invalid_timestamp");
        }

        RequireMember(call, channel);
        call.State.Channels.Update(channel, c => c.LastRead[call.Caller.Id] = ts);
        return SlackCall.Ok();
    }
}
