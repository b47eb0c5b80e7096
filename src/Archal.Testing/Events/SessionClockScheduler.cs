using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Events;

/// <summary>
/// Webhook retries on the session clock: a retry due at the session's now plus its delay runs when the host clock gets
/// there (a <c>FakeTimeProvider</c> advanced, or real time), or as soon as the session clock is moved past it
/// (<c>session.Clock.AdvanceAsync</c>, <c>POST /api/sessions/{id}/clock</c>), whichever comes first — once.
/// </summary>
internal sealed class SessionClockScheduler : IDeliveryScheduler
{
    private readonly SessionClock _clock;
    private readonly TimeProvider _host;
    private readonly Lock _lock = new();
    private readonly List<Entry> _due = [];

    public SessionClockScheduler(SessionClock clock, TimeProvider host)
    {
        _clock = clock;
        _host = host;
        clock.OnMoved(RunDue);
    }

    public IDisposable Schedule(TimeSpan delay, Action callback)
    {
        var entry = new Entry(this, _clock.Now + delay, callback);
        lock (_lock)
        {
            _due.Add(entry);
        }

        entry.Timer = _host.CreateTimer(static e => ((Entry)e!).Run(), entry, delay, Timeout.InfiniteTimeSpan);
        return entry;
    }

    private void RunDue(DateTimeOffset now)
    {
        Entry[] due;
        lock (_lock)
        {
            due = [.. _due.Where(e => e.At <= now).OrderBy(e => e.At)];
        }

        foreach (var entry in due)
        {
            entry.Run();
        }
    }

    private sealed class Entry(SessionClockScheduler owner, DateTimeOffset at, Action callback) : IDisposable
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
                owner._due.Remove(this);
            }
        }
    }
}
