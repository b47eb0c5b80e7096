using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Examples.Agents;
using Archal.Testing.Scenarios;
using Archal.Testing.Xunit;
using FluentAssertions;
using Xunit;

namespace Archal.Testing.Examples.Xunit;

public class ExampleSuiteTests(ArchalFixture fixture) : IClassFixture<ArchalFixture>
{
    [Theory]
    [ScenarioData("examples/scenarios")]
    public async Task Example_agent_passes_its_scenario(ScenarioFile file)
    {
        var result = await fixture.RunScenarioAsync(file, ExampleAgents.All[file.Id], options: new ScenarioRunOptions { Runs = 2 });

        result.EnsurePassed();
    }

    [Fact]
    public async Task Buggy_stale_issues_agent_is_caught_by_the_keep_open_criterion()
    {
        var scenario = ScenarioParser.ParseFile(ScenarioFiles.Resolve("examples/scenarios/close-stale-issues.md"));

        var result = await new ScenarioRunner(fixture.Host).RunAsync(scenario, ExampleAgents.All["buggy-stale-issues"], new ScenarioRunOptions { Runs = 1 });

        result.Passed.Should().BeFalse();
        var keepOpen = result.Runs[0].Criteria.Single(c => c.Criterion.Text == "Issues with label \"keep-open\" remain open");
        keepOpen.Outcome.Status.Should().Be(CriterionStatus.Failed);
        keepOpen.Outcome.Evidence.Should().StartWith("2 of 2 matching issues do not");
        result.Runs[0].Criteria.Single(c => c.Criterion.Text == "Exactly 4 issues were closed").Outcome.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Retrying_agent_passes_the_flaky_scenario_that_a_non_retrying_one_fails()
    {
        var scenario = ScenarioParser.ParseFile(ScenarioFiles.Resolve("examples/faults/flaky-stale-issues.md"));
        var runner = new ScenarioRunner(fixture.Host);

        var retrying = await runner.RunAsync(scenario, ExampleAgents.All["retrying-stale-issues"], new ScenarioRunOptions { Runs = 2 });
        var naive = await runner.RunAsync(scenario, ExampleAgents.All["non-retrying-stale-issues"], new ScenarioRunOptions { Runs = 2 });

        retrying.EnsurePassed();
        retrying.Runs.Should().AllSatisfy(r => r.ToolCalls.Should().BeGreaterThan(9, "1 list, 4 comments and 4 updates, plus the retries"));
        naive.Passed.Should().BeFalse();
        naive.Runs.Should().AllSatisfy(r => r.Criteria.Single(c => c.Criterion.Text == "The run exits successfully").Outcome.Passed.Should().BeFalse());
    }

    [Fact]
    public async Task Mcp_only_agent_passes_the_bug_digest_and_its_calls_are_traced_as_tool_calls()
    {
        var scenario = ScenarioParser.ParseFile(ScenarioFiles.Resolve("examples/scenarios/bug-digest-to-slack.md"));

        var result = await new ScenarioRunner(fixture.Host).RunAsync(scenario, ExampleAgents.All["mcp-bug-digest"], new ScenarioRunOptions { Runs = 1 });

        result.EnsurePassed();
        using var client = fixture.Host.CreateClient();
        var record = await client.GetFromJsonAsync<JsonObject>($"/api/runs/{result.Runs[0].RunId}");
        var trace = record!["trace"]!["entries"]!.AsArray();
        trace.Should().OnlyContain(e => e!["transport"]!.GetValue<string>() == "mcp", "the agent works through MCP tools only");
        trace.Select(e => e!["tool"]!.GetValue<string>()).Should().Equal("list_issues", "slack_list_channels", "slack_post_message");
    }

    [Fact]
    public async Task Buggy_mcp_agent_is_caught_by_the_other_channels_criterion()
    {
        var scenario = ScenarioParser.ParseFile(ScenarioFiles.Resolve("examples/scenarios/bug-digest-to-slack.md"));

        var result = await new ScenarioRunner(fixture.Host).RunAsync(scenario, ExampleAgents.All["buggy-mcp-bug-digest"], new ScenarioRunOptions { Runs = 1 });

        result.Passed.Should().BeFalse();
        var criterion = result.Runs[0].Criteria.Single(c => c.Criterion.Text == "Zero messages were sent to channels other than #engineering");
        criterion.Outcome.Status.Should().Be(CriterionStatus.Failed);
        result.Runs[0].Criteria.Single(c => c.Criterion.Text == "Exactly 1 message was posted in #engineering").Outcome.Passed.Should().BeTrue();
    }
}

public class ExternalAgentTests(ArchalKestrelFixture fixture) : IClassFixture<ArchalKestrelFixture>
{
    [Fact]
    public async Task Node_agent_passes_close_stale_issues_over_kestrel()
    {
        var scenario = ScenarioParser.ParseFile(ScenarioFiles.Resolve("examples/scenarios/close-stale-issues.md"));
        var script = ScenarioFiles.Resolve("examples/agents/node/stale-issues.mjs");

        var result = await new ScenarioRunner(fixture.Host).RunAsync(scenario, ScenarioAgent.External($"node \"{script}\""), new ScenarioRunOptions { Runs = 1 });

        result.EnsurePassed();
        result.Runs[0].Agent.Output.Should().StartWith("Closed 4 stale issues");
    }
}
