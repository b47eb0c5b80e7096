using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Slack;

/// <summary>The <c>chat.*</c> methods and the message bookkeeping they share (threads, system messages, schedules).</summary>
internal static class SlackChat
{
    private const int MaxTextLength = 40_000;

    public static IEnumerable<SlackMethod> Methods =>
    [
        new("chat.postMessage", 0, "chat:write", PostMessage, Summary: "Sends a message to a channel."),
        new("chat.update", 3, "chat:write", Update, Summary: "Updates a message."),
        new("chat.delete", 3, "chat:write", Delete, Summary: "Deletes a message."),
        new("chat.postEphemeral", 4, "chat:write", PostEphemeral, Summary: "Sends an ephemeral message to a user in a channel."),
        new("chat.getPermalink", 4, null, GetPermalink, Summary: "Retrieve a permalink URL for a specific extant message"),
        new("chat.scheduleMessage", 3, "chat:write", ScheduleMessage, Summary: "Schedules a message to be sent to a channel."),
        new("chat.scheduledMessages.list", 3, "chat:write", ListScheduled, Summary: "Returns a list of scheduled messages."),
        new("chat.deleteScheduledMessage", 3, "chat:write", DeleteScheduled, Summary: "Deletes a pending scheduled message from the queue."),
    ];

    /// <summary>The target of a post: a conversation id, a channel name (<c>#name</c> or <c>name</c>) or a user id (their DM).</summary>
    private static SlackChannel Target(SlackCall call)
    {
        var value = call.Args.Str("channel") ?? throw new SlackException("channel_not_found");
        if (value.StartsWith('U') || value.StartsWith('W'))
        {
            if (call.State.Users.Find(value) is { } user)
            {
                return SlackConversations.OpenIm(call.State, call.Caller.Id, [user.Id], out _);
            }
        }

        return SlackConversations.Resolve(call, allowNames: true, missingIsInvalidArguments: false);
    }

    private static (string? Text, JsonArray? Blocks, JsonArray? Attachments) Content(SlackCall call, bool required = true)
    {
        var text = call.Args.Str("text");
        var blocks = call.Args.JsonArrayArg("blocks", "invalid_blocks");
        var attachments = call.Args.JsonArrayArg("attachments", "invalid_attachments");
        if (required && text is null && blocks is not { Count: > 0 } && attachments is not { Count: > 0 })
        {
            throw new SlackException("no_text");
        }

        if (text is { Length: > MaxTextLength })
        {
            throw new SlackException("msg_too_long");
        }

        if (blocks is not null)
        {
            if (blocks.Count > 50)
            {
                throw new SlackException("invalid_blocks");
            }

            foreach (var block in blocks)
            {
                if (block is not JsonObject obj || obj["type"] is not JsonValue type || !type.TryGetValue<string>(out var t) || t.Length == 0)
                {
                    throw new SlackException("invalid_blocks");
                }

                if (obj["block_id"] is null)
                {
                    obj["block_id"] = call.State.Random.NextAlphanumeric(5);
                }
            }
        }

        if (attachments is not null)
        {
            var id = 1;
            foreach (var attachment in attachments)
            {
                if (attachment is not JsonObject obj)
                {
                    throw new SlackException("invalid_attachments");
                }

                obj["id"] = id++;
            }
        }

        return (text, blocks, attachments);
    }

