using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using static Archal.Testing.Clones.Abstractions.SnapshotFields;

namespace Archal.Testing.Scenarios;

/// <summary>What a deterministic criterion is evaluated against: both snapshots, the exit and the trace counts.</summary>
internal sealed record EvaluationInput(
    IReadOnlyDictionary<string, JsonObject> Initial,
    IReadOnlyDictionary<string, JsonObject> Final,
    bool ExitedSuccessfully,
    string? ExitDetail,
    int ToolCalls,
    IReadOnlyDictionary<string, int> ToolCallsByClone);

/// <summary>Evaluates parsed [D] criteria offline, over snapshot tables read through the clones' <see cref="EntityKind"/>s.</summary>
internal static class DeterministicEvaluator
{
    private const int MaxListed = 8;

    public static CriterionOutcome Evaluate(DeterministicCheck check, EvaluationInput input) => Evaluate(check, input, CriteriaVocabulary.Default);

    /// <summary>Evaluates a check; <paramref name="vocabulary"/> resolves the kinds its relations and children name.</summary>
    public static CriterionOutcome Evaluate(DeterministicCheck check, EvaluationInput input, CriteriaVocabulary vocabulary) => check switch
    {
        RunExitCheck => input.ExitedSuccessfully
            ? CriterionOutcome.Pass("the run exited successfully")
            : CriterionOutcome.Fail($"the run did not exit successfully: {input.ExitDetail ?? "unknown failure"}"),
        ToolCallCheck tools => EvaluateToolCalls(tools, input),
        EntityCheck entity => EvaluateEntities(entity, input, vocabulary),
        _ => throw new NotSupportedException(check.GetType().Name),
    };

    private static CriterionOutcome EvaluateToolCalls(ToolCallCheck check, EvaluationInput input)
    {
        var count = check.CloneId is null ? input.ToolCalls : input.ToolCallsByClone.GetValueOrDefault(check.CloneId);
        var breakdown = input.ToolCallsByClone.Count == 0 ? "" : $" ({string.Join(", ", input.ToolCallsByClone.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))})";
        var evidence = $"{count} tool call{(count == 1 ? " was" : "s were")} made{(check.CloneId is null ? "" : $" to {check.CloneId}")}{breakdown}; expected {Describe(check.Op, check.N)}";
        return Compare(check.Op, count, check.N) ? CriterionOutcome.Pass(evidence) : CriterionOutcome.Fail(evidence);
    }

    private static CriterionOutcome EvaluateEntities(EntityCheck check, EvaluationInput input, CriteriaVocabulary vocabulary)
    {
        var kind = check.Kind;
        if (!input.Final.ContainsKey(kind.CloneId) && !input.Initial.ContainsKey(kind.CloneId))
        {
            return CriterionOutcome.Fail($"the criterion is about {kind.Plural}, but the session has no {kind.CloneId} clone (add it to 'clones:')");
        }

        var context = new Context(kind, input, vocabulary);
        var views = context.Views();
        var subject = views.Where(v => check.Subject.All(f => context.Matches(f, v))).ToList();
        if (check.Quantifier == Quantifier.Count)
        {
            var matched = subject.Where(v => check.Predicate.All(f => context.Matches(f, v))).ToList();
            var evidence = $"found {matched.Count} matching {(matched.Count == 1 ? kind.Name : kind.Plural)}{List(matched)}; expected {Describe(check.Op, check.N)}";
            return Compare(check.Op, matched.Count, check.N) ? CriterionOutcome.Pass(evidence) : CriterionOutcome.Fail(evidence);
        }

        if (subject.Count == 0)
        {
            return CriterionOutcome.Fail($"no {kind.Plural} match (of {views.Count(v => v.Final is not null)} at the end of the run), so there is nothing that satisfies it");
        }

        var failing = subject.Where(v => !check.Predicate.All(f => context.Matches(f, v))).ToList();
        return failing.Count == 0
            ? CriterionOutcome.Pass($"all {subject.Count} matching {(subject.Count == 1 ? kind.Name : kind.Plural)} satisfy it{List(subject)}")
            : CriterionOutcome.Fail($"{failing.Count} of {subject.Count} matching {kind.Plural} do not{List(failing)}");
    }

    private static string List(List<EntityView> views)
    {
        if (views.Count == 0)
        {
            return "";
        }

        var items = views.Take(MaxListed).Select(v => v.Final is null ? $"{v.Describe()} [deleted]" : v.Describe());
        return ": " + string.Join("; ", items) + (views.Count > MaxListed ? $"; … and {views.Count - MaxListed} more" : "");
    }

    internal static bool Compare(CountOp op, int actual, int n) => op switch
    {
        CountOp.Exactly => actual == n,
        CountOp.AtLeast => actual >= n,
        CountOp.AtMost => actual <= n,
        CountOp.FewerThan => actual < n,
        CountOp.MoreThan => actual > n,
        _ => false,
    };

