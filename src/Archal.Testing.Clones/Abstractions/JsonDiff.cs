using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Field-level differences between JSON entities and between whole state snapshots.</summary>
public static class JsonDiff
{
    /// <summary>The top-level fields that differ between two versions of an entity (null: absent).</summary>
    public static List<FieldChange> Fields(JsonObject? before, JsonObject? after)
    {
        var changes = new List<FieldChange>();
        if (before is not null)
        {
            foreach (var (name, value) in before)
            {
                JsonNode? other = null;
                var present = after is not null && after.TryGetPropertyValue(name, out other);
                if (!present || !JsonNode.DeepEquals(value, other))
                {
                    changes.Add(new FieldChange(name, value?.DeepClone(), present ? other?.DeepClone() : null));
                }
            }
        }

        if (after is not null)
        {
            foreach (var (name, value) in after)
            {
                if (before is null || !before.ContainsKey(name))
                {
                    changes.Add(new FieldChange(name, null, value?.DeepClone()));
                }
            }
        }

        return changes;
    }

    /// <summary>
    /// What changed between two keyed snapshots (table → key → entity): one mutation per entity
    /// created, updated or deleted, in table order.
    /// </summary>
    public static List<StateMutation> Snapshots(
        string cloneId,
        IReadOnlyDictionary<string, Dictionary<string, JsonObject>> before,
        IReadOnlyDictionary<string, Dictionary<string, JsonObject>> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var mutations = new List<StateMutation>();
        foreach (var table in before.Keys.Concat(after.Keys).Distinct(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(table) ?? [];
            var now = after.GetValueOrDefault(table) ?? [];
            foreach (var (key, value) in old)
            {
                if (!now.TryGetValue(key, out var current))
                {
                    mutations.Add(new StateMutation(cloneId, table, key, MutationKind.Deleted, Fields(value, null)));
                }
                else if (Fields(value, current) is { Count: > 0 } changes)
                {
                    mutations.Add(new StateMutation(cloneId, table, key, MutationKind.Updated, changes));
                }
            }

            foreach (var (key, value) in now)
            {
                if (!old.ContainsKey(key))
                {
                    mutations.Add(new StateMutation(cloneId, table, key, MutationKind.Created, Fields(null, value)));
                }
            }
        }

        return mutations;
    }
}
