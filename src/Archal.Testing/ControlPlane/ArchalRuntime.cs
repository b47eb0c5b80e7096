using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// What the control plane, the route hop and the recorder need of the host's options, as plain values: the
/// dependency points from Hosting to the control plane, never back.
/// </summary>
internal sealed record RuntimeSettings(
    IReadOnlyList<CloneDefinition> Clones,
    TimeProvider TimeProvider,
    int RandomSeed,
    string? Token,
    string DefaultOwner,
    TimeSpan DefaultSessionTtl,
    bool RecordTraces,
    int MaxTraceEntriesPerSession,
    int MaxTraceBodyBytes,
    int MaxRequestBodyBytes)
{
    public long MaxTraceBytesPerSession { get; init; } = long.MaxValue;

    public TimeSpan EndedSessionRetention { get; init; } = TimeSpan.FromMinutes(1);

    public string? RunRecordDirectory { get; init; }
}

/// <summary>The host's shared state: clones, tokens and sessions. One per host.</summary>
internal sealed class ArchalRuntime : IDisposable
{
    private readonly Dictionary<string, CloneDefinition> _clones;

    public ArchalRuntime(RuntimeSettings options)
    {
        Options = options;
        Time = options.TimeProvider;
        _clones = options.Clones.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Redactor = new Tracing.Redactor(options.Clones);
        Tokens = new ArchalTokenStore(Time);
        Sessions = new SessionStore();
        Authentication = new ArchalAuthentication(Tokens, Sessions);
        DefaultToken = options.Token is { } fixedToken
            ? Tokens.Register(new ArchalToken(fixedToken, options.DefaultOwner,
                fixedToken.StartsWith("archal_ws_", StringComparison.Ordinal) ? ArchalTokenKind.Workspace : ArchalTokenKind.Personal,
                ArchalScopes.All, null, "default"))
            : Tokens.IssuePersonalToken(options.DefaultOwner);
        Reaper = new SessionReaper(this);
    }

    /// <summary>Releases ended sessions after their retention.</summary>
    public SessionReaper Reaper { get; }

    /// <summary>The host's origin (for run records written to disk); set once the host is listening.</summary>
    public string Origin { get; set; } = "http://localhost";

    public void Dispose() => Reaper.Dispose();

    public RuntimeSettings Options { get; }

    /// <summary>Redacts traces with Archal's and this host's clones' secrets.</summary>
    public Tracing.Redactor Redactor { get; }

    public TimeProvider Time { get; }

    public ArchalTokenStore Tokens { get; }

    public SessionStore Sessions { get; }

    public SnapshotStore Snapshots { get; } = new();

    /// <summary>Seeded states shared by the sessions that start from the same seed.</summary>
    public SeedTemplates SeedTemplates { get; } = new();

    public ArchalAuthentication Authentication { get; }

    public ArchalToken DefaultToken { get; }

    public IReadOnlyCollection<CloneDefinition> Clones => _clones.Values;

    public CloneDefinition? FindClone(string id) => _clones.GetValueOrDefault(id);

    /// <summary>Builds a session (and its clone states) from a validated request.</summary>
    /// <exception cref="CloneSeedException">A seed could not be applied.</exception>
    /// <remarks><paramref name="clockOffset"/>: where the session clock starts relative to the host's (zero: now; a snapshot's <see cref="SessionClock.Offset"/> restores it).</remarks>
    public SessionRecord BuildSession(CreateSessionRequest request, string ownerId, string status, TimeSpan clockOffset = default)
    {
        if (request.SnapshotId is not null && Snapshots.Find(request.SnapshotId) is { } snapshot)
        {
            return StateControl.Fork(this, snapshot, request, ownerId, status);
        }

        var id = Sessions.NewId();
        var now = Time.GetUtcNow();
        var randomSeed = request.RandomSeed ?? Options.RandomSeed;
        var definitions = new Dictionary<string, CloneDefinition>(StringComparer.Ordinal);
        var slots = new Dictionary<string, CloneStateSlot>(StringComparer.Ordinal);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        // Each session reads time through its own clock, which starts at the host's time (or a snapshot's offset).
        var clock = new SessionClock(Time, clockOffset);
        var epoch = SeedTemplates.Epoch(clock.Now);
        foreach (var cloneId in request.Clones)
        {
            var clone = _clones[cloneId];
            var seedName = request.Seeds.GetValueOrDefault(cloneId) ?? clone.DefaultSeed;
            definitions[cloneId] = clone;
            resolved[cloneId] = seedName;
            if (status != SessionStatus.Preflight)
            {
                // The seed is built once and shared; the session copies it on first use.
                var template = SeedTemplates.Get(clone, seedName, randomSeed, request.SeedData.GetValueOrDefault(cloneId), epoch);
                slots[cloneId] = new CloneStateSlot(template, id, clock);
            }
        }

        var states = new SessionStates(slots);
        clock.Attach(states.Slots);
        var ttl = request.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : Options.DefaultSessionTtl;
        // The session keeps no private copy of its seed data (a seed file can be megabytes): the templates hold it, shared.
        var kept = request.SeedData.Count == 0 ? request : request with
        {
            SeedData = slots.Where(s => s.Value.Template.Seed.Data is not null).ToDictionary(s => s.Key, s => s.Value.Template.Seed.Data!, StringComparer.Ordinal),
            Objects = new System.Text.Json.Nodes.JsonObject(request.Objects.Where(o => o.Key != "seeds").Select(o => KeyValuePair.Create(o.Key, o.Value?.DeepClone()))),
        };
        var session = new SessionRecord(id, ownerId, kept, definitions, states, resolved, randomSeed, now, now + ttl, status, Options.MaxTraceEntriesPerSession, Options.MaxTraceBytesPerSession)
        {
            Redactor = Redactor,
            Clock = clock,
            Events = new Events.SessionEvents(Time, new Events.SessionClockScheduler(clock)),
        };
        foreach (var fault in request.Faults)
        {
            session.Faults.Add(fault);
        }

        WireEvents(session);
        return session;
    }

    /// <summary>
    /// Connects a built session's clones to its event deliveries: each state sends through the session's outbox (set
    /// after seeding, so seeded history is not announced) and subscriptions reach the clone under the session's gate.
    /// </summary>
    internal static void WireEvents(SessionRecord session)
    {
        foreach (var cloneId in session.States.Keys)
        {
            var outbox = session.Events.OutboxFor(cloneId);
            session.States.Slot(cloneId).Wire(state => state.Webhooks = outbox);
        }

        session.Events.Faults = session.Faults.DecideDelivery;
        session.Events.Subscriber = (cloneId, subscription) =>
        {
            if (!session.States.ContainsKey(cloneId))
            {
                throw new ArgumentException($"Session '{session.Id}' has no '{cloneId}' clone; it has {string.Join(", ", session.CloneIds)}.", nameof(cloneId));
            }

            session.Read(cloneId, state =>
            {
                session.Clones[cloneId].Subscribe(state, subscription);
                return true;
            });
        };
    }
}
