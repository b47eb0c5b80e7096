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
    public SessionSnapshot(string id, SessionRecord source, IReadOnlyDictionary<string, StateTemplate> templates, SessionFaults faults, DateTimeOffset createdAt)
    {
        Id = id;
        OwnerId = source.OwnerId;
        SourceSessionId = source.Id;
        CloneIds = source.CloneIds;
        Clones = source.Clones;
        RandomSeed = source.RandomSeed;
        SourceRequest = source.Request;
        // Forks share these templates until they first use a clone (and the packed "initial state" their diffs read).
        Templates = templates;
        Faults = faults;
        CreatedAt = createdAt;
        ClockOffset = source.Clock.Offset;
    }

    public string Id { get; }

    public string OwnerId { get; }

    public string SourceSessionId { get; }

    public IReadOnlyList<string> CloneIds { get; }

    public IReadOnlyDictionary<string, CloneDefinition> Clones { get; }

    public int RandomSeed { get; }

    public CreateSessionRequest SourceRequest { get; }

    /// <summary>Every clone's state, immutable: forks start from these (copy on first use).</summary>
    public IReadOnlyDictionary<string, StateTemplate> Templates { get; }

    public SessionFaults Faults { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>How far the source session's clock was ahead of the host's when the snapshot was taken; a fork's clock starts there.</summary>
    public TimeSpan ClockOffset { get; }

    public JsonObject ToJson() => new()
    {
        ["snapshotId"] = Id,
        ["sessionId"] = SourceSessionId,
        ["createdAt"] = SessionSummary.Timestamp(CreatedAt),
        ["clones"] = new JsonArray([.. CloneIds.Select(c => (JsonNode?)c)]),
        ["faults"] = Faults.Count,
    };

    /// <summary>Takes a snapshot of <paramref name="session"/>, holding every used clone's gate (in clone order) so the copy is consistent.</summary>
    public static SessionSnapshot Take(string id, SessionRecord session, DateTimeOffset now)
    {
        // A clone the session has not used yet is still its seed template, which never changes: the snapshot shares it.
        var used = session.CloneIds.Where(c => session.States.IfCopied(c) is not null).Select(c => session.States[c]).ToList();
        var taken = new List<CloneState>();
        try
        {
            foreach (var state in used)
            {
                state.Gate.Wait();
                taken.Add(state);
            }

            var templates = session.CloneIds.ToDictionary(
                c => c,
                c => session.States.IfCopied(c) is { } state && taken.Contains(state)
                    ? new StateTemplate(state.CopyFor(state.Seed), SeedSnapshot.PackState)
                    : session.States.Slot(c).Template,
                StringComparer.Ordinal);
            return new SessionSnapshot(id, session, templates, session.Faults.Copy(), now);
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
