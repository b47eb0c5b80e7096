using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>One session's Slack workspace: team, users, conversations, messages, schedules and pins.</summary>
/// <remarks>
/// Snapshot tables (snake_case fields, as read by scenario evaluators):
/// <list type="bullet">
/// <item><c>team</c>: <c>id, name, domain, email_domain</c> (one row).</item>
/// <item><c>user</c>: <c>id, name, real_name, display_name, email, title, is_bot, bot_id, app_id, is_admin,
/// is_owner, is_primary_owner, deleted, presence, tz, tz_offset, color, updated</c>.</item>
/// <item><c>channel</c>: <c>id, name, is_private, is_im, is_mpim, is_archived, is_general, topic, purpose,
/// members</c> (user ids), <c>created</c> (unix seconds), <c>creator, im_user</c> (the other user of a DM),
/// <c>previous_names, last_read</c> (user id → ts).</item>
/// <item><c>message</c> (key <c>{channel}/{ts}</c>): <c>channel</c> (id), <c>channel_name, ts, thread_ts, user,
/// bot_id, app_id, username, text, blocks, attachments, subtype, reply_count, reply_users, latest_reply,
/// reactions</c> (<c>[{name, users}]</c>), <c>edited</c> (<c>{user, ts}</c> or null). Deleted messages are removed.
/// Ephemeral messages are never stored.</item>
/// <item><c>scheduled_message</c>: <c>id, channel_id, post_at, date_created, text, thread_ts, user, bot_id</c>;
/// removed when delivered (the message then appears in <c>message</c>) or deleted.</item>
/// <item><c>pin</c> (key <c>{channel}/{ts}</c>): <c>channel, ts, created_by, created</c>.</item>
/// <item><c>bookmark</c>: <c>id, channel_id, title, link, emoji, date_created, date_updated, rank, updated_by</c>.</item>
/// </list>
/// </remarks>
public sealed class SlackState : CloneState
{
    private readonly Dictionary<string, List<SlackMessage>> _timelines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SlackMessage>> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _tokenScopes = new(StringComparer.Ordinal);
    private long _lastTs;
    private long _nextScheduledId = 1;

    internal SlackState(CloneSeedContext seed) : base("slack", seed)
    {
        Teams = CreateTable<SlackTeam>("team", t => t.Id);
        Users = CreateTable<SlackUser>("user", u => u.Id);
        Channels = CreateTable<SlackChannel>("channel", c => c.Id);
        Messages = CreateTable<SlackMessage>("message", m => m.Key);
        ScheduledMessages = CreateTable<SlackScheduledMessage>("scheduled_message", m => m.Id);
        Pins = CreateTable<SlackPin>("pin", p => p.Key);
        Bookmarks = CreateTable<SlackBookmark>("bookmark", b => b.Id);
    }

    /// <summary>The workspace (one row).</summary>
    public EntityTable<SlackTeam> Teams { get; }

    /// <summary>Users (people and bot users) by id.</summary>
    public EntityTable<SlackUser> Users { get; }

    /// <summary>Conversations (public and private channels, DMs, group DMs) by id.</summary>
    public EntityTable<SlackChannel> Channels { get; }

    /// <summary>Messages by <c>{channel}/{ts}</c>.</summary>
    public EntityTable<SlackMessage> Messages { get; }

    /// <summary>Messages scheduled with <c>chat.scheduleMessage</c> and not yet delivered.</summary>
    public EntityTable<SlackScheduledMessage> ScheduledMessages { get; }

    /// <summary>Pinned messages by <c>{channel}/{ts}</c>.</summary>
    public EntityTable<SlackPin> Pins { get; }

    /// <summary>Channel bookmarks by id.</summary>
    public EntityTable<SlackBookmark> Bookmarks { get; }

    /// <summary>The workspace.</summary>
    public SlackTeam Team => Teams.Items[0];

    /// <summary>The app's Events API subscriptions (SlackEvents.cs): app settings, not workspace state.</summary>
    internal List<SlackEventSubscription> EventSubscriptions { get; } = [];

    /// <summary>The app's verification token that Events API payloads carry.</summary>
    internal string? EventsVerificationToken { get; set; }

    /// <summary>The id of the app's bot user: <see cref="SlackClone.DefaultServiceToken"/> authenticates as it.</summary>
    public string BotUserId { get; internal set; } = "";

    /// <summary>Slack's rate-limit tiers for this session; null (the default) disables rate limiting.</summary>
    public SlackRateLimits? RateLimits { get; set; }

