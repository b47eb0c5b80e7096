using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Scenarios;

/// <summary>A scenario's <c>faults:</c> (inline JSON or a file) and <see cref="ScenarioRunOptions.Faults"/> reach the session.</summary>
public class ScenarioFaultsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string Inline = """
        # Flaky
        ## Prompt
        Create an issue.
        ## Checks
        - [D] The run exits successfully
        ## Config
        clones: github
        faults: [{"clone": "github", "operation": "issues/create", "trigger": {"firstCalls": 2}, "effect": {"status": 503}}]
        """;

    [Fact]
    public void Inline_faults_are_read_into_the_config_and_the_session_request()
    {
        var scenario = ScenarioParser.Parse(Inline);

        var request = new ScenarioRunner(fixture.Host).BuildRequest(scenario, new ScenarioRunOptions
        {
            Faults = [new FaultRule("github", "issues/get", null, FaultEffect.Delay(TimeSpan.FromMilliseconds(10)))],
        });

        scenario.Config.Faults.Should().StartWith("[{");
        request.Faults.Select(f => (f.Operation, f.ToJson()["effect"]!.ToJsonString())).Should().Equal(
            ("issues/create", """{"status":503}"""),
            ("issues/get", """{"latencyMs":10}"""));
        request.Faults[0].Trigger!.ToString().Should().Be("""{"firstCalls":2}""");
    }

    [Fact]
    public void Malformed_inline_faults_are_a_validation_error_on_their_line()
    {
        var act = () => ScenarioParser.Parse(Inline.Replace("\"effect\": {\"status\": 503}", "\"effect\": {\"status\": \"x\"}", StringComparison.Ordinal), "flaky.md");

        act.Should().Throw<ScenarioValidationException>().WithMessage("flaky.md:8: faults: faults[0]: Field 'effect.status' must be an integer.*");
    }

    [Fact]
    public void A_faults_file_is_read_relative_to_the_scenario_in_YAML()
    {
        var folder = Directory.CreateTempSubdirectory("archal-faults-").FullName;
        File.WriteAllText(Path.Combine(folder, "flaky.yaml"), """
            - clone: github
              operation: issues/create
              trigger: { calls: [2, 3] }
              effect: { status: 403, code: secondary_rate_limit, retryAfterSeconds: 1 }
            """);
        var scenario = ScenarioParser.Parse(Inline.Replace(Inline.Split('\n')[^1], "faults: flaky.yaml", StringComparison.Ordinal), Path.Combine(folder, "flaky.md"));

        var rule = new ScenarioRunner(fixture.Host).BuildRequest(scenario).Faults.Single();

        rule.ToJson().ToJsonString().Should().Be(
            """{"clone":"github","operation":"issues/create","trigger":{"calls":[2,3]},"effect":{"status":403,"code":"secondary_rate_limit","retryAfterSeconds":1}}""");
    }

    [Fact]
    public async Task A_rule_the_clone_refuses_fails_the_session_with_the_field()
    {
        var scenario = ScenarioParser.Parse(Inline.Replace("issues/create", "issues/explode", StringComparison.Ordinal));

        var act = () => fixture.Host.CreateSessionAsync(new ScenarioRunner(fixture.Host).BuildRequest(scenario));

        (await act.Should().ThrowAsync<ArchalApiException>()).Which.Code.Should().Be("unknown_operation");
    }
}
