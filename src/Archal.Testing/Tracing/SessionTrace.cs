namespace Archal.Testing.Tracing;

/// <summary>
/// The calls recorded for one session, in order. Thread-safe; bounded by
/// <see cref="Hosting.ArchalHostOptions.MaxTraceEntriesPerSession"/> and
/// <see cref="Hosting.ArchalHostOptions.MaxTraceBytesPerSession"/> (later calls are counted in
/// <see cref="Dropped"/>, never silently lost).
/// </summary>
public sealed class SessionTrace
{
    private readonly Lock _lock = new();
    private readonly List<TraceEntry> _entries = [];
    private readonly int _capacity;
    private readonly long _maxBytes;
    private long _sequence;
    private long _dropped;
    private long _bytes;
    private bool _released;

    internal SessionTrace(string rootTraceId, int capacity, long maxBytes = long.MaxValue)
    {
        RootTraceId = rootTraceId;
        _capacity = capacity;
        _maxBytes = maxBytes;
    }

    /// <summary>About how many bytes the kept entries hold (bodies, headers, mutations and the entry itself).</summary>
    internal long RetainedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Whether the host has released the entries (the session ended longer ago than its retention).</summary>
    internal bool IsReleased
    {
        get
        {
            lock (_lock)
            {
                return _released;
            }
        }
    }

    /// <summary>The session's root trace id.</summary>
    public string RootTraceId { get; }

    /// <summary>How many calls were not kept because the cap was reached.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>How many calls were made (kept + dropped).</summary>
    public long TotalCalls => Interlocked.Read(ref _sequence);

    /// <summary>A copy of the recorded entries, in sequence order.</summary>
    public IReadOnlyList<TraceEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(TraceEntry entry)
    {
        lock (_lock)
        {
            if (_released || _entries.Count >= _capacity || _bytes + entry.RetainedBytes > _maxBytes)
            {
                _dropped++;
                return;
            }

            _bytes += entry.RetainedBytes;

            // Calls on different clones of one session may finish out of order: keep sequence order.
            var index = _entries.Count;
            while (index > 0 && _entries[index - 1].Sequence > entry.Sequence)
            {
                index--;
            }

            _entries.Insert(index, entry);
        }
    }

    /// <summary>Makes this (empty) trace the released summary of <paramref name="other"/>: its counts, no entries, nothing more kept.</summary>
    internal void ReleasedFrom(SessionTrace other)
    {
        lock (_lock)
        {
            _released = true;
            _sequence = other.TotalCalls;
            _dropped = other.Dropped;
        }
    }
}