    internal Dictionary<string, (long WindowStart, int Count)> RateWindows { get; } = new(StringComparer.Ordinal);

    /// <summary>The user token (<c>xoxp-</c>) that authenticates as <paramref name="userId"/>.</summary>
    public string UserToken(string userId) => $"xoxp-{Team.Number}-{userId}-{StableHash.Of(userId + Seed.RandomSeed) & 0x7fffffff:x8}";

    internal void RegisterToken(string token, string userId, string[]? scopes = null)
    {
        _tokens[token] = userId;
        if (scopes is null)
        {
            _tokenScopes.Remove(token);
        }
        else
        {
            _tokenScopes[token] = scopes;
        }
    }

    /// <summary>
    /// When true, only tokens the seed declares (and the default bot and user tokens) authenticate; any other
    /// token is <c>invalid_auth</c>. The default is false: any <c>xoxb-</c> token is the bot and any
    /// <c>xoxp-</c> token the workspace's primary owner, as the platform contract asks ("use any non-empty
    /// service-shaped test token"). Seed data sets it with <c>"strict_tokens": true</c>.
    /// </summary>
    public bool StrictTokens { get; set; }

    internal SlackUser? UserForToken(string token)
    {
        if (_tokens.TryGetValue(token, out var id))
        {
            return Users.Find(id);
        }

        if (StrictTokens)
        {
            return null;
        }

        // Undeclared but service-shaped: a bot token is the app's bot, a user token the default person.
        if (token.StartsWith("xoxb-", StringComparison.Ordinal) && token.Length > 5)
        {
            return Users.Find(BotUserId);
        }

        return token.StartsWith("xoxp-", StringComparison.Ordinal) && token.Length > 5
            ? Users.Items.FirstOrDefault(u => u.IsPrimaryOwner && !u.IsBot) ?? Users.Items.FirstOrDefault(u => !u.IsBot)
            : null;
    }

    internal string[]? ScopesForToken(string token) => _tokenScopes.GetValueOrDefault(token);

    /// <summary>Every registered token → user id (a seed-file export carries them).</summary>
    internal IReadOnlyDictionary<string, string> Tokens => _tokens;

    /// <summary>The last ts handed out, in microseconds, and the next scheduled-message number (a seed-file export carries both).</summary>
    internal (long LastTs, long NextScheduledId) Counters
    {
        get => (_lastTs, _nextScheduledId);
        set => (_lastTs, _nextScheduledId) = value;
    }

    // ---- ids and timestamps ----

    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    internal string NewId(char prefix)
    {
        while (true)
        {
            var id = prefix + "0" + Random.NextString(9, UpperAlphanumeric);
            if (!Users.Contains(id) && !Channels.Contains(id))
            {
                return id;
            }
        }
    }

    internal string NewScheduledId() => "Q" + (_nextScheduledId++).ToString("D4", CultureInfo.InvariantCulture) + Random.NextString(6, UpperAlphanumeric);

    internal long NowSeconds => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <inheritdoc />
    /// <remarks>The earliest <c>post_at</c> of a scheduled message not yet posted.</remarks>
    public override DateTimeOffset? NextDueAt =>
        ScheduledMessages.Count == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(ScheduledMessages.Items.Min(m => m.PostAt));

    /// <inheritdoc />
    /// <remarks>Posts each scheduled message whose <c>post_at</c> has passed, earliest first, with a ts at its <c>post_at</c>.</remarks>
    public override void RunDue(DateTimeOffset now) => SlackChat.DeliverDueScheduledMessages(this, now.ToUnixTimeSeconds());

    /// <summary>A fresh ts: now (microseconds), strictly after every ts handed out before.</summary>
    internal string NextTs() => NextTs(Time.GetUtcNow());

    /// <summary>A fresh ts at <paramref name="at"/> (microseconds), strictly after every ts handed out before.</summary>
    internal string NextTs(DateTimeOffset at)
    {
        var now = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        _lastTs = Math.Max(now, _lastTs + 1);
        return SlackTs.Format(_lastTs);
    }

    /// <summary>A ts at <paramref name="at"/> for seeded history, unique in <paramref name="channelId"/>.</summary>
    internal string SeedTs(string channelId, DateTimeOffset at)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 + Random.Next(0, 999_999);
        while (Messages.Contains($"{channelId}/{SlackTs.Format(micros)}"))
        {
            micros++;
        }

