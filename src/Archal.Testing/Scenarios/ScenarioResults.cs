using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Scenarios;

/// <summary>How one criterion fared in one run.</summary>
public enum CriterionStatus
{
    /// <summary>The criterion holds.</summary>
    Passed,

    /// <summary>The criterion does not hold.</summary>
    Failed,

    /// <summary>A [P] criterion with no judge configured (or a failed run): never counted as passed.</summary>
    NotJudged,

    /// <summary>The criterion could not be evaluated (a predicate or the judge threw).</summary>
    Error,
}

/// <summary>A criterion's verdict for one run, with the evidence behind it.</summary>
/// <param name="Status">The verdict.</param>
/// <param name="Evidence">What was found, for example <c>found 3 matching issues: …; expected exactly 4</c>.</param>
public sealed record CriterionOutcome(CriterionStatus Status, string Evidence)
{
    /// <summary>Whether the criterion passed.</summary>
    public bool Passed => Status == CriterionStatus.Passed;

    /// <summary>A passing outcome.</summary>
    public static CriterionOutcome Pass(string evidence) => new(CriterionStatus.Passed, evidence);

    /// <summary>A failing outcome.</summary>
    public static CriterionOutcome Fail(string evidence) => new(CriterionStatus.Failed, evidence);

    /// <summary>A [P] criterion that was not judged.</summary>
    public static CriterionOutcome NotJudged(string reason) => new(CriterionStatus.NotJudged, reason);
}

/// <summary>Everything about one finished run that criteria (and C# predicates) can inspect.</summary>
public sealed class ScenarioRunContext
{
    internal ScenarioRunContext(Scenario scenario, int runIndex, ArchalSession session, AgentResult agent,
        IReadOnlyDictionary<string, JsonObject> initialState, IReadOnlyDictionary<string, JsonObject> finalState,
        int toolCalls, IReadOnlyDictionary<string, int> toolCallsByClone)
    {
        Scenario = scenario;
        RunIndex = runIndex;
        Session = session;
        Agent = agent;
        InitialState = initialState;
        FinalState = finalState;
        ToolCalls = toolCalls;
        ToolCallsByClone = toolCallsByClone;
    }

    /// <summary>The scenario.</summary>
    public Scenario Scenario { get; }

    /// <summary>The 0-based run index.</summary>
    public int RunIndex { get; }

    /// <summary>The run's session (still running while criteria are evaluated).</summary>
    public ArchalSession Session { get; }

    /// <summary>What the agent returned.</summary>
    public AgentResult Agent { get; }

    /// <summary>Each clone's snapshot before the agent ran.</summary>
    public IReadOnlyDictionary<string, JsonObject> InitialState { get; }

    /// <summary>Each clone's snapshot after the agent finished.</summary>
    public IReadOnlyDictionary<string, JsonObject> FinalState { get; }

    /// <summary>How many clone calls the agent made.</summary>
    public int ToolCalls { get; }

    /// <summary>Clone calls per clone.</summary>
    public IReadOnlyDictionary<string, int> ToolCallsByClone { get; }

    /// <summary>Every clone call the agent made, in order (the session trace).</summary>
    public IReadOnlyList<Tracing.TraceEntry> Trace => Session.Trace.Entries;

    /// <summary>The rows of one table in a clone's final snapshot (for example <c>Rows("github", "issue")</c>).</summary>
    public IReadOnlyList<JsonObject> Rows(string cloneId, string table) =>
        FinalState.GetValueOrDefault(cloneId)?[table] is JsonArray rows ? [.. rows.OfType<JsonObject>()] : [];
}

/// <summary>One criterion's verdict in one run.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Outcome">The verdict and evidence.</param>
public sealed record CriterionResult(ScenarioCriterion Criterion, CriterionOutcome Outcome);

/// <summary>One run: a fresh session, one agent execution, every criterion evaluated.</summary>
public sealed record ScenarioRunResult
{
    /// <summary>The 0-based run index.</summary>
    public required int Index { get; init; }

    /// <summary>The session the run used.</summary>
    public required string SessionId { get; init; }

    /// <summary>The run record id (<c>GET /api/runs/{id}</c> while the host lives).</summary>
    public required string RunId { get; init; }

    /// <summary>The agent's result.</summary>
    public required AgentResult Agent { get; init; }

    /// <summary>Per-criterion verdicts, in scenario order.</summary>
    public required ImmutableArray<CriterionResult> Criteria { get; init; }

    /// <summary>How many clone calls were made.</summary>
    public int ToolCalls { get; init; }

    /// <summary>Wall-clock duration of the run.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Where the run record was written, if anywhere.</summary>
    public string? RecordPath { get; init; }

    /// <summary>Whether every evaluated criterion passed (not-judged [P] criteria do not count either way).</summary>
    public bool Passed => Criteria.All(c => c.Outcome.Status is CriterionStatus.Passed or CriterionStatus.NotJudged)
        && Criteria.Any(c => c.Outcome.Passed);
}

/// <summary>One criterion across all runs.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Passed">Runs in which it passed.</param>
/// <param name="Evaluated">Runs in which it was evaluated (not "not judged").</param>
/// <param name="Runs">Total runs.</param>
public sealed record CriterionSummary(ScenarioCriterion Criterion, int Passed, int Evaluated, int Runs)
{
    /// <summary>pass^k: it passed in every one of the k runs.</summary>
    public bool PassAllRuns => Runs > 0 && Passed == Runs;

