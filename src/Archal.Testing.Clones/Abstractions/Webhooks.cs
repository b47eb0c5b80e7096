namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// One HTTP callback a clone asks the harness to deliver (a GitHub webhook, a Stripe event, a Slack Events API
/// envelope). The clone builds the body and signs each attempt; the harness delivers it off the request path, in
/// order per target URL, retries it on <see cref="RetryDelays"/> and records every attempt.
/// </summary>
public sealed class WebhookMessage
{
    /// <summary>The clone that sends it.</summary>
    public required string CloneId { get; init; }

    /// <summary>The event name as the service calls it (<c>invoice.paid</c>, <c>issues</c>, <c>message</c>).</summary>
    public required string EventType { get; init; }

    /// <summary>The event's action where the service has one (GitHub <c>opened</c>), or null.</summary>
    public string? Action { get; init; }

    /// <summary>The service's id of the event (Stripe <c>evt_…</c>, Slack <c>Ev…</c>, GitHub's delivery GUID), or null.</summary>
    public string? EventId { get; init; }

    /// <summary>Who configured the delivery (a GitHub hook id, a Stripe <c>we_…</c> endpoint, a subscription id), or null.</summary>
    public string? Source { get; init; }

    /// <summary>The receiver's URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>The exact body bytes (signatures cover these).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The body's media type. The default value is <c>application/json</c>.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>
    /// The headers of one attempt (signatures that carry a timestamp are computed per attempt), without
    /// <c>Content-Type</c>.
    /// </summary>
    public required Func<WebhookAttemptContext, IEnumerable<KeyValuePair<string, string>>> Headers { get; init; }

    /// <summary>
    /// The wait before each retry of a failed attempt: one entry per retry, so at most <c>RetryDelays.Count + 1</c>
    /// attempts. The default value is none (the service does not retry, as GitHub).
    /// </summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [];

    /// <summary>How long one attempt may take (wall-clock: it bounds real I/O). The default value is 10 seconds, GitHub's limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Optional extra check of a 2xx answer (Slack's <c>url_verification</c> must echo the challenge): returns why the
    /// answer is not accepted, or null.
    /// </summary>
    public Func<int, string, string?>? Validate { get; init; }

    /// <summary>Whether this message repeats an earlier delivery on request (GitHub's redeliver).</summary>
    public bool Redelivery { get; init; }
}

/// <summary>What the signer of one attempt knows.</summary>
/// <param name="Attempt">1 for the first attempt, 2 for the first retry, …</param>
/// <param name="Time">When the attempt starts (the session's clock).</param>
/// <param name="PreviousFailure">Why the previous attempt failed, or <see cref="WebhookFailure.None"/> on the first.</param>
public readonly record struct WebhookAttemptContext(int Attempt, DateTimeOffset Time, WebhookFailure PreviousFailure);

/// <summary>Why an attempt failed.</summary>
public enum WebhookFailure
{
    /// <summary>It did not fail (or has not run).</summary>
    None,

    /// <summary>The receiver did not answer within the message's timeout.</summary>
    Timeout,

    /// <summary>The receiver answered with a status outside 2xx (or a 2xx the message's check refused).</summary>
    HttpError,

    /// <summary>No connection could be made (closed port, unknown host).</summary>
    ConnectionFailed,

    /// <summary>The harness refused the URL: not loopback and not routed in-process (nothing leaves the process).</summary>
    Refused,

    /// <summary>Something else went wrong.</summary>
    Unknown,
}

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Queued, being attempted, or waiting for a retry.</summary>
    Pending,

    /// <summary>A 2xx answer was received.</summary>
    Delivered,

    /// <summary>Every attempt failed (or the URL was refused).</summary>
    Failed,

    /// <summary>The session ended (or the per-session queue was full) before it was delivered.</summary>
    Canceled,
}

/// <summary>One attempt of a delivery: the request sent, the answer, and how it went.</summary>
public sealed record WebhookAttempt
{
    /// <summary>1 for the first attempt, 2 for the first retry, …</summary>
    public required int Number { get; init; }

    /// <summary>When it started (the session's clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The URL requested (after in-process routing, the routed URL).</summary>
    public required string Url { get; init; }

    /// <summary>The request headers sent (signatures included).</summary>
    public required IReadOnlyDictionary<string, string> RequestHeaders { get; init; }

