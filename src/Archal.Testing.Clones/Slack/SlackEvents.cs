using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>One Events API subscription of the session's app (Slack keeps it in the app's settings, not in its API).</summary>
internal sealed record SlackEventSubscription(Uri Url, byte[] SigningSecret, HashSet<string> Events);

/// <summary>
/// The Slack Events API (https://docs.slack.dev/apis/events-api/): the <c>url_verification</c> challenge when a request
/// URL is set, then <c>event_callback</c> envelopes for the events the subscription names, signed with the app's
/// signing secret as Slack documents (https://docs.slack.dev/authentication/verifying-requests-from-slack/):
/// <c>X-Slack-Signature: v0={hex HMAC-SHA256 of "v0:{timestamp}:{body}"}</c> and <c>X-Slack-Request-Timestamp</c>.
/// A failed delivery (no 2xx within 3 seconds) is retried three times, nearly immediately, after a minute and after
/// five minutes, with <c>X-Slack-Retry-Num</c> and <c>X-Slack-Retry-Reason</c>.
/// </summary>
internal static class SlackEvents
{
    /// <summary>The events this clone announces (Slack's subscription names: message events per conversation type).</summary>
    internal static readonly string[] Supported =
    [
        "message.channels", "message.groups", "message.im", "message.mpim", "app_mention",
        "reaction_added", "reaction_removed", "member_joined_channel", "channel_created",
    ];

    private static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    /// <summary>Adds a subscription and sends the <c>url_verification</c> challenge to its URL first.</summary>
    public static void Subscribe(SlackState state, EventSubscription subscription)
    {
        var unknown = subscription.Events.Where(e => !Supported.Contains(e, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"The Slack clone does not send {string.Join(", ", unknown)}; it sends {string.Join(", ", Supported)}.", nameof(subscription));
        }

        var added = new SlackEventSubscription(subscription.Url, Encoding.UTF8.GetBytes(subscription.SigningSecret), [.. subscription.Events]);
        state.EventSubscriptions.Add(added);
        var challenge = state.Random.NextAlphanumeric(48);
        var body = new JsonObject { ["token"] = VerificationToken(state), ["challenge"] = challenge, ["type"] = "url_verification" };
        Send(state, added, "url_verification", null, body, []);
    }

    /// <summary>A message was posted (<c>message</c>, and <c>app_mention</c> when it mentions the app's bot).</summary>
    public static void Posted(SlackState state, SlackMessage message)
    {
        if (state.EventSubscriptions.Count == 0 || state.Channels.Find(message.Channel) is not { } channel)
        {
            return;
        }

        var json = SlackRender.Message(state, message);
        json["channel"] = channel.Id;
        json["event_ts"] = message.Ts;
        json["channel_type"] = ChannelType(channel);
        Publish(state, json, channel);
        if (message.User != state.BotUserId && message.Text.Contains($"<@{state.BotUserId}>", StringComparison.Ordinal) && message.Subtype is null)
        {
            var mention = new JsonObject
            {
                ["type"] = "app_mention",
                ["user"] = message.User,
                ["text"] = message.Text,
                ["ts"] = message.Ts,
                ["channel"] = channel.Id,
                ["event_ts"] = message.Ts,
            };
            if (message.ThreadTs is { } thread)
            {
                mention["thread_ts"] = thread;
            }

            Publish(state, mention, channel);
        }
    }

