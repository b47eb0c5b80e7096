using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// The words a clone contributes to [D] criteria: the kinds of entity its snapshot holds, how to read
/// them, and example criteria. The harness's grammar and evaluator speak only in these terms.
/// </summary>
public sealed class CloneVocabulary
{
    /// <summary>A vocabulary with no entity kinds.</summary>
    public static CloneVocabulary Empty { get; } = new();

    /// <summary>The entity kinds criteria can count and describe.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<EntityKind> Kinds { get; init; } = [];

    /// <summary>Criteria that read well with these kinds; suggested when a criterion cannot be read.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Examples { get; init; } = [];
}

/// <summary>One kind of entity a criterion can talk about: which snapshot table holds it and how to read a row.</summary>
/// <param name="Name">The kind's singular name (for example <c>issue</c>), unique within the clone.</param>
/// <param name="Tables">The snapshot tables that hold it; the first one present is read.</param>
/// <param name="Nouns">The words criteria use for it: singular first, plural second, then aliases (<c>pr</c>, <c>prs</c>).</param>
public sealed record EntityKind(string Name, string[] Tables, string[] Nouns)
{
    /// <summary>The clone the kind belongs to; the harness sets it from <see cref="CloneDefinition.Id"/>.</summary>
    public string CloneId { get; init; } = "";

    /// <summary>A row's identity, stable across the initial and final snapshot.</summary>
    public required Func<JsonObject, string> Key { get; init; }

    /// <summary>How evidence shows a row (for example <c>acme/webapp#1 "Old bug" (closed)</c>).</summary>
    public required Func<JsonObject, string> Describe { get; init; }

    /// <summary>Which rows of the table are of this kind (issues, not pull requests). The default is all.</summary>
    public Func<JsonObject, bool>? Where { get; init; }

    /// <summary>Turns one table row into this kind's rows (reactions from a message).</summary>
    public Func<JsonObject, IEnumerable<JsonObject>>? Flatten { get; init; }

    /// <summary>Adds derived fields to a row given the clone's whole snapshot (a message's <c>pinned</c>).</summary>
    public Func<JsonObject, JsonObject, JsonObject>? Enrich { get; init; }

    /// <summary>A second table whose row with the same key adds its fields (pull requests: issue + pull_request).</summary>
    public string? JoinTable { get; init; }

    /// <summary>Field aliases used by <c>titled</c>, <c>named</c>, <c>with description "…"</c>, <c>containing</c> (<c>text</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Fields { get; init; } = new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>Named states (<c>open</c>, <c>merged</c>, <c>fully refunded</c>) and when a row is in them.</summary>
    public IReadOnlyDictionary<string, Func<JsonObject, bool>> States { get; init; } = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal);

    /// <summary>The row's labels (<c>with label "x"</c>, <c>labelled "x"</c>); null when the kind has none.</summary>
    public Func<JsonObject, IEnumerable<string>>? Labels { get; init; }

    /// <summary>Who created the row (<c>by octocat</c>); null when the kind has no author.</summary>
    public Func<JsonObject, string>? Author { get; init; }

    /// <summary>The other entities a row belongs to (<c>in acme/webapp</c>, <c>in #general</c>, <c>for customer x</c>).</summary>
    public IReadOnlyList<EntityRelation> Relations { get; init; } = [];

    /// <summary>Entities of another kind that hang off a row (<c>with a new comment</c>); null when none.</summary>
    public EntityChildren? Children { get; init; }

    /// <summary>Whether a <c>#name</c> right after the noun names the row (<c>the channel #general</c>).</summary>
    public bool NamedByHash { get; init; }

    /// <summary>The plural noun.</summary>
    public string Plural => Nouns.Length > 1 ? Nouns[1] : Nouns[0];

    /// <summary>The relation called <paramref name="name"/>, or null.</summary>
    public EntityRelation? Relation(string name) => Relations.FirstOrDefault(r => r.Name == name);

    /// <summary>The rows of this kind in one clone snapshot.</summary>
    public IEnumerable<JsonObject> Rows(JsonObject? snapshot)
    {
        if (snapshot is null)
        {
            return [];
        }

        foreach (var table in Tables)
        {
            if (snapshot[table] is JsonArray rows)
            {
                var selected = rows.OfType<JsonObject>().Where(o => Where?.Invoke(o) ?? true);
                if (Flatten is not null)
                {
                    selected = selected.SelectMany(Flatten);
                }

                if (Enrich is not null)
                {
                    selected = selected.Select(o => Enrich(o, snapshot));
                }

                if (JoinTable is not null && snapshot[JoinTable] is JsonArray joined)
                {
                    var byKey = joined.OfType<JsonObject>().GroupBy(Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                    selected = selected.Select(row => Join(row, byKey));
                }

                return selected;
            }
        }

        return [];
    }

    private JsonObject Join(JsonObject row, Dictionary<string, JsonObject> byKey)
    {
        if (!byKey.TryGetValue(Key(row), out var extra))
        {
            return row;
        }

        var merged = row.DeepClone().AsObject();
        foreach (var (name, value) in extra)
        {
            if (!merged.ContainsKey(name))
            {
                merged[name] = value?.DeepClone();
            }
        }

        return merged;
    }
}

