using Archal.Testing.Clones;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Scenarios;

/// <summary>
/// The words of [D] criteria for one set of clones: the entity kinds each clone contributes through
/// <see cref="CloneDefinition.Vocabulary"/>, plus the clone-independent words (created, deleted, changed).
/// The grammar and evaluator speak only in these terms; they know no clone by name.
/// </summary>
internal sealed class CriteriaVocabulary
{
    private static readonly Lazy<CriteriaVocabulary> BuiltIn = new(() => For(BuiltInClones.Create()));

    private CriteriaVocabulary(IReadOnlyList<EntityKind> kinds, IReadOnlyList<string> examples)
    {
        Kinds = kinds;
        Examples = examples;
        HashRelations = [.. kinds.SelectMany(k => k.Relations).Where(r => r.Hash).DistinctBy(r => r.Name)];
        PhraseRelations = [.. kinds.SelectMany(k => k.Relations).Where(r => !r.Hash).DistinctBy(r => r.Name)];
        ChildNouns = [.. kinds.Where(k => k.Children is not null)
            .SelectMany(k => Find(k.CloneId, k.Children!.Kind)?.Nouns ?? [])
            .Where(n => !n.Contains(' ', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The vocabulary of the clones that ship with Archal.Testing (for parsing without a host).</summary>
    public static CriteriaVocabulary Default => BuiltIn.Value;

    /// <summary>Every kind, in clone order then each clone's order.</summary>
    public IReadOnlyList<EntityKind> Kinds { get; }

    /// <summary>Supported criteria, used to suggest the nearest one: the clones' examples, then the clone-independent ones.</summary>
    public IReadOnlyList<string> Examples { get; }

    /// <summary>One relation per name whose values are <c>#name</c>s (<c>in #general</c>), as the first kind declares it.</summary>
    public IReadOnlyList<EntityRelation> HashRelations { get; }

    /// <summary>One relation per name introduced by a preposition and noun (<c>in repo x</c>, <c>for customer x</c>).</summary>
    public IReadOnlyList<EntityRelation> PhraseRelations { get; }

    /// <summary>The single-word nouns of every child kind (<c>comment</c>, <c>replies</c>), for <c>with a new comment</c>.</summary>
    public IReadOnlyList<string> ChildNouns { get; }

    /// <summary>Words that mean "added during the run" (compared with the initial snapshot).</summary>
    public static readonly HashSet<string> CreatedWords =
        ["created", "posted", "sent", "added", "opened", "made", "left", "written", "filed", "raised", "issued", "published", "new"];

    /// <summary>Words that mean "gone by the end of the run".</summary>
    public static readonly HashSet<string> DeletedWords = ["deleted", "removed"];

    /// <summary>Words that mean "changed during the run".</summary>
    public static readonly HashSet<string> ChangedWords = ["updated", "edited", "changed", "modified"];

    /// <summary>Criteria every host supports, whatever its clones.</summary>
    private static readonly string[] GeneralExamples = ["Fewer than 30 tool calls were made", "The run exits successfully"];

    /// <summary>The vocabulary of <paramref name="clones"/>: each kind tagged with its clone's id.</summary>
    public static CriteriaVocabulary For(IEnumerable<CloneDefinition> clones)
    {
        ArgumentNullException.ThrowIfNull(clones);
        var kinds = new List<EntityKind>();
        var examples = new List<string>();
        foreach (var clone in clones)
        {
            var vocabulary = clone.Vocabulary;
            kinds.AddRange(vocabulary.Kinds.Select(k => k with { CloneId = clone.Id }));
            examples.AddRange(vocabulary.Examples);
        }

        examples.AddRange(GeneralExamples);
        return new CriteriaVocabulary(kinds, [.. examples.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The kind called <paramref name="name"/> in the clone <paramref name="cloneId"/>.</summary>
    public EntityKind? Find(string cloneId, string name) => Kinds.FirstOrDefault(k => k.CloneId == cloneId && k.Name == name);
}
