using System.Text.Json;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Releases ended sessions (deleted or expired) once they have been over for the host's retention: each keeps its
/// summary, and its final run record is first written to the run-record directory when the host has one. A timer on
/// the host's <see cref="TimeProvider"/> sweeps (so a manual clock drives it in tests); no thread or timer per session.
/// </summary>
internal sealed class SessionReaper : IDisposable
{
    /// <summary>How many released summaries the host keeps; the oldest go first.</summary>
    internal const int MaxReleasedSummaries = 10_000;

    private readonly ArchalRuntime _runtime;
    private readonly ITimer _timer;
    private int _sweeping;

    public SessionReaper(ArchalRuntime runtime)
    {
        _runtime = runtime;
        var retention = runtime.Options.EndedSessionRetention;
        var period = TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 2, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));
        _timer = runtime.Time.CreateTimer(_ => Sweep(), null, period, period);
    }

    private TimeSpan Retention => _runtime.Options.EndedSessionRetention;

    /// <summary>Called when a session ends: with no retention it is released now.</summary>
    public void Ended(SessionRecord session)
    {
        if (Retention <= TimeSpan.Zero)
        {
            Release(session, _runtime.Time.GetUtcNow());
        }
    }

    /// <summary>Releases every session that ended at least the retention ago, and forgets the oldest summaries past the cap.</summary>
    public void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _runtime.Time.GetUtcNow();
            var released = 0;
            foreach (var session in _runtime.Sessions.All)
            {
                if (session.ReleasedAt is not null)
                {
                    released++;
                }
                else if (session.StatusAt(now) == SessionStatus.Ended && session.EndedAt is { } ended && ended + Retention <= now)
                {
                    Release(session, now);
                    released++;
                }
            }

            if (released > MaxReleasedSummaries)
            {
                foreach (var old in _runtime.Sessions.All.Where(s => s.ReleasedAt is not null)
                    .OrderBy(s => s.ReleasedAt).Take(released - MaxReleasedSummaries).ToList())
                {
                    _runtime.Sessions.Remove(old.Id);
                }
            }
        }
        catch (Exception)
        {
            // A timer callback must never take the process down; the next sweep tries again.
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private void Release(SessionRecord session, DateTimeOffset now)
    {
        if (session.ReleasedAt is not null)
        {
            return;
        }

        if (_runtime.Options.RunRecordDirectory is { } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
                // Absolute: the run endpoint serves it as a physical file, whatever the working directory is then.
                var path = Path.GetFullPath(Path.Combine(directory, $"{session.RunId}.json"));
                using (var file = File.Create(path))
                using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
                {
                    // Streamed to disk: a large trace is never whole in memory. Synchronous: this runs on the sweep timer.
                    RunRecordJson.WriteRunRecordAsync(writer, session, _runtime.Origin, now, () =>
                    {
                        writer.Flush();
                        return Task.CompletedTask;
                    }).GetAwaiter().GetResult();
                }

                session.RunRecordPath = path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The record could not be kept on disk; the session is released all the same (memory comes first).
            }
        }

        _runtime.Sessions.Replace(session, session.ReleasedCopy(now));
    }

    public void Dispose() => _timer.Dispose();
}