    private static JsonObject PostMessage(SlackCall call)
    {
        var state = call.State;
        var channel = Target(call);
        var (text, blocks, attachments) = Content(call);
        SlackConversations.RequireNotArchived(channel);
        var publicPost = !channel.IsPrivate && !channel.IsIm && !channel.IsMpim
            && call.State.ScopesForToken(call.Token)?.Contains("chat:write.public", StringComparer.Ordinal) == true;
        if (!publicPost)
        {
            // Without chat:write.public an app posts only where its user is a member.
            SlackConversations.RequireMember(call, channel);
        }

        SlackMessage? parent = null;
        if (call.Args.Str("thread_ts") is { } threadTs)
        {
            parent = state.FindMessage(channel.Id, threadTs) ?? throw new SlackException("thread_not_found");
            if (parent.ThreadTs is { } root && root != parent.Ts)
            {
                // Replying to a reply lands in the same thread.
                parent = state.FindMessage(channel.Id, root) ?? parent;
            }
        }

        var broadcast = parent is not null && call.Args.Bool("reply_broadcast");
        var message = state.AddMessage(new SlackMessage
        {
            Channel = channel.Id,
            ChannelName = channel.Name,
            Ts = state.NextTs(),
            ThreadTs = parent?.Ts,
            User = call.Caller.Id,
            BotId = call.Caller.BotId,
            AppId = call.Caller.AppId,
            Username = call.IsBot ? call.Args.Str("username") : null,
            Text = text ?? "",
            Blocks = blocks,
            Attachments = attachments,
            Subtype = broadcast ? "thread_broadcast" : null,
        });
        if (parent is not null)
        {
            RefreshThread(state, parent);
        }

        var body = SlackCall.Ok();
        body["channel"] = channel.Id;
        body["ts"] = message.Ts;
        body["message"] = SlackRender.Message(state, message);
        return body;
    }

    /// <summary>Recomputes a parent's reply_count, reply_users and latest_reply from its replies.</summary>
    internal static void RefreshThread(SlackState state, SlackMessage parent)
    {
        var replies = state.ThreadReplies(parent.Channel, parent.Ts);
        state.Messages.Update(parent, p =>
        {
            p.ReplyCount = replies.Count;
            p.ReplyUsers.Clear();
            p.ReplyUsers.AddRange(replies.Select(r => r.User ?? "").Where(u => u.Length > 0).Distinct(StringComparer.Ordinal));
            p.LatestReply = replies.Count > 0 ? replies[^1].Ts : null;
            p.ThreadTs = replies.Count > 0 ? p.Ts : null;
        });
    }

    /// <summary>Posts a channel event (join, leave, topic, ...) the way Slack records it in history.</summary>
    internal static void PostSystemMessage(SlackState state, SlackChannel channel, string userId, string subtype, string text, string? inviter = null)
    {
        var user = state.Users.Find(userId);
        state.AddMessage(new SlackMessage
        {
            Channel = channel.Id,
            ChannelName = channel.Name,
            Ts = state.NextTs(),
            User = userId,
            Subtype = subtype,
            Text = text.StartsWith('<') ? text : $"<@{userId}> {text}",
            BotId = user?.BotId,
            AppId = user?.AppId,
            Inviter = inviter,
        });
    }

    private static SlackMessage FindOwnMessage(SlackCall call, SlackChannel channel, string cantError)
    {
        var ts = call.Args.Str("ts") ?? throw new SlackException("message_not_found");
        var message = call.State.FindMessage(channel.Id, ts) ?? throw new SlackException("message_not_found");
        if (message.Subtype == "tombstone")
        {
            throw new SlackException("message_not_found");
        }

        var isAdmin = !call.IsBot && (call.Caller.IsAdmin || call.Caller.IsOwner);
        if (message.User != call.Caller.Id && !(isAdmin && cantError == "cant_delete_message"))
        {
            throw new SlackException(cantError);
        }

        return message;
    }

    private static JsonObject Update(SlackCall call)
    {
        var state = call.State;
        var channel = SlackConversations.Resolve(call, missingIsInvalidArguments: false);
        var message = FindOwnMessage(call, channel, "cant_update_message");
        var (text, blocks, attachments) = Content(call, required: false);
        if (text is null && blocks is null && attachments is null)
        {
            throw new SlackException("no_text");
        }

        SlackConversations.RequireNotArchived(channel);
        var editTs = state.NextTs();
        var previous = state.EventSubscriptions.Count == 0 ? null : SlackRender.Message(state, message);
        state.Messages.Update(message, m =>
        {
            if (text is not null)
            {
                m.Text = text;
            }

            if (blocks is not null)
            {
                m.Blocks = blocks;
            }

            if (attachments is not null)
            {
                m.Attachments = attachments;
            }

            m.Edited = new SlackEdit(call.Caller.Id, editTs);
        });
        if (previous is not null)
        {
            SlackEvents.Changed(state, message, previous);
        }

        var body = SlackCall.Ok();
        body["channel"] = channel.Id;
        body["ts"] = message.Ts;
        body["text"] = message.Text;
        body["message"] = SlackRender.Message(state, message);
        return body;
    }

