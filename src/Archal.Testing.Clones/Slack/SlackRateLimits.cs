using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>Raised when a call exceeds its tier: HTTP 429, <c>Retry-After</c>, <c>{"ok":false,"error":"ratelimited"}</c>.</summary>
internal sealed class SlackRateLimitedException(int retryAfterSeconds) : Exception("ratelimited")
{
    public SlackRateLimitedException() : this(1) { }

    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>
/// Slack's per-method rate-limit tiers, counted per session in fixed windows of the host's clock. Off
/// unless set on <see cref="SlackState.RateLimits"/> or enabled by seed data with <c>"rate_limits": true</c>
/// or <c>{"tier1":1,"tier2":20,"tier3":50,"tier4":100,"post_message_per_second":1}</c>.
/// A call over its limit gets HTTP 429, <c>Retry-After</c> and <c>{"ok":false,"error":"ratelimited"}</c>.
/// </summary>
public sealed class SlackRateLimits
{
    private readonly int[] _perMinute = [1, 20, 50, 100];

    /// <summary>Tier 1 calls per minute per method. <value>The default value is 1.</value></summary>
    public int Tier1 { get => _perMinute[0]; set => _perMinute[0] = Positive(value); }

    /// <summary>Tier 2 calls per minute per method. <value>The default value is 20.</value></summary>
    public int Tier2 { get => _perMinute[1]; set => _perMinute[1] = Positive(value); }

    /// <summary>Tier 3 calls per minute per method. <value>The default value is 50.</value></summary>
    public int Tier3 { get => _perMinute[2]; set => _perMinute[2] = Positive(value); }

    /// <summary>Tier 4 calls per minute per method. <value>The default value is 100.</value></summary>
    public int Tier4 { get => _perMinute[3]; set => _perMinute[3] = Positive(value); }

    /// <summary><c>chat.postMessage</c>'s special tier: messages per second per channel. <value>The default value is 1.</value></summary>
    public int PostMessagePerSecond { get; set; } = 1;

    internal int[] PerMinute => _perMinute;

    private static int Positive(int value) => value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Limits must be positive.");

    internal static SlackRateLimits? FromSeed(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<bool>(out var enabled):
                return enabled ? new SlackRateLimits() : null;
            case JsonObject obj:
                var limits = new SlackRateLimits();
                for (var tier = 1; tier <= 4; tier++)
                {
                    if (obj[$"tier{tier}"] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0)
                    {
                        limits.PerMinute[tier - 1] = n;
                    }
                }

                if (obj["post_message_per_second"] is JsonValue p && p.TryGetValue<int>(out var perSecond) && perSecond > 0)
                {
                    limits.PostMessagePerSecond = perSecond;
                }

                return limits;
            default:
                throw new CloneSeedException("slack seed data: 'rate_limits' must be true, false or an object like {\"tier2\": 20}.");
        }
    }

    internal static void Check(SlackState state, SlackMethod method, SlackArgs args)
    {
        if (state.RateLimits is not { } limits)
        {
            return;
        }

        var now = state.Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (method.Name == "chat.postMessage")
        {
            Count(state, $"chat.postMessage/{args.Str("channel")}", 1000, limits.PostMessagePerSecond, now);
        }
        else if (method.Tier is >= 1 and <= 4)
        {
            Count(state, method.Name, 60_000, limits.PerMinute[method.Tier - 1], now);
        }
    }

    private static void Count(SlackState state, string key, long windowMs, int limit, long now)
    {
        var (start, count) = state.RateWindows.GetValueOrDefault(key);
        if (now - start >= windowMs)
        {
            (start, count) = (now, 0);
        }

        if (count >= limit)
        {
            throw new SlackRateLimitedException((int)Math.Max(1, Math.Ceiling((start + windowMs - now) / 1000.0)));
        }

        state.RateWindows[key] = (start, count + 1);
    }
}
