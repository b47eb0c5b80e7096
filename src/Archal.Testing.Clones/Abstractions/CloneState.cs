using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// One session's data for one clone. Subclasses keep their entities in <see cref="EntityTable{T}"/>s
/// created with <see cref="CreateTable{T}"/>, so snapshots and the trace's state mutations come for free.
/// </summary>
/// <remarks>
/// The runtime serializes requests per state (one at a time), so clone handlers need no locking of
/// their own. Ids and generated data must come from <see cref="Random"/> and <see cref="Time"/>.
/// </remarks>
public abstract class CloneState
{
    private readonly List<IEntityTable> _tables = [];
    private List<StateMutation>? _mutations;

    /// <summary>Creates the state for the clone <paramref name="cloneId"/> from <paramref name="seed"/>.</summary>
    protected CloneState(string cloneId, CloneSeedContext seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        CloneId = cloneId;
        Seed = seed;
        Random = new DeterministicRandom(StableHash.Combine(seed.RandomSeed, cloneId));
    }

    /// <summary>The clone this state belongs to.</summary>
    public string CloneId { get; }

    /// <summary>How the state was seeded.</summary>
    public CloneSeedContext Seed { get; }

    /// <summary>The session's deterministic random source for this clone.</summary>
    public DeterministicRandom Random { get; }

    /// <summary>The session's clock (a <see cref="SessionClock"/> when the runtime built the state).</summary>
    public TimeProvider Time => Seed.Time;

    /// <summary>
    /// The earliest instant at which this state has work waiting for the clock (a scheduled message, a renewal),
    /// or null. The session's <see cref="SessionClock"/> reads it to fire due work in time order across clones.
    /// </summary>
    public virtual DateTimeOffset? NextDueAt => null;

    /// <summary>
    /// Does the work due at or before <paramref name="now"/>, earliest first (called under the state's gate, as the clock
    /// passes <see cref="NextDueAt"/> and before each call). Afterwards <see cref="NextDueAt"/> must be later than <paramref name="now"/> or null.
    /// </summary>
    /// <param name="now">The session's time.</param>
    public virtual void RunDue(DateTimeOffset now)
    {
    }

    /// <summary>
    /// Called once when this state becomes a template many sessions copy (a shared seed, a snapshot), after which it is
    /// only copied and snapshotted, never served: a state may compact itself here so that its copies share more (the
    /// Stripe clone freezes its objects as <see cref="FrozenJson"/>, thawed per session on first read).
    /// </summary>
    internal virtual void Freeze()
    {
    }

    /// <summary>The entity tables of this state, in creation order.</summary>
    public IReadOnlyList<IEntityTable> Tables => _tables;

    /// <summary>The JSON options used to snapshot entities. The default is <see cref="CloneJson.SnakeCase"/>.</summary>
    public virtual JsonSerializerOptions SnapshotJson => CloneJson.SnakeCase;

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>
    /// An independent deep copy of this state for another session (a snapshot or a fork): same entities, same
    /// bookkeeping, and the random source at the same position; it sends no callbacks until its session wires them. Call it
    /// under the state's gate.
    /// </summary>
    internal CloneState CopyFor(CloneSeedContext seed) =>
        new StateCopier().Substitute(Gate, new SemaphoreSlim(1, 1)).Substitute(Seed, seed).Substitute(Seed.Time, seed.Time)
            .Substitute(Webhooks, WebhookOutbox.None).Copy(this);

    /// <summary>Makes this state a deep copy of <paramref name="source"/> (a reset), keeping its own gate and seed. Call it under the gate.</summary>
    internal void ResetFrom(CloneState source) =>
        new StateCopier().Substitute(source.Gate, Gate).Substitute(source.Seed, Seed).Substitute(source.Seed.Time, Seed.Time)
            .Substitute(source.Webhooks, Webhooks).CopyInto(this, source);

    /// <summary>
    /// Where this state's callbacks go (webhooks, event subscriptions). The harness sets it once the session is
    /// built; until then (while seeding) it is <see cref="WebhookOutbox.None"/>, so seeded history is not announced.
    /// </summary>
    public WebhookOutbox Webhooks { get; internal set; } = WebhookOutbox.None;

    /// <summary>Creates and registers an entity table.</summary>
    /// <param name="entityType">The entity type name used in snapshots and traces (for example <c>issue</c>).</param>
    /// <param name="key">Extracts an entity's unique key.</param>
    /// <param name="project">Optional projection to JSON for snapshots; defaults to serializing the entity.</param>
    protected EntityTable<T> CreateTable<T>(string entityType, Func<T, string> key, Func<T, JsonObject>? project = null)
        where T : class
    {
        var table = new EntityTable<T>(this, entityType, key, project);
        _tables.Add(table);
        return table;
    }

    /// <summary>A JSON snapshot of the whole state: one array per entity type.</summary>
    public virtual JsonObject Snapshot()
    {
        var snapshot = new JsonObject();
        foreach (var table in _tables)
        {
            snapshot[table.EntityType] = table.SnapshotAll();
        }

        return snapshot;
    }

    /// <summary>A snapshot keyed by entity: table → key → entity JSON (for diffs).</summary>
    public Dictionary<string, Dictionary<string, JsonObject>> KeyedSnapshot()
    {
        var snapshot = new Dictionary<string, Dictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var table in _tables)
        {
            snapshot[table.EntityType] = table.SnapshotByKey().ToDictionary(StringComparer.Ordinal);
        }

        return snapshot;
    }

    /// <summary>Starts collecting mutations (the runtime calls this before a request).</summary>
    public void BeginRecording() => _mutations = [];

    /// <summary>Stops collecting and returns what changed since <see cref="BeginRecording"/>.</summary>
    public IReadOnlyList<StateMutation> EndRecording()
    {
        var mutations = _mutations ?? [];
        _mutations = null;
        return mutations;
    }

    internal bool IsRecording => _mutations is not null;

    internal void Record(StateMutation mutation) => _mutations?.Add(mutation);
}