    /// <summary>Whether it was never judged (a [P] criterion without a judge).</summary>
    public bool NotJudged => Evaluated == 0;
}

/// <summary>A scenario's score over N runs.</summary>
public sealed record ScenarioResult
{
    /// <summary>The scenario.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>Every run, by index (only this shard's runs when <see cref="Shard"/> is set).</summary>
    public required ImmutableArray<ScenarioRunResult> Runs { get; init; }

    /// <summary>The shard the runs came from, or null for the whole suite (or a merged result).</summary>
    public ScenarioShard? Shard { get; init; }

    /// <summary>How many runs the scenario has in the whole suite (more than <see cref="Runs"/> holds when sharded).</summary>
    /// <value>The default value is the number of <see cref="Runs"/>.</value>
    public int PlannedRuns
    {
        get => _plannedRuns ?? Runs.Length;
        init => _plannedRuns = value;
    }

    private readonly int? _plannedRuns;

    /// <summary>Files a test adapter wrote for this result (the HTML report, run records, HAR); failure messages name them.</summary>
    public IReadOnlyList<string> Artifacts { get; init; } = [];

    /// <summary>Per-criterion totals over the runs, in scenario order.</summary>
    public ImmutableArray<CriterionSummary> Criteria =>
    [
        .. Scenario.Criteria.Select((criterion, i) => new CriterionSummary(
            criterion,
            Runs.Count(r => r.Criteria[i].Outcome.Passed),
            Runs.Count(r => r.Criteria[i].Outcome.Status != CriterionStatus.NotJudged),
            Runs.Length)),
    ];

    /// <summary>Criterion-run pairs that passed.</summary>
    public int PassedPairs => Runs.Sum(r => r.Criteria.Count(c => c.Outcome.Passed));

    /// <summary>Criterion-run pairs that were evaluated (not-judged [P] pairs are left out).</summary>
    public int EvaluatedPairs => Runs.Sum(r => r.Criteria.Count(c => c.Outcome.Status != CriterionStatus.NotJudged));

    /// <summary>Satisfaction: the percentage (0–100) of evaluated criterion-run pairs that passed.</summary>
    public double Satisfaction => EvaluatedPairs == 0 ? 0 : 100.0 * PassedPairs / EvaluatedPairs;

    /// <summary>pass^k overall: every run passed every evaluated criterion.</summary>
    public bool Passed => Runs.Length > 0 && Runs.All(r => r.Passed);

    /// <summary>
    /// Throws <see cref="ScenarioFailedException"/> naming each failing criterion and its evidence unless <see cref="Passed"/>.
    /// A shard that holds no run of the scenario has nothing to fail.
    /// </summary>
    public ScenarioResult EnsurePassed()
    {
        if (!Passed && !(Runs.IsEmpty && Shard is not null))
        {
            throw new ScenarioFailedException(this);
        }

        return this;
    }

    /// <summary>A readable account of every failing criterion with its evidence; for a passing result, that it passed.</summary>
    public string DescribeFailures()
    {
        if (Passed)
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Scenario \"{Scenario.Title}\" passed: satisfaction {Satisfaction:0.#}% over {Runs.Length} run(s), no failing criterion.");
        }

        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Scenario \"{Scenario.Title}\" failed: satisfaction {Satisfaction:0.#}% over {Runs.Length} run(s).");
        if (Runs.IsEmpty && Shard is { } shard)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" No run of this scenario falls in shard {shard}.");
        }

        foreach (var run in Runs.Where(r => !r.Passed))
        {
            text.AppendLine().Append(System.Globalization.CultureInfo.InvariantCulture, $"Run {run.Index + 1} (session {run.SessionId}):");
            if (!run.Agent.Succeeded)
            {
                text.AppendLine().Append("  agent failed: ").Append(run.Agent.Error);
            }

            foreach (var criterion in run.Criteria.Where(c => c.Outcome.Status is CriterionStatus.Failed or CriterionStatus.Error))
            {
                text.AppendLine().Append("  ✗ ").Append(criterion.Criterion).AppendLine()
                    .Append("    ").Append(criterion.Outcome.Evidence);
            }

            if (run.Criteria.All(c => c.Outcome.Status == CriterionStatus.NotJudged))
            {
                text.AppendLine().Append("  no criterion could be evaluated (only [P] criteria and no judge configured)");
            }
        }

        if (Artifacts.Count > 0)
        {
            text.AppendLine().Append("Report: ").Append(Artifacts[0]);
        }

        return text.ToString();
    }
}

/// <summary>A scenario run did not pass: the message lists every failing criterion with its evidence.</summary>
public sealed class ScenarioFailedException : Exception
{
    /// <summary>Creates the exception for a result.</summary>
    public ScenarioFailedException(ScenarioResult result) : base(result?.DescribeFailures()) => Result = result;

    /// <summary>Creates the exception.</summary>
    public ScenarioFailedException() { }

    /// <summary>Creates the exception.</summary>
    public ScenarioFailedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ScenarioFailedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The failing result.</summary>
    public ScenarioResult? Result { get; }
}
