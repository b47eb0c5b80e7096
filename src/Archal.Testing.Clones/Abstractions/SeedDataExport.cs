using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// Shared plumbing for <see cref="CloneDefinition.ExportSeedData"/> and the seeders that read an export back: a clone's
/// block gets one <c>state</c> object holding <c>tables</c> (every entity table as snapshots show it, in insertion order)
/// and the clone's own bookkeeping beside it.
/// </summary>
internal static class SeedDataExport
{
    /// <summary>The key of an exported state inside a clone's seed-data block.</summary>
    public const string Key = "state";

    /// <summary>The exported state of a seed-data block, or null; <paramref name="rest"/> is the block without it.</summary>
    public static JsonObject? Split(JsonObject? data, string cloneName, out JsonObject? rest)
    {
        rest = data;
        if (data is null || !data.TryGetPropertyValue(Key, out var node))
        {
            return null;
        }

        if (node is not JsonObject exported)
        {
            throw new CloneSeedException($"{cloneName} seed data: '{Key}' must be an object (an exported state: tables and bookkeeping).");
        }

        rest = new JsonObject();
        foreach (var (name, value) in data)
        {
            if (name != Key)
            {
                rest[name] = value?.DeepClone();
            }
        }

        return exported;
    }

    /// <summary>Every table of <paramref name="state"/> as snapshot rows; <paramref name="replace"/> writes a table differently (rows the snapshot leaves short).</summary>
    public static JsonObject Tables(CloneState state, IReadOnlyDictionary<string, Func<JsonArray>>? replace = null)
    {
        var tables = new JsonObject();
        foreach (var table in state.Tables)
        {
            tables[table.EntityType] = replace?.GetValueOrDefault(table.EntityType) is { } write ? write() : table.SnapshotAll();
        }

        return tables;
    }

    /// <summary>The rows of one exported table (none when the export has no such table).</summary>
    public static IEnumerable<JsonObject> Rows(JsonObject exported, string table, string cloneName)
    {
        var tables = exported["tables"] as JsonObject
            ?? throw new CloneSeedException($"{cloneName} seed data: '{Key}.tables' must be an object of entity tables.");
        return tables[table] switch
        {
            null => [],
            JsonArray rows => rows.Select((row, i) => row as JsonObject
                ?? throw new CloneSeedException($"{cloneName} seed data: {Key}.tables.{table}[{i}] must be an object.")),
            _ => throw new CloneSeedException($"{cloneName} seed data: {Key}.tables.{table} must be an array."),
        };
    }

    /// <summary>An entity from its snapshot row (the entity's own JSON shape).</summary>
    public static T Read<T>(JsonObject row, string table, string cloneName, JsonSerializerOptions? options = null)
    {
        try
        {
            return row.Deserialize<T>(options ?? CloneJson.SnakeCase)
                ?? throw new CloneSeedException($"{cloneName} seed data: a {Key}.tables.{table} row is null.");
        }
        catch (JsonException e)
        {
            throw new CloneSeedException($"{cloneName} seed data: a {Key}.tables.{table} row does not fit: {e.Message}", e);
        }
    }

    /// <summary>A field of the exported bookkeeping, or <paramref name="fallback"/> when absent.</summary>
    public static T Value<T>(JsonObject exported, string name, T fallback, string cloneName)
    {
        if (exported[name] is not { } node)
        {
            return fallback;
        }

        try
        {
            return node.Deserialize<T>(CloneJson.SnakeCase) ?? fallback;
        }
        catch (JsonException e)
        {
            throw new CloneSeedException($"{cloneName} seed data: {Key}.{name} does not fit: {e.Message}", e);
        }
    }
}
