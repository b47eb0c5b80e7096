using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>Snapshots, forks and resets of sessions: copies of clone state, never re-seeding what can be copied.</summary>
internal static class StateControl
{
    /// <summary>Snapshots a session and keeps it on the host.</summary>
    public static SessionSnapshot Snapshot(ArchalRuntime runtime, SessionRecord session)
    {
        var snapshot = SessionSnapshot.Take(SnapshotStore.NewId(), session, runtime.Time.GetUtcNow());
        runtime.Snapshots.Add(snapshot);
        return snapshot;
    }

    /// <summary>
    /// A new session whose clones start as copies of the snapshot's (ids, counters and random sources continue from
    /// where the source was), with the snapshot's fault rules and an empty trace.
    /// </summary>
    public static SessionRecord Fork(ArchalRuntime runtime, SessionSnapshot snapshot, CreateSessionRequest request, string ownerId, string status)
    {
        var id = runtime.Sessions.NewId();
        var now = runtime.Time.GetUtcNow();
        var slots = new Dictionary<string, CloneStateSlot>(StringComparer.Ordinal);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        // A fork has a clock of its own, starting where the source's clock was when the snapshot was taken.
        var clock = new SessionClock(runtime.Time, snapshot.ClockOffset);
        foreach (var cloneId in snapshot.CloneIds)
        {
            resolved[cloneId] = "snapshot:" + snapshot.Id;
            if (status != SessionStatus.Preflight)
            {
                // The fork shares the snapshot's state until it first uses the clone.
                var template = snapshot.Templates[cloneId];
                slots[cloneId] = new CloneStateSlot(template, id, clock);
            }
        }

        var states = new SessionStates(slots);
        clock.Attach(states.Slots);

        var forkRequest = request with
        {
            Clones = snapshot.CloneIds,
            RandomSeed = snapshot.RandomSeed,
            Seeds = snapshot.SourceRequest.Seeds,
            SeedData = snapshot.SourceRequest.SeedData,
        };
        var ttl = request.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : runtime.Options.DefaultSessionTtl;
        var session = new SessionRecord(id, ownerId, forkRequest, snapshot.Clones, states, resolved, snapshot.RandomSeed, now, now + ttl, status,
            runtime.Options.MaxTraceEntriesPerSession, runtime.Options.MaxTraceBytesPerSession)
        {
            Redactor = runtime.Redactor,
            Clock = clock,
            Events = new Events.SessionEvents(runtime.Time, new Events.SessionClockScheduler(clock)),
            Source = snapshot,
            Faults = snapshot.Faults.Copy(),
        };
        foreach (var fault in request.Faults)
        {
            session.Faults.Add(fault);
        }

        ArchalRuntime.WireEvents(session);

        return session;
    }

    /// <summary>
    /// Returns clones to their seed: a seeded session's clones become copies of their seed template again (the same data,
    /// timestamps, ids and random sequence as at creation); a fork's go back to its snapshot. Fault rules and the trace stay.
    /// </summary>
    public static void Reset(SessionRecord session, IEnumerable<string> cloneIds)
    {
        foreach (var cloneId in cloneIds)
        {
            if (session.States.IfCopied(cloneId) is null)
            {
                // Never used: it is still the template.
                continue;
            }

            var template = session.States.Slot(cloneId).Template;
            session.Read(cloneId, live =>
            {
                template.ResetInto(live);
                return true;
            });
        }
    }
}
