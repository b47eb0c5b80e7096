using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Slack;

/// <summary>Slack's JSON shapes for conversations, messages, users and the team (fields omitted as Slack omits them).</summary>
internal static class SlackRender
{
    public static JsonObject Channel(SlackState state, SlackChannel c, string callerId, bool includeNumMembers = true)
    {
        if (c.IsIm)
        {
            var im = new JsonObject
            {
                ["id"] = c.Id,
                ["created"] = c.Created,
                ["is_archived"] = c.IsArchived,
                ["is_im"] = true,
                ["is_org_shared"] = false,
                ["user"] = c.Members.FirstOrDefault(m => m != callerId) ?? callerId,
                ["is_user_deleted"] = state.Users.Find(c.ImUser ?? "")?.Deleted ?? false,
                ["priority"] = 0,
            };
            if (c.LastRead.TryGetValue(callerId, out var imRead))
            {
                im["last_read"] = imRead;
            }

            return im;
        }

        var channel = new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["is_channel"] = !c.IsPrivate && !c.IsMpim,
            ["is_group"] = c.IsPrivate && !c.IsMpim,
            ["is_im"] = false,
            ["is_mpim"] = c.IsMpim,
            ["is_private"] = c.IsPrivate,
            ["created"] = c.Created,
            ["is_archived"] = c.IsArchived,
            ["is_general"] = c.IsGeneral,
            ["unlinked"] = 0,
            ["name_normalized"] = c.Name,
            ["is_shared"] = false,
            ["is_org_shared"] = false,
            ["is_pending_ext_shared"] = false,
            ["pending_shared"] = new JsonArray(),
            ["parent_conversation"] = null,
            ["creator"] = c.Creator,
            ["is_ext_shared"] = false,
            ["shared_team_ids"] = new JsonArray(state.Team.Id),
            ["pending_connected_team_ids"] = new JsonArray(),
            ["is_member"] = c.Members.Contains(callerId),
            ["topic"] = new JsonObject { ["value"] = c.Topic, ["creator"] = c.TopicCreator, ["last_set"] = c.TopicLastSet },
            ["purpose"] = new JsonObject { ["value"] = c.Purpose, ["creator"] = c.PurposeCreator, ["last_set"] = c.PurposeLastSet },
            ["previous_names"] = new JsonArray([.. c.PreviousNames.Select(n => (JsonNode?)JsonValue.Create(n))]),
        };
        if (c.LastRead.TryGetValue(callerId, out var lastRead))
        {
            channel["last_read"] = lastRead;
        }

        if (includeNumMembers)
        {
            channel["num_members"] = c.Members.Count;
        }