    private static JsonObject Delete(SlackCall call)
    {
        var state = call.State;
        var channel = SlackConversations.Resolve(call, missingIsInvalidArguments: false);
        var message = FindOwnMessage(call, channel, "cant_delete_message");
        var previous = state.EventSubscriptions.Count == 0 ? null : SlackRender.Message(state, message);
        DeleteMessage(state, message);
        if (previous is not null)
        {
            SlackEvents.Deleted(state, channel.Id, previous);
        }

        var body = SlackCall.Ok();
        body["channel"] = channel.Id;
        body["ts"] = message.Ts;
        return body;
    }

    /// <summary>Removes a message; a parent with replies becomes Slack's tombstone so the thread survives.</summary>
    internal static void DeleteMessage(SlackState state, SlackMessage message)
    {
        var isParent = message.ThreadTs == message.Ts;
        if (isParent && state.ThreadReplies(message.Channel, message.Ts).Count > 0)
        {
            state.Messages.Update(message, m =>
            {
                m.Subtype = "tombstone";
                m.Text = "This message was deleted.";
                m.Blocks = null;
                m.Attachments = null;
                m.Reactions.Clear();
                m.Edited = null;
            });
            return;
        }

        state.RemoveMessage(message);
        if (!isParent && message.ThreadTs is { } root && state.FindMessage(message.Channel, root) is { } parent)
        {
            if (parent.Subtype == "tombstone" && state.ThreadReplies(parent.Channel, parent.Ts).Count == 0)
            {
                state.RemoveMessage(parent);
            }
            else
            {
                RefreshThread(state, parent);
            }
        }
    }

    private static JsonObject PostEphemeral(SlackCall call)
    {
        var state = call.State;
        var channel = Target(call);
        var userId = call.Args.Str("user") ?? throw new SlackException("user_not_found");
        if (state.Users.Find(userId) is null)
        {
            throw new SlackException("user_not_found");
        }

        Content(call);
        SlackConversations.RequireNotArchived(channel);
        SlackConversations.RequireMember(call, channel);
        if (!channel.Members.Contains(userId))
        {
            throw new SlackException("user_not_in_channel");
        }

        var body = SlackCall.Ok();
        body["message_ts"] = state.NextTs();
        return body;
    }

    private static JsonObject GetPermalink(SlackCall call)
    {
        var channel = SlackConversations.Resolve(call, missingIsInvalidArguments: false);
        var ts = call.Args.Str("message_ts") ?? throw new SlackException("message_not_found");
        var message = call.State.FindMessage(channel.Id, ts) ?? throw new SlackException("message_not_found");
        var body = SlackCall.Ok();
        body["channel"] = channel.Id;
        body["permalink"] = SlackRender.Permalink(call.State, message);
        return body;
    }

    private static JsonObject ScheduleMessage(SlackCall call)
    {
        var state = call.State;
        var channel = Target(call);
        var postAtText = call.Args.Str("post_at") ?? throw new SlackException("invalid_time");
        if (!decimal.TryParse(postAtText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var postAtDecimal)
            || postAtDecimal > 99_999_999_999m)
        {
            throw new SlackException("invalid_time");
        }

        var postAt = (long)postAtDecimal;
        var (text, blocks, _) = Content(call);
        var now = state.NowSeconds;
        if (postAt <= now)
        {
            throw new SlackException("time_in_past");
        }

        if (postAt > now + (120L * 24 * 3600))
        {
            throw new SlackException("time_too_far");
        }

        SlackConversations.RequireNotArchived(channel);
        SlackConversations.RequireMember(call, channel);
        string? threadTs = null;
        if (call.Args.Str("thread_ts") is { } requested)
        {
            threadTs = (state.FindMessage(channel.Id, requested) ?? throw new SlackException("thread_not_found")).Ts;
        }

        var scheduled = state.ScheduledMessages.Add(new SlackScheduledMessage
        {
            Id = state.NewScheduledId(),
            ChannelId = channel.Id,
            PostAt = postAt,
            DateCreated = now,
            Text = text ?? "",
            ThreadTs = threadTs,
            User = call.Caller.Id,
            BotId = call.Caller.BotId,
            Blocks = blocks,
        });
        var message = new JsonObject
        {
            ["type"] = "delayed_message",
            ["text"] = scheduled.Text,
            ["user"] = call.Caller.Id,
        };
        if (call.IsBot)
        {
            message["bot_id"] = call.Caller.BotId;
            message["bot_profile"] = SlackRender.BotProfile(state, call.Caller);
        }

        message["team"] = state.Team.Id;
        var body = SlackCall.Ok();
        body["channel"] = channel.Id;
        body["scheduled_message_id"] = scheduled.Id;
        body["post_at"] = scheduled.PostAt;
        body["message"] = message;
        return body;
    }