    internal static string Describe(CountOp op, int n) => op switch
    {
        CountOp.Exactly => $"exactly {n}",
        CountOp.AtLeast => $"at least {n}",
        CountOp.AtMost => $"at most {n}",
        CountOp.FewerThan => $"fewer than {n}",
        CountOp.MoreThan => $"more than {n}",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    internal sealed record EntityView(EntityKind Kind, string Key, JsonObject? Initial, JsonObject? Final)
    {
        public JsonObject Row => Final ?? Initial!;

        public string Describe() => Kind.Describe(Row);
    }

    private sealed class Context(EntityKind kind, EvaluationInput input, CriteriaVocabulary vocabulary)
    {
        private readonly JsonObject? _initial = input.Initial.GetValueOrDefault(kind.CloneId);
        private readonly JsonObject? _final = input.Final.GetValueOrDefault(kind.CloneId);
        private HashSet<string>? _initialChildKeys;

        public List<EntityView> Views()
        {
            var initial = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var row in kind.Rows(_initial))
            {
                var key = kind.Key(row);
                if (initial.TryAdd(key, row))
                {
                    order.Add(key);
                }
            }

            var final = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var row in kind.Rows(_final))
            {
                var key = kind.Key(row);
                if (final.TryAdd(key, row) && !initial.ContainsKey(key))
                {
                    order.Add(key);
                }
            }

            return [.. order.Select(k => new EntityView(kind, k, initial.GetValueOrDefault(k), final.GetValueOrDefault(k)))];
        }

        public bool Matches(EntityFilter filter, EntityView view)
        {
            var exists = view.Final is not null;
            switch (filter)
            {
                case CreatedFilter:
                    return (view.Initial is null && exists) != filter.Negated;
                case DeletedFilter:
                    return (view.Initial is not null && !exists) != filter.Negated;
                case ChangedFilter:
                    return exists && view.Initial is not null && (!JsonNode.DeepEquals(view.Initial, view.Final) != filter.Negated);
                case StateFilter state:
                    return MatchesState(state, view);
            }

            var row = view.Row;
            var result = filter switch
            {
                LabelFilter label => kind.Labels?.Invoke(row).Any(l => l.Equals(label.Label, StringComparison.OrdinalIgnoreCase)) ?? false,
                FieldFilter field => MatchesField(field, row),
                RelationFilter relation => MatchesRelation(relation, row, view.Final is null ? _initial : _final),
                AuthorFilter author => string.Equals(kind.Author?.Invoke(row)?.TrimStart('@'), author.Author.TrimStart('@'), StringComparison.OrdinalIgnoreCase),
                NewChildFilter => exists && HasNewChild(row, view.Initial),
                _ => false,
            };
            return result != filter.Negated;
        }

        private bool MatchesState(StateFilter filter, EntityView view)
        {
            var predicate = kind.States[filter.State];
            if (view.Final is null)
            {
                // A deleted entity: "deleted" states (Stripe customers) count it; nothing else does.
                return filter.State == "deleted" && !filter.Negated;
            }

            var now = predicate(view.Final);
            var held = view.Initial is null ? (bool?)null : predicate(view.Initial);
            var result = filter.Tense switch
            {
                Tense.Became => now && held != true,
                Tense.Remained => now && held != false,
                _ => now,
            };
            return result != filter.Negated;
        }

        private bool MatchesField(FieldFilter filter, JsonObject row)
        {
            var candidates = kind.Fields.GetValueOrDefault(filter.Field) ?? [filter.Field];
            var values = candidates.Select(c => Str(row, c)).ToList();
            if (!filter.Contains && filter.Field is "name" or "title" or "id")
            {
                values.Add(kind.Key(row));
            }

            return filter.Contains
                ? values.Any(v => v.Contains(filter.Value, StringComparison.OrdinalIgnoreCase))
                : values.Any(v => string.Equals(v, filter.Value.TrimStart('#'), StringComparison.OrdinalIgnoreCase) || string.Equals(v, filter.Value, StringComparison.OrdinalIgnoreCase));
        }

        private bool MatchesRelation(RelationFilter filter, JsonObject row, JsonObject? snapshot)
        {
            if (kind.Relation(filter.Relation) is not { } relation)
            {
                return false;
            }

            var context = new CriteriaContext(snapshot ?? [], RowsOf);
            var wanted = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { filter.Value, filter.Value.TrimStart('#') };
            if (relation.Resolve is not null)
            {
                wanted.UnionWith(relation.Resolve(filter.Value, context));
            }

            return relation.Values(row, context).Any(wanted.Contains);
        }

        /// <summary>The rows of another kind of the same clone, at the end of the run and then at the start.</summary>
        private IEnumerable<JsonObject> RowsOf(string name) =>
            vocabulary.Find(kind.CloneId, name) is { } other ? other.Rows(_final).Concat(other.Rows(_initial)) : [];

        private bool HasNewChild(JsonObject parent, JsonObject? initialParent)
        {
            if (kind.Children is not { } children || vocabulary.Find(kind.CloneId, children.Kind) is not { } childKind)
            {
                return false;
            }

            if (!childKind.Tables.Any(t => _final?[t] is JsonArray))
            {
                // No child table: fall back to the parent's count of children.
                return children.CountField is { } count && Num(parent, count) > Num(initialParent, count);
            }

            _initialChildKeys ??= [.. childKind.Rows(_initial).Select(childKind.Key)];
            return childKind.Rows(_final).Any(c => !_initialChildKeys.Contains(childKind.Key(c)) && children.BelongsTo(c, parent));
        }
    }
}