        return channel;
    }

    public static JsonObject Message(SlackState state, SlackMessage m, bool withPermalink = false)
    {
        var message = new JsonObject { ["type"] = "message" };
        if (m.Subtype is not null)
        {
            message["subtype"] = m.Subtype;
        }

        message["text"] = m.Text;
        if (m.User is not null)
        {
            message["user"] = m.User;
        }

        if (m.BotId is not null)
        {
            message["bot_id"] = m.BotId;
            message["app_id"] = m.AppId;
            if (state.UserByBotId(m.BotId) is { } bot)
            {
                message["bot_profile"] = BotProfile(state, bot);
            }
        }

        if (m.Inviter is not null)
        {
            message["inviter"] = m.Inviter;
        }

        if (m.Username is not null)
        {
            message["username"] = m.Username;
        }

        message["ts"] = m.Ts;
        if (m.Subtype is null || m.Subtype == "thread_broadcast")
        {
            message["team"] = state.Team.Id;
        }

        if (m.Edited is { } edited)
        {
            message["edited"] = new JsonObject { ["user"] = edited.User, ["ts"] = edited.Ts };
        }

        if (m.Blocks is { Count: > 0 } blocks)
        {
            message["blocks"] = blocks.DeepClone();
        }

        if (m.Attachments is { Count: > 0 } attachments)
        {
            message["attachments"] = attachments.DeepClone();
        }

        if (m.ThreadTs is not null)
        {
            message["thread_ts"] = m.ThreadTs;
            if (m.ThreadTs == m.Ts)
            {
                message["reply_count"] = m.ReplyCount;
                message["reply_users_count"] = m.ReplyUsers.Count;
                if (m.LatestReply is not null)
                {
                    message["latest_reply"] = m.LatestReply;
                }

                if (m.ReplyUsers.Count > 0)
                {
                    message["reply_users"] = new JsonArray([.. m.ReplyUsers.Select(u => (JsonNode?)JsonValue.Create(u))]);
                }

                message["subscribed"] = false;
            }
            else if (state.FindMessage(m.Channel, m.ThreadTs) is { } parent && parent.User is not null)
            {
                message["parent_user_id"] = parent.User;
            }
        }

        if (m.Reactions.Count > 0)
        {
            message["reactions"] = new JsonArray([.. m.Reactions.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Name,
                ["users"] = new JsonArray([.. r.Users.Select(u => (JsonNode?)JsonValue.Create(u))]),
                ["count"] = r.Users.Count,
            })]);
        }

        if (state.Pins.Contains(m.Key))
        {
            message["pinned_to"] = new JsonArray(m.Channel);
            if (withPermalink)
            {
                message["permalink"] = Permalink(state, m);
            }
        }

        return message;
    }

    public static JsonObject BotProfile(SlackState state, SlackUser bot) => new()
    {
        ["id"] = bot.BotId,
        ["deleted"] = bot.Deleted,
        ["name"] = bot.Name,
        ["updated"] = bot.Updated,
        ["app_id"] = bot.AppId,
        ["icons"] = new JsonObject
        {
            ["image_36"] = "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png",
            ["image_48"] = "https://a.slack-edge.com/80588/img/plugins/app/bot_48.png",
            ["image_72"] = "https://a.slack-edge.com/80588/img/plugins/app/service_72.png",
        },
        ["team_id"] = state.Team.Id,
    };

    public static JsonObject User(SlackState state, SlackUser u)
    {
        var user = new JsonObject
        {
            ["id"] = u.Id,
            ["team_id"] = state.Team.Id,
            ["name"] = u.Name,
            ["deleted"] = u.Deleted,
            ["color"] = u.Color,
            ["real_name"] = u.RealName,
            ["tz"] = u.Tz,
            ["tz_label"] = u.TzLabel,
            ["tz_offset"] = u.TzOffset,
            ["profile"] = Profile(state, u),
            ["is_admin"] = u.IsAdmin,
            ["is_owner"] = u.IsOwner,
            ["is_primary_owner"] = u.IsPrimaryOwner,
            ["is_restricted"] = false,
            ["is_ultra_restricted"] = false,
            ["is_bot"] = u.IsBot,
            ["is_app_user"] = false,
            ["updated"] = u.Updated,
        };
        return user;
    }

    public static JsonObject Profile(SlackState state, SlackUser u)
    {
        var hash = (StableHashHex(u.Id) + "000000000000")[..12];
        var profile = new JsonObject
        {
            ["title"] = u.Title,
            ["phone"] = u.Phone,
            ["skype"] = "",
            ["real_name"] = u.RealName,
            ["real_name_normalized"] = u.RealName,
            ["display_name"] = u.DisplayName,
            ["display_name_normalized"] = u.DisplayName,
            ["fields"] = null,
            ["status_text"] = u.StatusText,
            ["status_emoji"] = u.StatusEmoji,
            ["status_expiration"] = 0,
            ["avatar_hash"] = hash,
            ["first_name"] = u.RealName.Split(' ', 2)[0],
            ["last_name"] = u.RealName.Contains(' ', StringComparison.Ordinal) ? u.RealName.Split(' ', 2)[1] : "",
            ["image_24"] = Avatar(hash, 24),
            ["image_32"] = Avatar(hash, 32),
            ["image_48"] = Avatar(hash, 48),
            ["image_72"] = Avatar(hash, 72),
            ["image_192"] = Avatar(hash, 192),
            ["image_512"] = Avatar(hash, 512),
            ["team"] = state.Team.Id,
        };
        if (u.Email is not null)
        {
            profile["email"] = u.Email;
        }

        if (u.IsBot)
        {
            profile["bot_id"] = u.BotId;
            profile["api_app_id"] = u.AppId;
            profile["always_active"] = true;
        }

        return profile;
    }

    public static JsonObject Team(SlackTeam team) => new()
    {
        ["id"] = team.Id,
        ["name"] = team.Name,
        ["domain"] = team.Domain,
        ["email_domain"] = team.EmailDomain,
        ["icon"] = new JsonObject
        {
            ["image_default"] = true,
            ["image_34"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-34.png",
            ["image_44"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-44.png",
            ["image_68"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-68.png",
            ["image_88"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-88.png",
            ["image_102"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-102.png",
            ["image_230"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-230.png",
            ["image_132"] = "https://a.slack-edge.com/80588/img/avatars-teams/ava_0001-132.png",
        },
        ["avatar_base_url"] = "https://ca.slack-edge.com/",
    };

    public static string Permalink(SlackState state, SlackMessage m)
    {
        var link = $"https://{state.Team.Domain}.slack.com/archives/{m.Channel}/p{m.Ts.Replace(".", "", StringComparison.Ordinal)}";
        return m.ThreadTs is not null && m.ThreadTs != m.Ts ? $"{link}?thread_ts={m.ThreadTs}&cid={m.Channel}" : link;
    }

    private static string Avatar(string hash, int size) => $"https://secure.gravatar.com/avatar/{hash}.jpg?s={size}&d=mp";

    private static string StableHashHex(string value) =>
        (Archal.Testing.Clones.Abstractions.StableHash.Of(value) & 0x7fffffff).ToString("x8", System.Globalization.CultureInfo.InvariantCulture)
        + (Archal.Testing.Clones.Abstractions.StableHash.Of(value + "#") & 0x7fffffff).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
