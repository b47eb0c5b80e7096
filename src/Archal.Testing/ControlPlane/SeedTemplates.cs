using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Seeded clone states built once and shared by every session that asks for the same clone, named seed, random seed and
/// seed data within the same second: a session starts as a reference to the template and copies it on first use
/// (<see cref="CloneStateSlot"/>). Seeds resolve relative ages ("120 days ago") against the session's start, truncated to
/// the whole second, so sessions created within one second share one template. The host holds the templates of the last
/// <see cref="Capacity"/> seeds used (the newest second of each); any other template lives exactly as long as a session or
/// snapshot started from it, and is shared while it lives. So memory follows the live sessions, plus a few templates.
/// </summary>
internal sealed class SeedTemplates(int capacity = SeedTemplates.DefaultCapacity)
{
    public const int DefaultCapacity = 8;

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = [];

    // Templates no longer held here, shared as long as a session holds them (then collected). Pruned as it grows.
    private readonly Dictionary<Key, (DateTimeOffset Epoch, WeakReference<StateTemplate> Template)> _released = [];
    private int _pruneAt = 4 * DefaultCapacity;

    public int Capacity { get; } = capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Where a session starting at <paramref name="now"/> has its seed's "now": the start truncated to the whole second.</summary>
    public static DateTimeOffset Epoch(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>The template for this seed (built now if no session started from it in this second).</summary>
    /// <exception cref="CloneSeedException">The seed could not be applied (nothing is cached).</exception>
    public StateTemplate Get(CloneDefinition clone, string seedName, int randomSeed, JsonObject? data, DateTimeOffset epoch)
    {
        // Seed data (a seed file can be megabytes) is keyed by its hash, so the cache holds no copy of it.
        var key = new Key(clone.Id, seedName, randomSeed, data is null ? null : Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(data))));
        Entry entry;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Epoch == epoch)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                if (node is not null)
                {
                    _recent.Remove(node);
                }

                // A template a live session still holds is taken back rather than built again.
                var lazy = _released.Remove(key, out var released) && released.Epoch == epoch && released.Template.TryGetTarget(out var alive)
                    ? new Lazy<StateTemplate>(alive)
                    : new Lazy<StateTemplate>(() => Build(clone, seedName, randomSeed, data, epoch));
                entry = new Entry(key, epoch, lazy);
                _entries[key] = _recent.AddFirst(entry);
                if (_entries.Count > Capacity)
                {
                    Release(_recent.Last!);
                }
            }
        }

        try
        {
            return entry.Template.Value;
        }
        catch
        {
            lock (_lock)
            {
                if (_entries.TryGetValue(key, out var node) && ReferenceEquals(node.Value, entry))
                {
                    _entries.Remove(key);
                    _recent.Remove(node);
                }
            }

            throw;
        }
    }

    /// <summary>Stops holding a template: it stays shared (by key) for as long as a session holds it. Call under the lock.</summary>
    private void Release(LinkedListNode<Entry> node)
    {
        var entry = node.Value;
        _entries.Remove(entry.Key);
        _recent.Remove(node);
        if (entry.Template is { IsValueCreated: true } built)
        {
            _released[entry.Key] = (entry.Epoch, new WeakReference<StateTemplate>(built.Value));
        }

        if (_released.Count > _pruneAt)
        {
            foreach (var (key, (_, template)) in _released.ToList())
            {
                if (!template.TryGetTarget(out _))
                {
                    _released.Remove(key);
                }
            }

            // Sweep again only when it has doubled: constant work per release, however many templates sessions hold.
            _pruneAt = Math.Max(4 * Capacity, 2 * _released.Count);
        }
    }

    private static StateTemplate Build(CloneDefinition clone, string seedName, int randomSeed, JsonObject? data, DateTimeOffset epoch)
    {
        // The seed reads a clock stopped at the epoch: every session copying the template sees the same data.
        var seed = new CloneSeedContext("", seedName, randomSeed, new SessionClock(new StoppedClock(epoch)), data?.DeepClone().AsObject());
        return new StateTemplate(clone.CreateState(seed), SeedSnapshot.PackState);
    }

    private readonly record struct Key(string CloneId, string SeedName, int RandomSeed, string? DataHash);

    private sealed record Entry(Key Key, DateTimeOffset Epoch, Lazy<StateTemplate> Template);

    /// <summary>A clock that always reads one instant (a template's seeding time).</summary>
    private sealed class StoppedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