    /// <summary>The HTTP status of the answer, or null when there was none.</summary>
    public int? Status { get; init; }

    /// <summary>The answer's headers (empty when there was none).</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>The first bytes of the answer's body as text, or null.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>Why it failed, or <see cref="WebhookFailure.None"/>.</summary>
    public WebhookFailure Failure { get; init; }

    /// <summary>A readable reason when it failed (<c>HTTP 500</c>, <c>timed out after 10 s</c>, …), or null.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the attempt succeeded.</summary>
    public bool Succeeded => Failure == WebhookFailure.None;
}

/// <summary>
/// One message and its attempts, as the harness records it. Read it through a snapshot
/// (<see cref="WebhookOutbox.Deliveries"/>): attempts keep arriving while a delivery is pending.
/// </summary>
public sealed record WebhookDelivery
{
    /// <summary>The delivery's sequence number within its session (1-based, in the order the clones sent them).</summary>
    public required long Sequence { get; init; }

    /// <summary>The message.</summary>
    public required WebhookMessage Message { get; init; }

    /// <summary>Where it stands.</summary>
    public required WebhookDeliveryStatus Status { get; init; }

    /// <summary>Every attempt so far, in order.</summary>
    public required IReadOnlyList<WebhookAttempt> Attempts { get; init; }

    /// <summary>
    /// The delivery fault injected on this delivery (<c>duplicate</c>: a second copy of an earlier delivery, sent with the
    /// same event id and delivery id; <c>reorder</c>: held and sent after the next delivery to the same URL), or null.
    /// </summary>
    public string? Fault { get; init; }

    /// <summary>The id of the fault rule that injected <see cref="Fault"/> (<c>flt-…</c>), or null.</summary>
    public string? FaultRuleId { get; init; }

    /// <summary>The clone that sent it.</summary>
    public string CloneId => Message.CloneId;

    /// <summary>The event name.</summary>
    public string EventType => Message.EventType;

    /// <summary>The receiver's URL.</summary>
    public Uri Url => Message.Url;

    /// <summary>The status of the last attempt's answer, or null.</summary>
    public int? LastStatus => Attempts.Count == 0 ? null : Attempts[^1].Status;

    /// <inheritdoc />
    public override string ToString()
    {
        var last = Attempts.Count == 0 ? "not attempted" : Attempts[^1].Status is { } status ? $"HTTP {status}" : Attempts[^1].Error;
        var fault = Fault is null ? "" : $" [{Fault} by {FaultRuleId}]";
        return $"#{Sequence} {CloneId} {EventType}{(Message.Action is null ? "" : "." + Message.Action)} → {Url} : {Status.ToString().ToLowerInvariant()} ({Attempts.Count} attempt{(Attempts.Count == 1 ? "" : "s")}, {last}){fault}";
    }
}

/// <summary>
/// Where a clone sends its callbacks. The harness gives each session's state one (<see cref="CloneState.Webhooks"/>);
/// before that (while seeding) messages are dropped, so seeded history is not announced.
/// </summary>
public abstract class WebhookOutbox
{
    /// <summary>An outbox that drops every message (the state of a clone outside a session).</summary>
    public static WebhookOutbox None { get; } = new NoOutbox();

    /// <summary>Queues a message for delivery; returns at once (delivery happens off the request path).</summary>
    public abstract void Send(WebhookMessage message);

    /// <summary>A snapshot of this clone's deliveries in this session, oldest first (bounded: the oldest finished ones go first).</summary>
    public abstract IReadOnlyList<WebhookDelivery> Deliveries { get; }

    private sealed class NoOutbox : WebhookOutbox
    {
        public override void Send(WebhookMessage message)
        {
        }

        public override IReadOnlyList<WebhookDelivery> Deliveries => [];
    }
}

/// <summary>
/// An event subscription configured outside the service's API (Slack configures its Events API in the app's settings):
/// where to send, the signing secret, and which events.
/// </summary>
/// <param name="Url">The request URL events are posted to.</param>
/// <param name="SigningSecret">The secret deliveries are signed with.</param>
/// <param name="Events">The event names (for Slack <c>message.channels</c>, <c>app_mention</c>, <c>reaction_added</c>, …).</param>
public sealed record EventSubscription(Uri Url, string SigningSecret, IReadOnlyList<string> Events);
