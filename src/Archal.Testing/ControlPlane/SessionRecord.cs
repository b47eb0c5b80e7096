using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>Session statuses, as the hosted service reports them.</summary>
internal static class SessionStatus
{
    public const string Running = "running";
    public const string Ended = "ended";
    public const string Preflight = "preflight";
}

/// <summary>One session on the host: cheap, in memory, owning one state per clone.</summary>
internal sealed class SessionRecord
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, long> _requestsByClone = new(StringComparer.Ordinal);
    private long _requestCount;
    private long _requestSequence;

    public SessionRecord(
        string id,
        string ownerId,
        CreateSessionRequest request,
        IReadOnlyDictionary<string, CloneDefinition> clones,
        SessionStates states,
        IReadOnlyDictionary<string, string> resolvedSeeds,
        int randomSeed,
        DateTimeOffset createdAt,
        DateTimeOffset expiresAt,
        string status,
        int traceCapacity,
        long traceBudgetBytes = long.MaxValue)
    {
        Id = id;
        OwnerId = ownerId;
        Request = request;
        Clones = clones;
        States = states;
        ResolvedSeeds = resolvedSeeds;
        RandomSeed = randomSeed;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        _status = status;
        RunId = "run-" + id["ses-".Length..];
        Trace = new Tracing.SessionTrace("trc-" + id["ses-".Length..], traceCapacity, traceBudgetBytes);
        Faults = new SessionFaults(randomSeed);
    }

    public string Id { get; }

    /// <summary>Redacts what exports of this session show (the host's clones' secrets).</summary>
    public Tracing.Redactor Redactor { get; init; } = Tracing.Redactor.Default;

    public Tracing.SessionTrace Trace { get; }

    /// <summary>The snapshot this session was forked from, or null for a seeded session (reset returns to it).</summary>
    public SessionSnapshot? Source { get; init; }

    /// <summary>The session's fault rules (<c>/api/sessions/{id}/faults</c>).</summary>
    public SessionFaults Faults { get; init; }

    /// <summary>The session's clock: every clone of the session reads time through it (see ClockEndpoints).</summary>
    public SessionClock Clock { get; init; } = null!;

    /// <summary>The callbacks the session's clones send (webhooks, event subscriptions); stopped when the session ends.</summary>
    public Events.SessionEvents Events { get; init; } = null!;

    public string RunId { get; }

    public string OwnerId { get; }

    public CreateSessionRequest Request { get; }

    public IReadOnlyList<string> CloneIds => Request.Clones;

    public IReadOnlyDictionary<string, CloneDefinition> Clones { get; }

    /// <summary>
    /// The clone states. Each is the session's seed template, shared with other sessions, until first read through this
    /// dictionary; then the session's own copy (see <see cref="SessionStates"/>).
    /// </summary>
    public SessionStates States { get; }

    public IReadOnlyDictionary<string, string> ResolvedSeeds { get; }

    /// <summary>The seeded state per clone as a snapshot (one array per table); a new copy on every read.</summary>
    public IReadOnlyDictionary<string, JsonObject> InitialSnapshots => States.Keys.ToDictionary(
        c => c,
        c => new JsonObject(InitialStateOf(c).Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonArray([.. t.Value.Values])))),
        StringComparer.Ordinal);

    /// <summary>
    /// The seeded state of one clone, keyed by table and entity (for diffs); a new copy on every read. It is the template's
    /// keyed snapshot, packed once and shared by every session started from that template.
    /// </summary>
    public Dictionary<string, Dictionary<string, JsonObject>> InitialStateOf(string cloneId) => SeedSnapshot.Unpack(States.Slot(cloneId).Template.Packed);

    /// <summary>Criteria results of a scenario run in this session (set by the scenario runner), or null.</summary>
    public JsonObject? CriteriaResults { get; set; }

    /// <summary>What changed in each clone since it was seeded (nothing, while the session has not copied the clone's template).</summary>
    public IReadOnlyList<StateMutation> Changes(string cloneId) =>
        States.IfCopied(cloneId) is null
            ? []
            : Read(cloneId, state => JsonDiff.Snapshots(cloneId, InitialStateOf(cloneId), state.KeyedSnapshot()));

    /// <summary>Runs <paramref name="read"/> under the clone's gate: no call of the session changes the state meanwhile.</summary>
    public T Read<T>(string cloneId, Func<CloneState, T> read)
    {
        var state = States[cloneId];
        state.Gate.Wait();
        try
        {
            return read(state);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    public int RandomSeed { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    private string _status;

    public DateTimeOffset? EndedAt { get; private set; }

    public string? EndReason { get; private set; }

    public string? LastError { get; private set; }

    public long RequestCount => Interlocked.Read(ref _requestCount);

    public IReadOnlyDictionary<string, long> RequestsByClone => _requestsByClone;

    /// <summary>The status, ending the session first when it has expired.</summary>
    public string StatusAt(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_status == SessionStatus.Running && now >= ExpiresAt)
            {
                _status = SessionStatus.Ended;
                EndedAt = ExpiresAt;
                EndReason = "expired";
                Events.Stop();
            }

            return _status;
        }
    }

    /// <summary>Ends a running session. Returns false when it had already ended.</summary>
    public bool End(DateTimeOffset now, string reason)
    {
        lock (_lock)
        {
            if (StatusAt(now) != SessionStatus.Running)
            {
                return false;
            }

            _status = SessionStatus.Ended;
            EndedAt = now;
            EndReason = reason;
            Events.Stop();
            return true;
        }
    }

    /// <summary>Counts one runtime request; false when the session's rate limit is exhausted.</summary>
    public bool TryCountRequest(string cloneId)
    {
        var count = Interlocked.Increment(ref _requestCount);
        if (Request.RateLimit is { } limit && count > limit)
        {
            Interlocked.Decrement(ref _requestCount);
            return false;
        }

        _requestsByClone.AddOrUpdate(cloneId, 1, static (_, n) => n + 1);
        return true;
    }

    /// <summary>When the host released the session's state and trace (it ended longer ago than the retention), or null.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>Where the final run record was written before the release, or null.</summary>
    public string? RunRecordPath { get; set; }

    /// <summary>
    /// The summary the host keeps once it releases an ended session: the same id, owner, request (without its seed
    /// data), timings, status and counts, with no clone state, seed snapshot or trace entries. This record is left as
    /// it is, so whoever still holds it (an <c>ArchalSession</c>) keeps reading its evidence; the host holds only the copy.
    /// </summary>
    public SessionRecord ReleasedCopy(DateTimeOffset now)
    {
        var request = Request with { SeedData = new Dictionary<string, JsonObject>(), Objects = new JsonObject() };
        var copy = new SessionRecord(Id, OwnerId, request, Clones, SessionStates.None, ResolvedSeeds, RandomSeed,
            CreatedAt, ExpiresAt, StatusAt(now), 1)
        {
            Redactor = Redactor,
            RunRecordPath = RunRecordPath,
            // The clock (its offset: GET …/clock), the stopped deliveries (evidence in the run record) and the fault rules
            // stay readable; none of them may keep the released clone states alive.
            Clock = Clock,
            Events = Events,
            Faults = Faults,
        };
        Clock?.Attach([]);
        if (Events is not null)
        {
            Events.Subscriber = null;
        }

        lock (_lock)
        {
            copy.EndedAt = EndedAt;
            copy.EndReason = EndReason;
            copy.LastError = LastError;
        }

        copy.ReleasedAt = now;
        copy._requestCount = RequestCount;
        foreach (var (cloneId, count) in _requestsByClone)
        {
            copy._requestsByClone[cloneId] = count;
        }

        copy.Trace.ReleasedFrom(Trace);
        return copy;
    }

    /// <summary>A deterministic id for the next request in this session.</summary>
    public string NextRequestId() =>
        $"{Id}-{Interlocked.Increment(ref _requestSequence):D6}";
}
