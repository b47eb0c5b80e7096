using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Seeded clone states built once and shared by every session that asks for the same clone, named seed, random seed and
/// seed data within the same second: a session starts as a reference to the template and copies it on first use
/// (<see cref="CloneStateSlot"/>). Seeds resolve relative ages ("120 days ago") against the session's start, truncated to
/// the whole second, so sessions created within one second share one template. The host keeps the newest template of
/// each key and at most <see cref="Capacity"/> keys; an older template lives as long as a session started from it.
/// </summary>
internal sealed class SeedTemplates(int capacity = SeedTemplates.DefaultCapacity)
{
    public const int DefaultCapacity = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = [];

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

                entry = new Entry(key, epoch, new Lazy<StateTemplate>(() => Build(clone, seedName, randomSeed, data, epoch)));
                _entries[key] = _recent.AddFirst(entry);
                if (_entries.Count > Capacity)
                {
                    _entries.Remove(_recent.Last!.Value.Key);
                    _recent.RemoveLast();
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

    private static StateTemplate Build(CloneDefinition clone, string seedName, int randomSeed, JsonObject? data, DateTimeOffset epoch)
    {
        // The seed reads a clock stopped at the epoch: every session copying the template sees the same data.
        var seed = new CloneSeedContext("", seedName, randomSeed, new SessionClock(new StoppedClock(epoch)), data?.DeepClone().AsObject());
        return new StateTemplate(clone.CreateState(seed), static state => SeedSnapshot.Pack(state.KeyedSnapshot()));
    }

    private readonly record struct Key(string CloneId, string SeedName, int RandomSeed, string? DataHash);

    private sealed record Entry(Key Key, DateTimeOffset Epoch, Lazy<StateTemplate> Template);

    /// <summary>A clock that always reads one instant (a template's seeding time).</summary>
    private sealed class StoppedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
