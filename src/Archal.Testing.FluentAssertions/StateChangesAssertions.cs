using FluentAssertions;
using FluentAssertions.Primitives;
using Archal.Testing.Tracing;

namespace Archal.Testing.FluentAssertions;

/// <summary>Collateral-damage assertions over what changed in a session's clones since the seed.</summary>
public sealed class StateChangesAssertions : ReferenceTypeAssertions<StateChanges, StateChangesAssertions>
{
    /// <summary>Creates the assertions.</summary>
    public StateChangesAssertions(StateChanges subject) : base(subject) { }

    /// <inheritdoc />
    protected override string Identifier => "changes";

    /// <summary>
    /// Asserts that every change touched one of <paramref name="allowed"/>: <c>"clone/entityType"</c>
    /// (any entity of that type) or <c>"clone/entityType/id"</c> (one entity). Nothing else may differ from the seed.
    /// </summary>
    public AndConstraint<StateChangesAssertions> OnlyAffect(params string[] allowed) => OnlyAffect(allowed, "");

    /// <summary>As <see cref="OnlyAffect(string[])"/>, with a reason.</summary>
    public AndConstraint<StateChangesAssertions> OnlyAffect(IEnumerable<string> allowed, string because, params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var rules = allowed.ToList();
        var unexpected = Subject.Where(c => !rules.Any(rule => Allows(rule, c))).ToList();
        if (unexpected.Count > 0)
        {
            AssertionMessages.Fail(
                $"Expected changes to only affect {string.Join(", ", rules)}{{reason}}, but {unexpected.Count} other change(s) happened:{Environment.NewLine}"
                + string.Join(Environment.NewLine, unexpected.Select(c => "  " + StateChanges.Describe(c))),
                because, becauseArgs);
        }

        return new AndConstraint<StateChangesAssertions>(this);
    }

    /// <summary>Asserts that nothing changed at all.</summary>
    public AndConstraint<StateChangesAssertions> BeEmpty(string because = "", params object[] becauseArgs) =>
        OnlyAffect([], because, becauseArgs);

    private static bool Allows(string rule, Clones.Abstractions.StateMutation change)
    {
        var parts = rule.Split('/', 3);
        return parts.Length >= 2
            && parts[0] == change.CloneId
            && parts[1] == change.EntityType
            && (parts.Length == 2 || parts[2] == change.Id);
    }
}