    /// <summary>A message was edited: <c>message</c> with subtype <c>message_changed</c>.</summary>
    public static void Changed(SlackState state, SlackMessage message, JsonObject previous)
    {
        if (state.EventSubscriptions.Count == 0 || state.Channels.Find(message.Channel) is not { } channel)
        {
            return;
        }

        var ts = state.NextTs();
        Publish(state, new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "message_changed",
            ["hidden"] = true,
            ["message"] = SlackRender.Message(state, message),
            ["channel"] = channel.Id,
            ["previous_message"] = previous,
            ["event_ts"] = ts,
            ["ts"] = ts,
            ["channel_type"] = ChannelType(channel),
        }, channel);
    }

    /// <summary>A message was deleted: <c>message</c> with subtype <c>message_deleted</c>.</summary>
    public static void Deleted(SlackState state, string channelId, JsonObject previous)
    {
        if (state.EventSubscriptions.Count == 0 || state.Channels.Find(channelId) is not { } channel)
        {
            return;
        }

        var ts = state.NextTs();
        Publish(state, new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "message_deleted",
            ["hidden"] = true,
            ["deleted_ts"] = previous["ts"]?.DeepClone(),
            ["channel"] = channel.Id,
            ["previous_message"] = previous,
            ["event_ts"] = ts,
            ["ts"] = ts,
            ["channel_type"] = ChannelType(channel),
        }, channel);
    }

    /// <summary><c>reaction_added</c> or <c>reaction_removed</c> on a message.</summary>
    public static void Reaction(SlackState state, string type, string userId, string name, SlackMessage message)
    {
        if (state.EventSubscriptions.Count == 0 || state.Channels.Find(message.Channel) is not { } channel)
        {
            return;
        }

        Publish(state, new JsonObject
        {
            ["type"] = type,
            ["user"] = userId,
            ["item"] = new JsonObject { ["type"] = "message", ["channel"] = channel.Id, ["ts"] = message.Ts },
            ["reaction"] = name,
            ["item_user"] = message.User,
            ["event_ts"] = state.NextTs(),
        }, channel);
    }

    /// <summary><c>member_joined_channel</c>.</summary>
    public static void Joined(SlackState state, SlackChannel channel, string userId, string? inviter)
    {
        if (state.EventSubscriptions.Count == 0)
        {
            return;
        }

        var json = new JsonObject
        {
            ["type"] = "member_joined_channel",
            ["user"] = userId,
            ["channel"] = channel.Id,
            ["channel_type"] = channel.IsPrivate ? "G" : "C",
            ["team"] = state.Team.Id,
        };
        if (inviter is not null)
        {
            json["inviter"] = inviter;
        }

        json["event_ts"] = state.NextTs();
        Publish(state, json, channel);
    }

    /// <summary><c>channel_created</c> (public channels only, as Slack sends it).</summary>
    public static void Created(SlackState state, SlackChannel channel)
    {
        if (state.EventSubscriptions.Count == 0 || channel.IsPrivate)
        {
            return;
        }

        Publish(state, new JsonObject
        {
            ["type"] = "channel_created",
            ["channel"] = new JsonObject
            {
                ["id"] = channel.Id,
                ["name"] = channel.Name,
                ["created"] = channel.Created,
                ["creator"] = channel.Creator,
            },
            ["event_ts"] = state.NextTs(),
        }, channel);
    }

    private static string ChannelType(SlackChannel channel) =>
        channel.IsIm ? "im" : channel.IsMpim ? "mpim" : channel.IsPrivate ? "group" : "channel";

    private static string SubscriptionName(JsonObject evt, SlackChannel channel)
    {
        var type = evt["type"]!.GetValue<string>();
        return type == "message" ? $"message.{ChannelType(channel) switch { "channel" => "channels", "group" => "groups", var other => other }}" : type;
    }

    /// <summary>Wraps the event in an <c>event_callback</c> envelope for each subscription that names it.</summary>
    private static void Publish(SlackState state, JsonObject evt, SlackChannel channel)
    {
        var name = SubscriptionName(evt, channel);
        // message.* events come from the conversations the app's bot is in.
        if (name.StartsWith("message.", StringComparison.Ordinal) && !channel.Members.Contains(state.BotUserId))
        {
            return;
        }

        foreach (var subscription in state.EventSubscriptions.Where(s => s.Events.Contains(name)))
        {
            var eventId = "Ev" + state.Random.NextString(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            var bot = state.Users.Find(state.BotUserId);
            var envelope = new JsonObject
            {
                ["token"] = VerificationToken(state),
                ["team_id"] = state.Team.Id,
                ["context_team_id"] = state.Team.Id,
                ["context_enterprise_id"] = null,
                ["api_app_id"] = bot?.AppId,
                ["event"] = evt.DeepClone(),
                ["type"] = "event_callback",
                ["event_id"] = eventId,
                ["event_time"] = state.NowSeconds,
                ["authorizations"] = new JsonArray(new JsonObject
                {
                    ["enterprise_id"] = null,
                    ["team_id"] = state.Team.Id,
                    ["user_id"] = state.BotUserId,
                    ["is_bot"] = true,
                    ["is_enterprise_install"] = false,
                }),
                ["is_ext_shared_channel"] = false,
                ["event_context"] = "4-" + state.Random.NextAlphanumeric(40),
            };
            Send(state, subscription, evt["type"]!.GetValue<string>(), eventId, envelope, RetryDelays);
        }
    }

    private static void Send(SlackState state, SlackEventSubscription subscription, string type, string? eventId, JsonObject body, IReadOnlyList<TimeSpan> retries)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var challenge = type == "url_verification" ? body["challenge"]!.GetValue<string>() : null;
        state.Webhooks.Send(new WebhookMessage
        {
            CloneId = "slack",
            EventType = type,
            Action = type == "message" ? body["event"]?["subtype"]?.GetValue<string>() : null,
            EventId = eventId,
            Source = subscription.Url.AbsoluteUri,
            Url = subscription.Url,
            Body = bytes,
            RetryDelays = retries,
            Timeout = TimeSpan.FromSeconds(3),
            Headers = attempt => Headers(subscription.SigningSecret, attempt, bytes),
            Validate = challenge is null ? null : (_, answer) => Echoes(answer, challenge) ? null : "the answer does not echo the url_verification challenge",
        });
    }

    private static List<KeyValuePair<string, string>> Headers(byte[] secret, WebhookAttemptContext attempt, byte[] body)
    {
        var timestamp = attempt.Time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        List<KeyValuePair<string, string>> headers =
        [
            new("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"),
            new("Accept", "*/*"),
            new("Accept-Encoding", "gzip,deflate"),
            new("X-Slack-Request-Timestamp", timestamp),
            new("X-Slack-Signature", Signature(secret, timestamp, body)),
        ];
        if (attempt.Attempt > 1)
        {
            headers.Add(new("X-Slack-Retry-Num", (attempt.Attempt - 1).ToString(CultureInfo.InvariantCulture)));
            headers.Add(new("X-Slack-Retry-Reason", attempt.PreviousFailure switch
            {
                WebhookFailure.Timeout => "http_timeout",
                WebhookFailure.HttpError => "http_error",
                WebhookFailure.ConnectionFailed => "connection_failed",
                _ => "unknown_error",
            }));
        }

        return headers;
    }

    /// <summary><c>v0=</c> hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>.</summary>
    internal static string Signature(byte[] secret, string timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }

    /// <summary>Slack accepts the challenge as plain text, as <c>{"challenge": …}</c> or form-encoded.</summary>
    private static bool Echoes(string answer, string challenge)
    {
        var text = answer.Trim();
        if (text == challenge || text == "challenge=" + challenge)
        {
            return true;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject json && json["challenge"] is JsonValue value && value.TryGetValue<string>(out var echoed) && echoed == challenge;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The app's (deprecated) verification token Slack puts in every payload; fixed per session.</summary>
    private static string VerificationToken(SlackState state) =>
        state.EventsVerificationToken ??= state.Random.NextAlphanumeric(24);
}
