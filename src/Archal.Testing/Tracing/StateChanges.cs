using System.Collections;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>Everything that differs in a session's clones between the seed and now, one entry per entity.</summary>
public sealed class StateChanges : IReadOnlyList<StateMutation>
{
    private readonly IReadOnlyList<StateMutation> _changes;

    internal StateChanges(IReadOnlyList<StateMutation> changes) => _changes = changes;

    /// <inheritdoc />
    public int Count => _changes.Count;

    /// <inheritdoc />
    public StateMutation this[int index] => _changes[index];

    /// <summary>Changes to one entity type of one clone (for example <c>("github", "issue")</c>).</summary>
    public IEnumerable<StateMutation> Of(string cloneId, string entityType) =>
        _changes.Where(c => c.CloneId == cloneId && c.EntityType == entityType);

    /// <inheritdoc />
    public IEnumerator<StateMutation> GetEnumerator() => _changes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line per change: <c>github/issue acme/app#3 updated (state, closed_at)</c>.</summary>
    public static string Describe(StateMutation change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var fields = change.Kind == MutationKind.Updated ? $" ({string.Join(", ", change.Changes.Select(c => c.Field))})" : "";
        return $"{change.CloneId}/{change.EntityType} {change.Id} {change.Kind.ToString().ToLowerInvariant()}{fields}";
    }
}