        _lastTs = Math.Max(_lastTs, micros);
        return SlackTs.Format(micros);
    }

    // ---- message indexes (kept beside the table so history reads stay O(page)) ----

    internal IReadOnlyList<SlackMessage> Timeline(string channelId) =>
        _timelines.TryGetValue(channelId, out var list) ? list : [];

    internal IReadOnlyList<SlackMessage> ThreadReplies(string channelId, string threadTs) =>
        _threads.TryGetValue($"{channelId}/{threadTs}", out var list) ? list : [];

    internal SlackMessage? FindMessage(string channelId, string ts) => Messages.Find($"{channelId}/{ts}");

    internal SlackMessage AddMessage(SlackMessage message)
    {
        Messages.Add(message);
        var isReply = message.ThreadTs is not null && message.ThreadTs != message.Ts;
        if (!isReply || message.Subtype == "thread_broadcast")
        {
            InsertSorted(_timelines, message.Channel, message);
        }

        if (isReply)
        {
            InsertSorted(_threads, $"{message.Channel}/{message.ThreadTs}", message);
        }

        SlackEvents.Posted(this, message);
        return message;
    }

    internal void RemoveMessage(SlackMessage message)
    {
        Messages.Remove(message.Key);
        if (_timelines.TryGetValue(message.Channel, out var timeline))
        {
            timeline.Remove(message);
        }

        if (message.ThreadTs is not null && _threads.TryGetValue($"{message.Channel}/{message.ThreadTs}", out var thread))
        {
            thread.Remove(message);
        }

        if (Pins.Contains(message.Key))
        {
            Pins.Remove(message.Key);
        }
    }

    private static void InsertSorted(Dictionary<string, List<SlackMessage>> index, string key, SlackMessage message)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        if (list.Count == 0 || list[^1].TsValue < message.TsValue)
        {
            list.Add(message);
            return;
        }

        var at = list.FindIndex(m => m.TsValue > message.TsValue);
        list.Insert(at < 0 ? list.Count : at, message);
    }

    // ---- lookups ----

    internal SlackChannel? ChannelByName(string name)
    {
        foreach (var channel in Channels.Items)
        {
            if (!channel.IsIm && !channel.IsMpim && string.Equals(channel.Name, name, StringComparison.Ordinal))
            {
                return channel;
            }
        }

        return null;
    }

    private Dictionary<string, SlackUser>? _botsById;
    private int _botsByIdUserCount = -1;

    /// <summary>The bot user with bot id <paramref name="botId"/> (cached; users are only ever added).</summary>
    internal SlackUser? UserByBotId(string botId)
    {
        if (_botsById is null || _botsByIdUserCount != Users.Count)
        {
            _botsById = Users.Items.Where(u => u.BotId is not null).ToDictionary(u => u.BotId!, StringComparer.Ordinal);
            _botsByIdUserCount = Users.Count;
        }

        return _botsById.GetValueOrDefault(botId);
    }

    internal SlackUser? UserByName(string name)
    {
        foreach (var user in Users.Items)
        {
            if (string.Equals(user.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return user;
            }
        }

        return null;
    }
}

/// <summary>Slack timestamps: <c>seconds.micro</c> strings and their microsecond values.</summary>
internal static class SlackTs
{
    public static string Format(long micros) =>
        string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");

    /// <summary>Parses "1512085950.000216", "1512085950" or "0"; null when it is not a timestamp.</summary>
    public static long? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d < 100_000_000_000m
            ? (long)decimal.Round(d * 1_000_000m)
            : null;
    }
}

/// <summary>The workspace.</summary>
public sealed class SlackTeam
{
    /// <summary>The team id (<c>T...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The workspace name.</summary>
    public required string Name { get; set; }

    /// <summary>The subdomain (<c>{domain}.slack.com</c>).</summary>
    public required string Domain { get; set; }

    /// <summary>The email domain of the workspace's users.</summary>
    public required string EmailDomain { get; set; }

    /// <summary>The numeric part used in tokens.</summary>
    [JsonIgnore]
    public long Number { get; init; } = 1_000_000_000;
}

/// <summary>A workspace member or bot user.</summary>
public sealed class SlackUser
{
    /// <summary>The user id (<c>U...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The handle (unique, lower case).</summary>
    public required string Name { get; set; }

    /// <summary>The full name.</summary>
    public string RealName { get; set; } = "";

    /// <summary>The display name (often empty in Slack).</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The email address (null for bots).</summary>
    public string? Email { get; set; }

    /// <summary>The job title.</summary>
    public string Title { get; set; } = "";

    /// <summary>Whether the user is a bot user.</summary>
    public bool IsBot { get; init; }

