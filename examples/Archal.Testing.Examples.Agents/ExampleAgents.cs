using Archal.Testing.Scenarios;

namespace Archal.Testing.Examples.Agents;

/// <summary>
/// The example suite: one correct agent per scenario in examples/scenarios, keyed by scenario id. Each declares the
/// scenario it is for, so <c>--agent NAME</c> over the whole folder runs only that scenario.
/// </summary>
public static class ExampleAgents
{
    public static IReadOnlyDictionary<string, IScenarioAgent> All { get; } = new Dictionary<string, IScenarioAgent>
    {
        ["close-stale-issues"] = ScenarioAgent.For(new StaleIssuesAgent(), "close-stale-issues"),
        ["incident-triage"] = ScenarioAgent.For(new IncidentTriageAgent(), "incident-triage"),
        ["refund-duplicate-charge"] = ScenarioAgent.For(new RefundDuplicateChargeAgent(), "refund-duplicate-charge"),
        ["bug-digest-to-slack"] = ScenarioAgent.For(new BugDigestAgent(), "bug-digest-to-slack"),
        // Not a scenario id: pick it with --agent buggy-stale-issues to watch a [D] criterion catch the bug.
        ["buggy-stale-issues"] = ScenarioAgent.For(new StaleIssuesAgent { IgnoreKeepOpen = true }, "close-stale-issues"),
        // examples/faults/flaky-stale-issues.md: GitHub answers 502/503 and a secondary rate limit; only retrying passes.
        ["retrying-stale-issues"] = ScenarioAgent.For(new StaleIssuesAgent { MaxAttempts = 4 }, "flaky-stale-issues"),
        ["non-retrying-stale-issues"] = ScenarioAgent.For(new StaleIssuesAgent(), "flaky-stale-issues"),
        // The bug digest through MCP tools only (no REST), and a variant that also posts in #general.
        ["mcp-bug-digest"] = ScenarioAgent.For(new McpBugDigestAgent(), "bug-digest-to-slack"),
        ["buggy-mcp-bug-digest"] = ScenarioAgent.For(new McpBugDigestAgent { AlsoPostToGeneral = true }, "bug-digest-to-slack"),
    };
}
