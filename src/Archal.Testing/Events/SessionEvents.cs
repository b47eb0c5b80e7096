using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Events;

/// <summary>
/// The callbacks of one session's clones (GitHub webhooks, Stripe events, Slack Events API envelopes): where they go,
/// what was delivered, and a way to wait for them. Deliveries run off the clones' request path, one at a time and in
/// the order the clones sent them per target URL; a failed attempt is retried on the service's own schedule (on the
/// host's clock) up to the service's count; every attempt is recorded with its request and answer.
/// </summary>
/// <remarks>
/// A URL on a loopback host is called over real HTTP. Any other URL is delivered only when a test routes it in-process
/// (<see cref="Route(Uri, HttpMessageHandler)"/>, typically to the <c>WebApplicationFactory</c> of the app under
/// test); otherwise the attempt is refused and recorded, and nothing leaves the process.
/// </remarks>
public sealed class SessionEvents
{
    /// <summary>How many deliveries a session keeps; beyond it the oldest finished ones are forgotten (counted in <see cref="Forgotten"/>).</summary>
    internal const int MaxKept = 1000;

    /// <summary>How many deliveries may wait at once; beyond it new ones are canceled at once.</summary>
    internal const int MaxPending = 10_000;

    /// <summary>How much of an answer's body an attempt keeps.</summary>
    internal const int MaxResponseBytes = 4096;

    private static readonly ActivitySource Activities = new("Archal.Testing");

    // Real HTTP only to loopback receivers; no proxy (a test's loopback app is never behind one), no redirects
    // (the services treat a 3xx as a failure).
    private static readonly HttpMessageInvoker Network = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly IDeliveryScheduler _scheduler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private readonly List<Delivery> _log = [];
    private readonly List<RouteEntry> _routes = [];
    private readonly HashSet<IDisposable> _timers = [];
    private readonly Dictionary<string, CloneOutbox> _outboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Delivery[]> _held = new(StringComparer.Ordinal);
    private TaskCompletionSource _idle = Completed();
    private int _busy;
    private int _pending;
    private long _sequence;
    private long _forgotten;
    private bool _stopped;

    internal SessionEvents(TimeProvider time, IDeliveryScheduler? scheduler = null)
    {
        _time = time;
        _scheduler = scheduler ?? new TimeProviderScheduler(time);
    }