    private static JsonObject ListScheduled(SlackCall call)
    {
        var state = call.State;
        string? channelId = null;
        if (call.Args.Str("channel") is not null)
        {
            channelId = SlackConversations.Resolve(call).Id;
        }

        long? Bound(string name) =>
            call.Args.Str(name) is { } text ? (SlackTs.Parse(text) ?? throw new SlackException("invalid_arguments")) / 1_000_000 : null;
        var oldest = Bound("oldest");
        var latest = Bound("latest");
        var matches = state.ScheduledMessages.Items
            .Where(s => s.User == call.Caller.Id && (channelId is null || s.ChannelId == channelId)
                && (oldest is null || s.PostAt >= oldest) && (latest is null || s.PostAt <= latest))
            .OrderBy(s => s.PostAt)
            .ToList();
        var page = SlackPaging.Page(call, matches, "scheduled", 100, 100, out var next);
        var body = SlackCall.Ok();
        body["scheduled_messages"] = new JsonArray([.. page.Select(s => (JsonNode?)new JsonObject
        {
            ["id"] = s.Id,
            ["channel_id"] = s.ChannelId,
            ["post_at"] = s.PostAt,
            ["date_created"] = s.DateCreated,
            ["text"] = s.Text,
        })]);
        body["response_metadata"] = SlackPaging.Metadata(next);
        return body;
    }

    private static JsonObject DeleteScheduled(SlackCall call)
    {
        var channel = SlackConversations.Resolve(call, missingIsInvalidArguments: false);
        var id = call.Args.Str("scheduled_message_id") ?? throw new SlackException("invalid_scheduled_message_id");
        var scheduled = call.State.ScheduledMessages.Find(id);
        if (scheduled is null || scheduled.ChannelId != channel.Id || scheduled.User != call.Caller.Id)
        {
            throw new SlackException("invalid_scheduled_message_id");
        }

        call.State.ScheduledMessages.Remove(id);
        return SlackCall.Ok();
    }

    /// <summary>Posts every scheduled message whose time has come (checked at the start of each call).</summary>
    internal static void DeliverDueScheduledMessages(SlackState state) => DeliverDueScheduledMessages(state, state.NowSeconds);

    /// <summary>
    /// Posts every scheduled message due by <paramref name="now"/> (unix seconds), earliest <c>post_at</c> first, each with
    /// a ts at its <c>post_at</c> (Slack posts a scheduled message at its time, https://docs.slack.dev/reference/methods/chat.scheduleMessage).
    /// </summary>
    internal static void DeliverDueScheduledMessages(SlackState state, long now)
    {
        if (state.ScheduledMessages.Count == 0)
        {
            return;
        }

        foreach (var scheduled in state.ScheduledMessages.Items.Where(s => s.PostAt <= now).OrderBy(s => s.PostAt).ToList())
        {
            state.ScheduledMessages.Remove(scheduled.Id);
            var channel = state.Channels.Find(scheduled.ChannelId);
            var user = state.Users.Find(scheduled.User);
            if (channel is null || channel.IsArchived || user is null)
            {
                continue;
            }

            var parent = scheduled.ThreadTs is null ? null : state.FindMessage(channel.Id, scheduled.ThreadTs);
            state.AddMessage(new SlackMessage
            {
                Channel = channel.Id,
                ChannelName = channel.Name,
                Ts = state.NextTs(DateTimeOffset.FromUnixTimeSeconds(scheduled.PostAt)),
                ThreadTs = parent?.Ts,
                User = user.Id,
                BotId = user.BotId,
                AppId = user.AppId,
                Text = scheduled.Text,
                Blocks = scheduled.Blocks,
            });
            if (parent is not null)
            {
                RefreshThread(state, parent);
            }
        }
    }
}
