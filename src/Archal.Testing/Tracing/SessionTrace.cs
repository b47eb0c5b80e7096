namespace Archal.Testing.Tracing;

/// <summary>
/// The calls recorded for one session, in order. Thread-safe; bounded by
/// <see cref="Hosting.ArchalHostOptions.MaxTraceEntriesPerSession"/> (later calls are counted in
/// <see cref="Dropped"/>, never silently lost).
/// </summary>
public sealed class SessionTrace
{
    private readonly Lock _lock = new();
    private readonly List<TraceEntry> _entries = [];
    private readonly int _capacity;
    private long _sequence;
    private long _dropped;

    internal SessionTrace(string rootTraceId, int capacity)
    {
        RootTraceId = rootTraceId;
        _capacity = capacity;
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
            if (_entries.Count >= _capacity)
            {
                _dropped++;
                return;
            }

            // Calls on different clones of one session may finish out of order: keep sequence order.
            var index = _entries.Count;
            while (index > 0 && _entries[index - 1].Sequence > entry.Sequence)
            {
                index--;
            }

            _entries.Insert(index, entry);
        }
    }
}
