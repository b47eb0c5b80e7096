using System.Collections.Immutable;

namespace Archal.Testing.Scenarios;

/// <summary>
/// A scenario: the task an agent gets, the clones and seeds it runs against, and the criteria its run is
/// judged by. Read from the hosted markdown format with <see cref="ScenarioParser"/> or built in code.
/// </summary>
public sealed record Scenario
{
    /// <summary>A stable id: the file name without extension, or the title in kebab case.</summary>
    public required string Id { get; init; }

    /// <summary>The <c># Title</c> (metadata for humans; not sent to the agent).</summary>
    public required string Title { get; init; }

    /// <summary>The file the scenario was read from, if any.</summary>
    public string? FilePath { get; init; }

    /// <summary>The <c>## Setup</c> text (evaluation context; never sent to the agent).</summary>
    public string? Setup { get; init; }

    /// <summary>The <c>## Prompt</c> (or <c>## Task</c>) text: the only text the agent receives.</summary>
    public required string Prompt { get; init; }

    /// <summary>The <c>## Expected Behavior</c> text: the evaluator's answer key, never shown to the agent.</summary>
    public string? ExpectedBehavior { get; init; }

    /// <summary>The success criteria, in file order.</summary>
    public ImmutableArray<ScenarioCriterion> Criteria { get; init; } = [];

    /// <summary>The <c>## Config</c> values.</summary>
    public ScenarioConfig Config { get; init; } = new();

    /// <inheritdoc />
    public override string ToString() => Title;
}

/// <summary>Whether a criterion is checked against state (<c>[D]</c>) or judged (<c>[P]</c>).</summary>
public enum CriterionKind
{
    /// <summary><c>[D]</c>: checked offline against the clones' final state and the trace.</summary>
    Deterministic,

    /// <summary><c>[P]</c>: judged by an <see cref="IScenarioJudge"/> from the trace, final state and expected behavior.</summary>
    Probabilistic,
}

/// <summary>One success criterion.</summary>
public sealed record ScenarioCriterion
{
    /// <summary>The criterion text without its tag.</summary>
    public required string Text { get; init; }

    /// <summary>Deterministic or judged. Untagged criteria are <see cref="CriterionKind.Probabilistic"/>.</summary>
    public CriterionKind Kind { get; init; }

    /// <summary>The 1-based line in the scenario file (0 for criteria built in code).</summary>
    public int Line { get; init; }

    /// <summary>A code-first check (overrides the grammar for [D] criteria built in code).</summary>
    public Func<ScenarioRunContext, CriterionOutcome>? Predicate { get; init; }

    internal DeterministicCheck? Check { get; init; }

    /// <summary>A deterministic criterion checked by a C# predicate over the run.</summary>
    public static ScenarioCriterion Deterministic(string text, Func<ScenarioRunContext, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new ScenarioCriterion
        {
            Text = text,
            Kind = CriterionKind.Deterministic,
            Predicate = run => predicate(run) ? CriterionOutcome.Pass("predicate returned true") : CriterionOutcome.Fail("predicate returned false"),
        };
    }

    /// <summary>A deterministic criterion checked by a C# predicate that explains its verdict.</summary>
    public static ScenarioCriterion Deterministic(string text, Func<ScenarioRunContext, CriterionOutcome> predicate) =>
        new() { Text = text, Kind = CriterionKind.Deterministic, Predicate = predicate ?? throw new ArgumentNullException(nameof(predicate)) };

    /// <inheritdoc />
    public override string ToString() => $"[{(Kind == CriterionKind.Deterministic ? "D" : "P")}] {Text}";
}

/// <summary>The <c>## Config</c> section.</summary>
public sealed record ScenarioConfig
{
    /// <summary>The clones the scenario needs (<c>clones:</c>, alias <c>twins:</c>).</summary>
    public ImmutableArray<string> Clones { get; init; } = [];

    /// <summary>A seed name that applies to every clone that has it (<c>seed: stale-issues</c>).</summary>
    public string? Seed { get; init; }

    /// <summary>Named seeds per clone (<c>seed: github: stale-issues, slack: incident-active</c>).</summary>
    public ImmutableDictionary<string, string> CloneSeeds { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>A seed file (JSON or YAML), resolved against the scenario file's folder.</summary>
    public string? SeedFile { get; init; }

    /// <summary>The per-run timeout (<c>timeout:</c> seconds). The default value is 180 seconds, as the hosted runner.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How many fresh sessions to run (<c>runs:</c>). The default value is 1.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Tags (<c>tags:</c>, comma separated).</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>
    /// Fault rules every run's session starts with (<c>faults:</c>): a file of rules (JSON or YAML, resolved against the
    /// scenario file's folder) or an inline JSON array.
    /// </summary>
    public string? Faults { get; init; }

    /// <summary>The evaluator model for [P] criteria (<c>model:</c>), if any.</summary>
    public string? Model { get; init; }
}