/// <summary>
/// A row's link to other entities that criteria filter by: <c>in repo acme/webapp</c>, <c>in #general</c>,
/// <c>outside #general</c>, <c>for customer jane@example.com</c>, <c>for charge ch_1</c>.
/// </summary>
/// <param name="Name">The relation's name, shared by every kind that has it (for example <c>customer</c>).</param>
/// <param name="Nouns">The words that introduce a value (<c>customer</c>, <c>repo</c>, <c>repository</c>).</param>
public sealed record EntityRelation(string Name, string[] Nouns)
{
    /// <summary>The words before the noun or value.</summary>
    /// <value>The default value is <c>for</c>, <c>of</c>, <c>from</c>.</value>
    public string[] Prepositions { get; init; } = ["for", "of", "from"];

    /// <summary>The values a row relates to (for example its customer id), given where it lives.</summary>
    public required Func<JsonObject, CriteriaContext, IEnumerable<string>> Values { get; init; }

    /// <summary>
    /// Other values a criterion's value stands for (a customer's id for its email or name); a row matches
    /// when one of its <see cref="Values"/> equals the value or one of these. The default is none.
    /// </summary>
    public Func<string, CriteriaContext, IEnumerable<string>>? Resolve { get; init; }

    /// <summary>Whether a bare value after a preposition means this relation, without its noun (<c>for jane@example.com</c>).</summary>
    public bool BareValues { get; init; }

    /// <summary>A value shape that means this relation wherever it appears after a preposition (<c>owner/name</c>).</summary>
    public Func<string, bool>? Shape { get; init; }

    /// <summary>
    /// Whether <c>#name</c> values name it (<c>in #general</c>, <c>outside #general</c>,
    /// <c>to channels other than #general</c>).
    /// </summary>
    public bool Hash { get; init; }

    /// <summary>How an error ends when a kind lacks the relation (<c>do not belong to a customer</c>).</summary>
    public string Missing { get; init; } = "";
}

/// <summary>Entities of another kind that hang off a row, so that <c>with a new comment</c> can be checked.</summary>
/// <param name="Kind">The child kind's <see cref="EntityKind.Name"/> in the same clone.</param>
/// <param name="BelongsTo">Whether a child row (first) belongs to a parent row (second).</param>
public sealed record EntityChildren(string Kind, Func<JsonObject, JsonObject, bool> BelongsTo)
{
    /// <summary>A parent field that counts children, read when the snapshot has no child table. The default is none.</summary>
    public string? CountField { get; init; }
}

/// <summary>What a relation can look at besides the row: its clone's snapshot and other kinds' rows.</summary>
public sealed class CriteriaContext
{
    private readonly Func<string, IEnumerable<JsonObject>> _rows;

    /// <summary>Creates a context.</summary>
    /// <param name="snapshot">The clone snapshot the row comes from (final, or initial for a deleted row).</param>
    /// <param name="rows">The rows of a kind of the same clone by name, at the end of the run and then at the start.</param>
    public CriteriaContext(JsonObject snapshot, Func<string, IEnumerable<JsonObject>> rows)
    {
        Snapshot = snapshot;
        _rows = rows;
    }

    /// <summary>The clone snapshot the row comes from.</summary>
    public JsonObject Snapshot { get; }

    /// <summary>The rows of the kind <paramref name="kind"/> of the same clone, at the end of the run and then at the start.</summary>
    public IEnumerable<JsonObject> Rows(string kind) => _rows(kind);
}
