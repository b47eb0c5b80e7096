namespace Archal.Testing.Hosting;

/// <summary>
/// A clock that moves only when told to: hand it to <see cref="ArchalHostOptions.TimeProvider"/> to test
/// expiry, ages ("updated 120 days ago") and anything else time-dependent without waiting.
/// </summary>
/// <remarks>Timers created from it run on real time; the host does not use timers.</remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now;
    private long _timestamp;

    /// <summary>Starts the clock at <paramref name="start"/>.</summary>
    /// <param name="start">The initial time. The default value is 2026-01-01T00:00:00Z.</param>
    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _timestamp;
        }
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_lock)
        {
            _now += by;
            _timestamp += by.Ticks;
        }
    }
}
