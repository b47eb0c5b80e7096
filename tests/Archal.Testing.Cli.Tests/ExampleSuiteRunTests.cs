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

    private static string FaultsFolder() => Path.Combine(Path.GetDirectoryName(RepositoryPaths.ExampleScenarios)!, "faults");

    [Fact]
    public async Task Flaky_scenario_passes_with_the_retrying_agent_and_fails_without_retries()
    {
        var (retryingExit, retrying) = await RunAsync(ExampleAgents.All, FaultsFolder(), "--agent", "retrying-stale-issues", "-n", "1", "--pass-threshold", "100");
        var (naiveExit, naive) = await RunAsync(ExampleAgents.All, FaultsFolder(), "--agent", "non-retrying-stale-issues", "-n", "1", "--pass-threshold", "100");

        retryingExit.Should().Be(0, retrying);
        naiveExit.Should().Be(1, naive);
    }

    [Fact]
    public async Task Fault_option_adds_a_rule_to_every_run_and_a_refused_rule_is_a_usage_error()
    {
        var scenario = Path.Combine(RepositoryPaths.ExampleScenarios, "close-stale-issues.md");
        const string Flaky = """{"clone":"github","operation":"issues/update","trigger":{"firstCalls":1},"effect":{"status":502}}""";

        var (faultedExit, faulted) = await RunAsync(ExampleAgents.All, scenario, "-n", "1", "--pass-threshold", "100", "--fault", Flaky);
        var (badExit, bad) = await RunAsync(ExampleAgents.All, scenario, "-n", "1", "--fault", Flaky.Replace("issues/update", "issues/explode", StringComparison.Ordinal));
        var (malformedExit, malformed) = await RunAsync(ExampleAgents.All, scenario, "-n", "1", "--fault", """{"clone":"github","effect":{"status":"x"}}""");

        faultedExit.Should().Be(1, "the close-stale-issues agent does not retry: " + faulted);
        badExit.Should().Be(2, bad);
        bad.Should().Contain("error: close-stale-issues: 400 unknown_operation: The github clone has no operation 'issues/explode'");
        malformedExit.Should().Be(2, malformed);
        malformed.Should().Contain("error: --fault: faults[0]: Field 'effect.status' must be an integer.");
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
