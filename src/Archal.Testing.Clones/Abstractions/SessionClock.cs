namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// One session's clock: the host's <see cref="TimeProvider"/> plus an offset that only grows. Every clone of the
/// session reads time through it (<see cref="CloneState.Time"/>), so GitHub, Slack and Stripe timestamps follow it.
/// <see cref="AdvanceAsync"/> and <see cref="SetAsync"/> move it forward; whatever the clones have due on the way
/// (Slack scheduled messages, Stripe renewals, retries, trial ends) fires in time order, each at its own instant.
/// Pass it to the code under test as its <see cref="TimeProvider"/> to share the session's time.
/// </summary>
/// <remarks>
/// Time never moves backwards: a move to an earlier instant throws, and a host clock that steps back is held.
/// <see cref="TimeProvider.GetTimestamp"/> stays the host's, so measured durations are real ones.
/// </remarks>
public sealed class SessionClock : TimeProvider
{
    // A clone whose due work never goes away would loop forever; this many firings in one move is a clone bug.
    private const int MaxFiringsPerMove = 1_000_000;

    private readonly TimeProvider _host;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _moving = new(1, 1);
    private TimeSpan _offset;
    private DateTimeOffset _last;
    private IReadOnlyList<CloneStateSlot> _states = [];

    /// <summary>Creates a clock that reads <paramref name="host"/>'s time, <paramref name="offset"/> ahead of it.</summary>
    /// <param name="host">The host's clock.</param>
    /// <param name="offset">How far ahead of the host clock this clock starts (a restored snapshot's offset; may be negative).</param>
    public SessionClock(TimeProvider host, TimeSpan offset = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _offset = offset;
        _last = host.GetUtcNow() + offset;
    }

    /// <summary>The session's current time.</summary>
    public DateTimeOffset Now => GetUtcNow();

    /// <summary>How far this clock is ahead of the host's clock (what a snapshot keeps to restore the clock).</summary>
    public TimeSpan Offset
    {
        get
        {
            lock (_lock)
            {
                return _offset;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            var now = _host.GetUtcNow() + _offset;
            if (now < _last)
            {
                now = _last;
            }

            _last = now;
            return now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => _host.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => _host.TimestampFrequency;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => _host.LocalTimeZone;

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing what falls due on the way, in time order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative: time never moves backwards.</exception>
    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "The session clock never moves backwards: advance by zero or more.");
        }

        return MoveAsync(now => now + by, cancellationToken);
    }

    /// <summary>Sets the clock to <paramref name="to"/>, firing what falls due on the way, in time order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is before <see cref="Now"/>: time never moves backwards.</exception>
    public Task SetAsync(DateTimeOffset to, CancellationToken cancellationToken = default) =>
        MoveAsync(now => to >= now
            ? to
            : throw new ArgumentOutOfRangeException(nameof(to), to,
                $"The session clock never moves backwards: it is {now:O}, which is after {to:O}."), cancellationToken);

    /// <summary>The clone states whose due work this clock fires (the runtime attaches a session's states once).</summary>
    internal void Attach(IReadOnlyList<CloneStateSlot> states) => _states = states;

    /// <summary>
    /// Runs <paramref name="callback"/> once, when this clock reaches its now plus <paramref name="delay"/>: when the
    /// host clock gets there (a <c>FakeTimeProvider</c> advanced, or real time), or as soon as this clock is moved past
    /// it, whichever comes first. Disposing the result cancels it. (Webhook retries and injected latency use it.)
    /// </summary>
    public IDisposable Schedule(TimeSpan delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var entry = new Scheduled(this, Now + delay, callback);
        lock (_lock)
        {
            _scheduled.Add(entry);
        }

        entry.Timer = _host.CreateTimer(static e => ((Scheduled)e!).Run(), entry, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        return entry;
    }

    /// <summary>Waits until this clock reaches its now plus <paramref name="delay"/> (see <see cref="Schedule"/>).</summary>
    public async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var scheduled = Schedule(delay, () => done.TrySetResult());
        using var cancel = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        await done.Task.ConfigureAwait(false);
    }

    private readonly List<Scheduled> _scheduled = [];

    private void RunScheduled(DateTimeOffset now)
    {
        Scheduled[] due;
        lock (_lock)
        {
            due = [.. _scheduled.Where(e => e.At <= now).OrderBy(e => e.At)];
        }

        foreach (var entry in due)
        {
            entry.Run();
        }
    }

    private sealed class Scheduled(SessionClock owner, DateTimeOffset at, Action callback) : IDisposable
    {
        private int _done;

        public DateTimeOffset At => at;

        public ITimer? Timer { get; set; }

        public void Run()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Remove();
                callback();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Remove();
            }
        }

        private void Remove()
        {
            Timer?.Dispose();
            lock (owner._lock)
            {
                owner._scheduled.Remove(this);
            }
        }
    }

    private async Task MoveAsync(Func<DateTimeOffset, DateTimeOffset> target, CancellationToken cancellationToken)
    {
        await _moving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var to = target(Now);
            for (var firings = 0; ; firings++)
            {
                if (firings == MaxFiringsPerMove)
                {
                    throw new InvalidOperationException($"The session's clones fired {MaxFiringsPerMove} times in one clock move; a clone keeps work due without doing it.");
                }

                CloneStateSlot? next = null;
                var nextAt = DateTimeOffset.MaxValue;
                foreach (var slot in _states)
                {
                    DateTimeOffset? dueAt;
                    if (slot.IfCopied is not { } state)
                    {
                        // Still the shared seed: its due work is the template's (copied below if it fires).
                        dueAt = slot.PendingDueAt;
                    }
                    else
                    {
                        // Read under the gate: a call may be changing the state.
                        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            dueAt = state.NextDueAt;
                        }
                        finally
                        {
                            state.Gate.Release();
                        }
                    }

                    if (dueAt is { } at && at <= to && at < nextAt)
                    {
                        next = slot;
                        nextAt = at;
                    }
                }

                if (next is null)
                {
                    break;
                }

                MoveTo(nextAt);
                var due = next.State;
                await due.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    due.RunDue(Now);
                }
                finally
                {
                    due.Gate.Release();
                }
            }

            MoveTo(to);
        }
        finally
        {
            _moving.Release();
        }

        RunScheduled(Now);
    }

    /// <summary>Fires what <paramref name="state"/> has due by now (the runtime calls it under the state's gate before each call).</summary>
    internal void RunDue(CloneState state)
    {
        if (state.NextDueAt is { } dueAt && dueAt <= Now)
        {
            state.RunDue(Now);
        }
    }

    private void MoveTo(DateTimeOffset to)
    {
        lock (_lock)
        {
            if (to > _last)
            {
                _offset = to - _host.GetUtcNow();
                _last = to;
            }
        }
    }
}