    /// <summary>
    /// Overrides every message's own per-attempt timeout (Slack's 3 s, GitHub's 10 s) when set, for a receiver that
    /// is slow to start in a test. The default value is null: each service's own limit.
    /// </summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>A snapshot of every delivery so far, oldest first (bounded; see <see cref="Forgotten"/>).</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _log.Select(d => d.Snapshot())];
            }
        }
    }

    /// <summary>How many finished deliveries were forgotten because the session kept its maximum.</summary>
    public long Forgotten => Interlocked.Read(ref _forgotten);

    /// <summary>
    /// Completes when no delivery is queued or being attempted: every message sent so far has been delivered, has
    /// failed for good, or waits for a retry that is due later on the clock (advance a <c>FakeTimeProvider</c> and
    /// call again to see it). Never waits for the clock; each attempt is bounded by its timeout.
    /// </summary>
    public Task WhenDeliveredAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return _busy == 0 ? Task.CompletedTask : _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Delivers callbacks whose URL starts with <paramref name="urlPrefix"/> through <paramref name="handler"/>
    /// (for example <c>factory.Server.CreateHandler()</c>) in-process, with no socket. The URL is sent unchanged.
    /// Later routes with a longer prefix win. The caller keeps ownership of the handler.
    /// </summary>
    public void Route(Uri urlPrefix, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(urlPrefix);
        ArgumentNullException.ThrowIfNull(handler);
        AddRoute(new RouteEntry(urlPrefix.AbsoluteUri, new HttpMessageInvoker(handler, disposeHandler: false), null));
    }

    /// <summary>
    /// Delivers callbacks whose URL starts with <paramref name="urlPrefix"/> through <paramref name="client"/> (for
    /// example the <c>WebApplicationFactory</c> client of the app under test). When the client has a
    /// <see cref="HttpClient.BaseAddress"/>, the rest of the URL after the prefix is appended to it
    /// (<c>https://app.test/hooks/stripe</c> routed from <c>https://app.test/</c> becomes <c>{BaseAddress}hooks/stripe</c>).
    /// The caller keeps ownership of the client.
    /// </summary>
    public void Route(Uri urlPrefix, HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(urlPrefix);
        ArgumentNullException.ThrowIfNull(client);
        AddRoute(new RouteEntry(urlPrefix.AbsoluteUri, client, client.BaseAddress));
    }

    private void AddRoute(RouteEntry route)
    {
        lock (_lock)
        {
            _routes.Add(route);
        }
    }

    /// <summary>Adds a subscription to a clone of the session (set by the session: it holds the clone's gate).</summary>
    internal Action<string, EventSubscription>? Subscriber { get; set; }

    /// <summary>
    /// Subscribes to a clone's events the way the service configures them outside its API (Slack's Events API request
    /// URL, signing secret and event names). The clone verifies the URL first (Slack's <c>url_verification</c>
    /// challenge), then sends each event the subscription names. The same as
    /// <c>POST /api/sessions/{id}/subscriptions</c>.
    /// </summary>
    /// <param name="cloneId">The clone (for example <c>slack</c>).</param>
    /// <param name="subscription">Where to send, the signing secret and the events.</param>
    /// <exception cref="ArgumentException">The session has no such clone, or the subscription is invalid (the message says why).</exception>
    /// <exception cref="NotSupportedException">The clone's events are configured through its own API instead (GitHub, Stripe).</exception>
    public void Subscribe(string cloneId, EventSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(cloneId);
        ArgumentNullException.ThrowIfNull(subscription);
        (Subscriber ?? throw new InvalidOperationException("This session takes no subscriptions."))(cloneId, subscription);
    }

    /// <summary>
    /// Decides the delivery faults of each message as the clone sends it (set by the session from its fault rules);
    /// null injects none.
    /// </summary>
    internal Func<WebhookMessage, DeliveryFault?>? Faults { get; set; }

    /// <summary>The outbox a clone's state sends through.</summary>
    internal WebhookOutbox OutboxFor(string cloneId)
    {
        lock (_lock)
        {
            if (!_outboxes.TryGetValue(cloneId, out var outbox))
            {
                _outboxes[cloneId] = outbox = new CloneOutbox(this, cloneId);
            }

            return outbox;
        }
    }

    /// <summary>Stops delivering: queued and waiting deliveries are canceled, attempts in flight are aborted.</summary>
    internal void Stop()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
            _held.Clear();
            foreach (var delivery in _log.Where(d => d.Status == WebhookDeliveryStatus.Pending))
            {
                delivery.Status = WebhookDeliveryStatus.Canceled;
            }

            _pending = 0;
            _busy = 0;
            _idle.TrySetResult();
        }

        _stop.Cancel();
    }

    private void Send(WebhookMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            var delivery = new Delivery(++_sequence, message);
            Keep(delivery);
            if (_stopped || _pending >= MaxPending)
            {
                delivery.Status = WebhookDeliveryStatus.Canceled;
                return;
            }

            _pending++;
            var fault = Faults?.Invoke(message);
            Delivery[] batch = [delivery];
            if (fault?.DuplicateRuleId is { } duplicateBy && _pending < MaxPending)
            {
                // The same message again: the same body (event id) and the same headers for a first attempt (GitHub's
                // delivery GUID, no Slack retry header), as when the service itself sends an event twice.
                var copy = new Delivery(++_sequence, message) { Fault = "duplicate", FaultRuleId = duplicateBy };
                Keep(copy);
                _pending++;
                batch = [delivery, copy];
            }

            var key = message.Url.AbsoluteUri;
            if (_held.Remove(key, out var held))
            {
                // This is the next delivery to the target: it goes first, then the held one.
                batch = [.. batch, .. held];
            }
            else if (fault?.ReorderRuleId is { } reorderBy)
            {
                delivery.Fault = "reorder";
                delivery.FaultRuleId = reorderBy;
                _held[key] = batch;
                return;
            }

            foreach (var item in batch)
            {
                Enqueue(item);
            }
        }
    }

    private void Keep(Delivery delivery)
    {
        _log.Add(delivery);
        if (_log.Count > MaxKept)
        {
            var index = _log.FindIndex(d => d.Status != WebhookDeliveryStatus.Pending);
            if (index >= 0)
            {
                _log.RemoveAt(index);
                _forgotten++;
            }
        }
    }

    /// <summary>Puts a delivery at the end of its target's queue; the target's one pump sends it. Under the lock.</summary>
    private void Enqueue(Delivery delivery)
    {
        var key = delivery.Message.Url.AbsoluteUri;
        if (!_targets.TryGetValue(key, out var target))
        {
            _targets[key] = target = new Target();
        }

        target.Queue.Enqueue(delivery);
        if (_busy++ == 0)
        {
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (!target.Running)
        {
            target.Running = true;
            _ = Task.Run(() => PumpAsync(key, target));
        }
    }

    private async Task PumpAsync(string key, Target target)
    {
        while (true)
        {
            Delivery delivery;
            lock (_lock)
            {
                if (_stopped || !target.Queue.TryDequeue(out delivery!))
                {
                    target.Running = false;
                    if (target.Queue.Count == 0)
                    {
                        _targets.Remove(key);
                    }

                    return;
                }
            }

            var attempt = await AttemptAsync(delivery).ConfigureAwait(false);
            lock (_lock)
            {
                if (_stopped)
                {
                    continue;
                }

                delivery.Attempts.Add(attempt);
                var retries = delivery.Message.RetryDelays;
                if (attempt.Succeeded)
                {
                    Finish(delivery, WebhookDeliveryStatus.Delivered);
                }
                else if (attempt.Failure != WebhookFailure.Refused && delivery.Attempts.Count <= retries.Count)
                {
                    Retry(delivery, retries[delivery.Attempts.Count - 1]);
                }
                else
                {
                    Finish(delivery, WebhookDeliveryStatus.Failed);
                }

                if (--_busy == 0)
                {
                    _idle.TrySetResult();
                }
            }
        }
    }

    private void Finish(Delivery delivery, WebhookDeliveryStatus status)
    {
        delivery.Status = status;
        _pending--;
    }

    private void Retry(Delivery delivery, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Enqueue(delivery);
            return;
        }

        // Called under the lock, so the callback (which takes it) cannot run before the timer is kept.
        var holder = new IDisposable?[1];
        holder[0] = _scheduler.Schedule(delay, () =>
        {
            lock (_lock)
            {
                if (_stopped)
                {
                    return;
                }

                _timers.Remove(holder[0]!);
                Enqueue(delivery);
            }
        });
        _timers.Add(holder[0]!);
    }

    private async Task<WebhookAttempt> AttemptAsync(Delivery delivery)
    {
        var message = delivery.Message;
        int number;
        WebhookFailure previous;
        RouteEntry? route;
        lock (_lock)
        {
            number = delivery.Attempts.Count + 1;
            previous = number == 1 ? WebhookFailure.None : delivery.Attempts[^1].Failure;
            route = _routes.Where(r => message.Url.AbsoluteUri.StartsWith(r.Prefix, StringComparison.OrdinalIgnoreCase))
                .MaxBy(r => r.Prefix.Length);
        }

        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var headers = message.Headers(new WebhookAttemptContext(number, startedAt, previous)).ToList();
        var url = route?.BaseAddress is { } baseAddress
            ? new Uri(baseAddress, message.Url.AbsoluteUri[route.Prefix.Length..])
            : message.Url;
        var sent = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = message.ContentType };
        foreach (var (name, value) in headers)
        {
            sent[name] = value;
        }

        WebhookAttempt Result(int? status, WebhookFailure failure, string? error, HttpResponseMessage? response = null, string? body = null) => new()
        {
            Number = number,
            StartedAt = startedAt,
            Duration = _time.GetElapsedTime(started),
            Url = url.AbsoluteUri,
            RequestHeaders = sent,
            Status = status,
            ResponseHeaders = response is null ? new Dictionary<string, string>() : ResponseHeaders(response),
            ResponseBody = body,
            Failure = failure,
            Error = error,
        };

        var invoker = route?.Invoker ?? (url.IsLoopback ? Network : null);
        if (invoker is null)
        {
            return Result(null, WebhookFailure.Refused,
                $"refused: {url.Host} is not a loopback host; deliver in-process with session.Events.Route(new Uri(\"{url.GetLeftPart(UriPartial.Authority)}/\"), handler)");
        }

        using var activity = Activities.StartActivity($"{message.CloneId} webhook {message.EventType}", ActivityKind.Client);
        activity?.SetTag("archal.clone", message.CloneId);
        activity?.SetTag("archal.event", message.EventType);
        activity?.SetTag("archal.attempt", number);
        activity?.SetTag("url.full", url.AbsoluteUri);
        var timeout = AttemptTimeout ?? message.Timeout;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cancel.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(message.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(message.ContentType);
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        WebhookAttempt result;
        try
        {
            using var response = await invoker.SendAsync(request, cancel.Token).ConfigureAwait(false);
            var body = await ReadPrefixAsync(response, cancel.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var refusal = status is < 200 or > 299 ? $"HTTP {status}" : message.Validate?.Invoke(status, body ?? "");
            result = Result(status, refusal is null ? WebhookFailure.None : WebhookFailure.HttpError, refusal, response, body);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            result = Result(null, WebhookFailure.Timeout, $"timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException)
        {
            result = Result(null, WebhookFailure.Unknown, "canceled: the session ended");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            result = Result(null, WebhookFailure.ConnectionFailed, $"connection failed: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An in-process receiver that throws is a failed delivery, never a crash of the session.
            result = Result(null, WebhookFailure.Unknown, $"{e.GetType().Name}: {e.Message}");
        }

        activity?.SetTag("http.response.status_code", result.Status);
        activity?.SetStatus(result.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Error);
        return result;
    }

    private static async Task<string?> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxResponseBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    private static Dictionary<string, string> ResponseHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        return headers;
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private sealed record RouteEntry(string Prefix, HttpMessageInvoker Invoker, Uri? BaseAddress);

    private sealed class Target
    {
        public Queue<Delivery> Queue { get; } = new();

        public bool Running { get; set; }
    }

    private sealed class Delivery(long sequence, WebhookMessage message)
    {
        public long Sequence { get; } = sequence;

        public WebhookMessage Message { get; } = message;

        public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Pending;

        public List<WebhookAttempt> Attempts { get; } = [];

        public string? Fault { get; set; }

        public string? FaultRuleId { get; set; }

        public WebhookDelivery Snapshot() => new()
        {
            Sequence = Sequence,
            Message = Message,
            Status = Status,
            Attempts = [.. Attempts],
            Fault = Fault,
            FaultRuleId = FaultRuleId,
        };
    }

    private sealed class CloneOutbox(SessionEvents events, string cloneId) : WebhookOutbox
    {
        public override void Send(WebhookMessage message) => events.Send(message);

        public override IReadOnlyList<WebhookDelivery> Deliveries
        {
            get
            {
                lock (events._lock)
                {
                    return [.. events._log.Where(d => d.Message.CloneId == cloneId).Select(d => d.Snapshot())];
                }
            }
        }
    }
}

/// <summary>The delivery faults the session's rules inject on one message: the rule that duplicates it and the rule that reorders it, or null.</summary>
internal sealed record DeliveryFault(string? DuplicateRuleId, string? ReorderRuleId);

/// <summary>
/// When a retry runs. The default follows the host's <see cref="TimeProvider"/> (a <c>FakeTimeProvider</c> fires it
/// when advanced); a session clock can stand in.
/// </summary>
internal interface IDeliveryScheduler
{
    /// <summary>Runs <paramref name="callback"/> once after <paramref name="delay"/>; disposing the result cancels it.</summary>
    IDisposable Schedule(TimeSpan delay, Action callback);
}

internal sealed class TimeProviderScheduler(TimeProvider time) : IDeliveryScheduler
{
    public IDisposable Schedule(TimeSpan delay, Action callback) =>
        time.CreateTimer(_ => callback(), null, delay, Timeout.InfiniteTimeSpan);
}
