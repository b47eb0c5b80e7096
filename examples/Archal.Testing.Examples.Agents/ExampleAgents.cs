using Archal.Testing.Scenarios;

namespace Archal.Testing.Examples.Agents;

/// <summary>The example suite: one correct agent per scenario in examples/scenarios, keyed by scenario id.</summary>
public static class ExampleAgents
{
    public static IReadOnlyDictionary<string, IScenarioAgent> All { get; } = new Dictionary<string, IScenarioAgent>
    {
        ["close-stale-issues"] = new StaleIssuesAgent(),
        ["incident-triage"] = new IncidentTriageAgent(),
        ["refund-duplicate-charge"] = new RefundDuplicateChargeAgent(),
        ["bug-digest-to-slack"] = new BugDigestAgent(),
        // Not a scenario id: pick it with --agent buggy-stale-issues to watch a [D] criterion catch the bug.
        ["buggy-stale-issues"] = new StaleIssuesAgent { IgnoreKeepOpen = true },
    };
}