    /// <summary>The bot id (<c>B...</c>) of a bot user.</summary>
    public string? BotId { get; init; }

    /// <summary>The app id (<c>A...</c>) of a bot user.</summary>
    public string? AppId { get; init; }

    /// <summary>Whether the user is a workspace admin.</summary>
    public bool IsAdmin { get; set; }

    /// <summary>Whether the user is a workspace owner.</summary>
    public bool IsOwner { get; set; }

    /// <summary>Whether the user is the primary owner.</summary>
    public bool IsPrimaryOwner { get; set; }

    /// <summary>Whether the account is deactivated.</summary>
    public bool Deleted { get; set; }

    /// <summary><c>active</c> or <c>away</c>.</summary>
    public string Presence { get; set; } = "active";

    /// <summary>The IANA time zone.</summary>
    public string Tz { get; set; } = "America/Los_Angeles";

    /// <summary>The time zone label.</summary>
    public string TzLabel { get; set; } = "Pacific Standard Time";

    /// <summary>The time zone offset in seconds.</summary>
    public int TzOffset { get; set; } = -28800;

    /// <summary>The user's color (6 hex digits).</summary>
    public string Color { get; set; } = "9f69e7";

    /// <summary>The phone number.</summary>
    public string Phone { get; set; } = "";

    /// <summary>The status text.</summary>
    public string StatusText { get; set; } = "";

    /// <summary>The status emoji.</summary>
    public string StatusEmoji { get; set; } = "";

    /// <summary>When the profile last changed (unix seconds).</summary>
    public long Updated { get; set; }
}

/// <summary>A conversation: public or private channel, DM or group DM.</summary>
public sealed class SlackChannel
{
    /// <summary>The id (<c>C...</c> public, <c>G...</c> private or group DM, <c>D...</c> DM).</summary>
    public required string Id { get; init; }

    /// <summary>The name (without <c>#</c>); empty for DMs, <c>mpdm-a--b--c-1</c> for group DMs.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether the channel is private.</summary>
    public bool IsPrivate { get; set; }

    /// <summary>Whether this is a DM.</summary>
    public bool IsIm { get; init; }

    /// <summary>Whether this is a group DM.</summary>
    public bool IsMpim { get; init; }

    /// <summary>Whether the channel is archived.</summary>
    public bool IsArchived { get; set; }

    /// <summary>Whether this is the workspace's #general.</summary>
    public bool IsGeneral { get; init; }

    /// <summary>The topic text.</summary>
    public string Topic { get; set; } = "";

    /// <summary>Who set the topic (user id or empty).</summary>
    public string TopicCreator { get; set; } = "";

    /// <summary>When the topic was set (unix seconds, 0 when never).</summary>
    public long TopicLastSet { get; set; }

    /// <summary>The purpose text.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>Who set the purpose (user id or empty).</summary>
    public string PurposeCreator { get; set; } = "";

    /// <summary>When the purpose was set (unix seconds, 0 when never).</summary>
    public long PurposeLastSet { get; set; }

    /// <summary>Member user ids, in join order.</summary>
    public List<string> Members { get; init; } = [];

    /// <summary>When the channel was created (unix seconds).</summary>
    public long Created { get; init; }

    /// <summary>The creator's user id.</summary>
    public string Creator { get; init; } = "";

    /// <summary>Whether a DM or group DM is open in its members' sidebars (<c>conversations.open</c>/<c>close</c>).</summary>
    public bool IsOpen { get; set; } = true;

    /// <summary>The other user of a DM.</summary>
    public string? ImUser { get; init; }

    /// <summary>Former names (after renames).</summary>
    public List<string> PreviousNames { get; init; } = [];

