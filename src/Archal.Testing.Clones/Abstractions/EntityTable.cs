using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>A table of entities of one type, as seen by snapshots and the trace.</summary>
public interface IEntityTable
{
    /// <summary>The entity type name (for example <c>issue</c>).</summary>
    string EntityType { get; }

    /// <summary>How many entities the table holds.</summary>
    int Count { get; }

    /// <summary>Every entity as JSON, in insertion order.</summary>
    JsonArray SnapshotAll();

    /// <summary>Every entity as JSON with its key, in insertion order.</summary>
    IEnumerable<KeyValuePair<string, JsonObject>> SnapshotByKey();
}

/// <summary>
/// Ordered, keyed storage for one entity type. Every change goes through <see cref="Add"/>,
/// <see cref="Update"/> or <see cref="Remove"/> so that it is recorded as a <see cref="StateMutation"/>.
/// </summary>
/// <typeparam name="T">The entity type. Entities refer to other entities by key, not by reference.</typeparam>
public sealed class EntityTable<T> : IEntityTable where T : class
{
    private readonly CloneState _owner;
    private readonly Func<T, string> _key;
    private readonly Func<T, JsonObject>? _project;
    private readonly Dictionary<string, T> _byKey = new(StringComparer.Ordinal);
    private readonly List<T> _ordered = [];

    internal EntityTable(CloneState owner, string entityType, Func<T, string> key, Func<T, JsonObject>? project)
    {
        _owner = owner;
        EntityType = entityType;
        _key = key;
        _project = project;
    }

    /// <inheritdoc />
    public string EntityType { get; }

    /// <inheritdoc />
    public int Count => _ordered.Count;

    /// <summary>Entities in insertion order.</summary>
    public IReadOnlyList<T> Items => _ordered;

    /// <summary>Counts changes to this table, so a state can cache what it derives from it.</summary>
    internal long Version { get; private set; }

    /// <summary>Finds an entity by key.</summary>
    public T? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Whether an entity with this key exists.</summary>
    public bool Contains(string key) => _byKey.ContainsKey(key);

    /// <summary>Adds a new entity.</summary>
    /// <exception cref="InvalidOperationException">An entity with the same key exists.</exception>
    public T Add(T entity)
    {
        var key = _key(entity);
        if (!_byKey.TryAdd(key, entity))
        {
            throw new InvalidOperationException($"{EntityType} '{key}' already exists.");
        }

        _ordered.Add(entity);
        Version++;
        if (_owner.IsRecording)
        {
            _owner.Record(new StateMutation(_owner.CloneId, EntityType, key, MutationKind.Created, JsonDiff.Fields(null, Project(entity))));
        }

        return entity;
    }

    /// <summary>Changes an entity in place and records which fields changed.</summary>
    public T Update(T entity, Action<T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Version++;
        if (!_owner.IsRecording)
        {
            change(entity);
            return entity;
        }

        var before = Project(entity);
        change(entity);
        var after = Project(entity);
        var changes = JsonDiff.Fields(before, after);
        if (changes.Count > 0)
        {
            _owner.Record(new StateMutation(_owner.CloneId, EntityType, _key(entity), MutationKind.Updated, changes));
        }

        return entity;
    }

    /// <summary>Removes an entity by key. Returns false when there was none.</summary>
    public bool Remove(string key)
    {
        if (!_byKey.Remove(key, out var entity))
        {
            return false;
        }

        _ordered.Remove(entity);
        Version++;
        if (_owner.IsRecording)
        {
            _owner.Record(new StateMutation(_owner.CloneId, EntityType, key, MutationKind.Deleted, JsonDiff.Fields(Project(entity), null)));
        }

        return true;
    }

    /// <inheritdoc />
    public JsonArray SnapshotAll()
    {
        var array = new JsonArray();
        foreach (var entity in _ordered)
        {
            array.Add(Project(entity));
        }

        return array;
    }

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, JsonObject>> SnapshotByKey()
    {
        foreach (var entity in _ordered)
        {
            yield return new(_key(entity), Project(entity));
        }
    }

    private JsonObject Project(T entity) =>
        _project?.Invoke(entity) ?? (JsonObject)JsonSerializer.SerializeToNode(entity, _owner.SnapshotJson)!;
}
