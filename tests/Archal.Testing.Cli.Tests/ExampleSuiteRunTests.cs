using Archal.Testing.Cli;
using Archal.Testing.Cli.Tests.Support;
using Archal.Testing.Examples.Agents;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli.Tests;

/// <summary>The README's <c>run</c> commands over examples/scenarios with the example agents.</summary>
public sealed class ExampleSuiteRunTests : IDisposable
{
    private readonly string _records = Path.Combine(Path.GetTempPath(), "archal-examples-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_records))
        {
            Directory.Delete(_records, recursive: true);
        }
    }


    private async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, IScenarioAgent> agents, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await RunCommand.RunAsync(["run", .. args, "--records", _records, "--api-key", ""], agents, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Agent_buggy_stale_issues_runs_only_the_scenario_it_is_for_and_fails_its_deterministic_criterion()
    {
        var (exit, output) = await RunAsync(ExampleAgents.All, RepositoryPaths.ExampleScenarios, "--agent", "buggy-stale-issues", "--pass-threshold", "90", "-n", "1");

        exit.Should().Be(1, output);
        output.Should().Contain("agent buggy-stale-issues is for: close-stale-issues; skipping bug-digest-to-slack, incident-triage, refund-duplicate-charge")
            .And.NotContain("has no 'github' clone").And.NotContain("has no");
        Directory.GetDirectories(_records).Select(Path.GetFileName).Should().Equal("close-stale-issues");
    }

    [Fact]
    public async Task An_agent_for_none_of_the_given_scenarios_exits_2_naming_what_it_is_for()
    {
        var agents = new Dictionary<string, IScenarioAgent>
        {
            ["other"] = ScenarioAgent.For(ScenarioAgent.FromDelegate((_, _) => Task.FromResult<string?>("hi")), "something-else"),
        };

        var (exit, output) = await RunAsync(agents, Path.Combine(RepositoryPaths.ExampleScenarios, "incident-triage.md"), "--agent", "other");

        exit.Should().Be(2, output);
        output.Trim().Should().Be("error: agent 'other' is for: something-else; none of these scenarios (incident-triage) is one of them.");
    }

    [Fact]
    public async Task An_agent_that_declares_no_scenarios_runs_every_scenario_given()
    {
        var agents = new Dictionary<string, IScenarioAgent> { ["any"] = ScenarioAgent.FromDelegate((_, _) => Task.FromResult<string?>("hi")) };

        var (_, output) = await RunAsync(agents, Path.Combine(RepositoryPaths.ExampleScenarios, "incident-triage.md"), "--agent", "any", "-n", "1");

        output.Should().NotContain("is for:").And.Contain("incident-triage");
    }
}