    /// <summary>Read markers set by <c>conversations.mark</c>: user id → ts.</summary>
    public Dictionary<string, string> LastRead { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>A message in a conversation (top level or a thread reply).</summary>
public sealed class SlackMessage
{
    /// <summary>The key <c>{channel}/{ts}</c>.</summary>
    [JsonIgnore]
    public string Key => _key ??= $"{Channel}/{Ts}";

    private string? _key;

    /// <summary>The conversation id.</summary>
    public required string Channel { get; init; }

    /// <summary>The conversation's name when the message was last touched (empty for DMs).</summary>
    public string ChannelName { get; set; } = "";

    /// <summary>The timestamp (unique per channel, <c>seconds.micro</c>).</summary>
    public required string Ts { get; init; }

    /// <summary>The parent's ts for threads (equal to <see cref="Ts"/> on a parent with replies).</summary>
    public string? ThreadTs { get; set; }

    /// <summary>The author's user id.</summary>
    public string? User { get; init; }

    /// <summary>The bot id for messages posted by an app.</summary>
    public string? BotId { get; init; }

    /// <summary>The app id for messages posted by an app.</summary>
    public string? AppId { get; init; }

    /// <summary>A custom username set by an app.</summary>
    public string? Username { get; init; }

    /// <summary>The text.</summary>
    public string Text { get; set; } = "";

    /// <summary>Block Kit blocks, if any.</summary>
    public JsonArray? Blocks { get; set; }

    /// <summary>Legacy attachments, if any.</summary>
    public JsonArray? Attachments { get; set; }

    /// <summary>Who invited the user of a <c>channel_join</c> message, when someone did.</summary>
    public string? Inviter { get; init; }

    /// <summary>The subtype (<c>thread_broadcast</c>, <c>channel_join</c>, ...) or null.</summary>
    public string? Subtype { get; set; }

    /// <summary>The number of replies (parents only).</summary>
    public int ReplyCount { get; set; }

    /// <summary>Distinct reply authors, most recent first (parents only).</summary>
    public List<string> ReplyUsers { get; init; } = [];

    /// <summary>The ts of the latest reply (parents only).</summary>
    public string? LatestReply { get; set; }

    /// <summary>Reactions in the order they were first added.</summary>
    public List<SlackReaction> Reactions { get; init; } = [];

    /// <summary>Set by <c>chat.update</c>.</summary>
    public SlackEdit? Edited { get; set; }

    /// <summary>The ts as microseconds (for ordering).</summary>
    internal long TsValue => _tsValue ??= SlackTs.Parse(Ts) ?? 0;

    private long? _tsValue;
}

/// <summary>One emoji reaction on a message.</summary>
public sealed class SlackReaction
{
    /// <summary>The emoji name without colons.</summary>
    public required string Name { get; init; }

    /// <summary>User ids that reacted, in order.</summary>
    public List<string> Users { get; init; } = [];
}

/// <summary>Who edited a message and when.</summary>
/// <param name="User">The editor's user id.</param>
/// <param name="Ts">The edit's ts.</param>
public sealed record SlackEdit(string User, string Ts);

/// <summary>A message scheduled for later delivery.</summary>
public sealed class SlackScheduledMessage
{
    /// <summary>The id (<c>Q...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The target conversation id.</summary>
    public required string ChannelId { get; init; }

    /// <summary>When it will be posted (unix seconds).</summary>
    public long PostAt { get; init; }

    /// <summary>When it was scheduled (unix seconds).</summary>
    public long DateCreated { get; init; }

    /// <summary>The text.</summary>
    public string Text { get; init; } = "";

    /// <summary>Thread parent ts, when it is a reply.</summary>
    public string? ThreadTs { get; init; }

    /// <summary>The author's user id.</summary>
    public required string User { get; init; }

    /// <summary>The bot id when scheduled by the bot.</summary>
    public string? BotId { get; init; }

    /// <summary>Blocks, if any.</summary>
    public JsonArray? Blocks { get; init; }
}

/// <summary>A pinned message.</summary>
public sealed class SlackPin
{
    /// <summary>The key <c>{channel}/{ts}</c>.</summary>
    [JsonIgnore]
    public string Key => $"{Channel}/{Ts}";

    /// <summary>The conversation id.</summary>
    public required string Channel { get; init; }

    /// <summary>The pinned message's ts.</summary>
    public required string Ts { get; init; }

    /// <summary>Who pinned it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was pinned (unix seconds).</summary>
    public long Created { get; init; }
}

/// <summary>A link bookmarked in a channel's header.</summary>
public sealed class SlackBookmark
{
    /// <summary>The id (<c>Bk...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The conversation id.</summary>
    public required string ChannelId { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; set; }

    /// <summary>The URL.</summary>
    public required string Link { get; set; }

    /// <summary>The emoji, if any.</summary>
    public string? Emoji { get; set; }

    /// <summary>When it was added (unix seconds).</summary>
    public long DateCreated { get; init; }

    /// <summary>When it last changed (unix seconds).</summary>
    public long DateUpdated { get; set; }

    /// <summary>The sort key within the channel.</summary>
    public string Rank { get; init; } = "a";

    /// <summary>Who last changed it.</summary>
    public required string UpdatedBy { get; set; }

    /// <summary>The team of <see cref="UpdatedBy"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TeamId { get; init; } = "";
}
