using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// An immutable copy of a session: every clone's state (entities, bookkeeping and random sources at their position)
/// and its fault rules with their counters. Forks copy it again, so none of them shares anything mutable with it.
/// </summary>
internal sealed class SessionSnapshot
{
    private readonly Lock _copyLock = new();
    private readonly Lazy<IReadOnlyDictionary<string, byte[]>> _packed;

    public SessionSnapshot(string id, SessionRecord source, IReadOnlyDictionary<string, CloneState> states, SessionFaults faults, DateTimeOffset createdAt)
    {
        Id = id;
        OwnerId = source.OwnerId;
        SourceSessionId = source.Id;
        CloneIds = source.CloneIds;
        Clones = source.Clones;
        RandomSeed = source.RandomSeed;
        SourceRequest = source.Request;
        States = states;
        Faults = faults;
        CreatedAt = createdAt;
        ClockOffset = source.Clock.Offset;
        // Computed once and shared by every fork as its "initial state" (what Changes diff against): packed, immutable bytes.
        _packed = new(() => States.ToDictionary(s => s.Key, s => SeedSnapshot.Pack(s.Value.KeyedSnapshot()), StringComparer.Ordinal));
    }

    public string Id { get; }

    public string OwnerId { get; }

    public string SourceSessionId { get; }

    public IReadOnlyList<string> CloneIds { get; }

    public IReadOnlyDictionary<string, CloneDefinition> Clones { get; }

    public int RandomSeed { get; }

    public CreateSessionRequest SourceRequest { get; }

    public IReadOnlyDictionary<string, CloneState> States { get; }

    public SessionFaults Faults { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>How far the source session's clock was ahead of the host's when the snapshot was taken; a fork's clock starts there.</summary>
    public TimeSpan ClockOffset { get; }

    /// <summary>Every clone's state as a packed keyed snapshot (<see cref="SeedSnapshot"/>), the initial state of each fork.</summary>
    public IReadOnlyDictionary<string, byte[]> PackedStates => _packed.Value;

    /// <summary>A fresh, independent copy of one clone's state for session <paramref name="sessionId"/>, reading time from <paramref name="clock"/>.</summary>
    public CloneState CopyState(string cloneId, string sessionId, TimeProvider clock)
    {
        var state = States[cloneId];
        // Copies read the snapshot's JSON nodes; one at a time, since a node may build its members on first read.
        lock (_copyLock)
        {
            return state.CopyFor(state.Seed with { SessionId = sessionId, Time = clock });
        }
    }

    public JsonObject ToJson() => new()
    {
        ["snapshotId"] = Id,
        ["sessionId"] = SourceSessionId,
        ["createdAt"] = SessionSummary.Timestamp(CreatedAt),
        ["clones"] = new JsonArray([.. CloneIds.Select(c => (JsonNode?)c)]),
        ["faults"] = Faults.Count,
    };

    /// <summary>Takes a snapshot of <paramref name="session"/>, holding every clone's gate (in clone order) so the copy is consistent.</summary>
    public static SessionSnapshot Take(string id, SessionRecord session, DateTimeOffset now)
    {
        var gates = session.CloneIds.Select(c => session.States[c]).ToList();
        var taken = new List<CloneState>();
        try
        {
            foreach (var state in gates)
            {
                state.Gate.Wait();
                taken.Add(state);
            }

            var states = session.CloneIds.ToDictionary(c => c, c => session.States[c].CopyFor(session.States[c].Seed), StringComparer.Ordinal);
            return new SessionSnapshot(id, session, states, session.Faults.Copy(), now);
        }
        finally
        {
            foreach (var state in taken)
            {
                state.Gate.Release();
            }
        }
    }

}

/// <summary>The host's snapshots, by id. A snapshot lives until it is deleted or the host stops.</summary>
internal sealed class SnapshotStore
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private readonly ConcurrentDictionary<string, SessionSnapshot> _snapshots = new(StringComparer.Ordinal);

    public int Count => _snapshots.Count;

    /// <summary>A new unguessable id (a cryptographic random source, like session ids).</summary>
    public static string NewId() => "snap-" + System.Security.Cryptography.RandomNumberGenerator.GetString(IdAlphabet, 20);

    public void Add(SessionSnapshot snapshot) => _snapshots[snapshot.Id] = snapshot;

    public SessionSnapshot? Find(string id) => _snapshots.GetValueOrDefault(id);

    public bool Remove(string id) => _snapshots.TryRemove(id, out _);
}
