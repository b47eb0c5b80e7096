using System.Text.Json.Nodes;
using Archal.Testing.Cli;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-run-" + Guid.NewGuid().ToString("N"));

    public RunCommandTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "smoke.md"), """
            # Smoke
            ## Prompt
            Say hello.
            ## Success Criteria
            - [D] The run exits successfully
            - [D] Fewer than 5 tool calls were made
            - [P] The answer is friendly
            ## Config
            clones: github
            runs: 2
            tags: smoke
            """);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly IScenarioAgent Hello = ScenarioAgent.FromDelegate((_, _) => Task.FromResult<string?>("hello"));

    private static readonly IScenarioAgent Broken = ScenarioAgent.FromDelegate((_, _) => throw new InvalidOperationException("no"));

    private async Task<(int Exit, string Output)> RunAsync(IScenarioAgent agent, params string[] args)
    {
        using var output = new StringWriter();
        // --api-key "" keeps an OPENAI_API_KEY in the environment from reaching the network.
        var exit = await RunCommand.RunAsync(["run", .. args, "--records", Path.Combine(_folder, "records"), "--api-key", ""],
            new Dictionary<string, IScenarioAgent> { ["smoke"] = agent }, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Json_output_reports_satisfaction_pass_k_and_not_judged_criteria_and_writes_run_records()
    {
        var (exit, output) = await RunAsync(Hello, _folder, "-o", "json");

        exit.Should().Be(0, output);
        var report = JsonNode.Parse(output)!;
        report["satisfaction"]!.GetValue<double>().Should().Be(100);
        report["passAllRuns"]!.GetValue<bool>().Should().BeTrue();
        var criteria = report["scenarios"]![0]!["criteria"]!.AsArray();
        criteria.Select(c => c!["passed"]!.GetValue<int>()).Should().Equal(2, 2, 0);
        criteria[2]!["notJudged"]!.GetValue<bool>().Should().BeTrue();
        Directory.GetFiles(Path.Combine(_folder, "records", "smoke")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Two_invocations_into_one_records_folder_keep_every_final_record()
    {
        await RunAsync(Hello, _folder, "-o", "json");
        await RunAsync(Hello, _folder, "-o", "json");

        var files = Directory.GetFiles(Path.Combine(_folder, "records", "smoke"));
        files.Should().HaveCount(4);
        files.Select(f => JsonNode.Parse(File.ReadAllText(f))!["runRecord"]!["status"]!.GetValue<string>()).Should().AllBe("ended");
    }

    [Fact]
    public async Task Below_the_pass_threshold_exits_1()
    {
        var (exit, output) = await RunAsync(Broken, _folder, "--pass-threshold", "80", "-n", "1");

        exit.Should().Be(1);
        output.Should().Contain("the agent threw InvalidOperationException: no").And.Contain("Satisfaction 50% is below the pass threshold 80%.");
    }

    [Fact]
    public async Task Without_a_threshold_a_run_whose_every_attempt_fails_exits_1()
    {
        var (exit, output) = await RunAsync(Broken, _folder, "-n", "2");

        exit.Should().Be(1, output);
        output.Should().Contain("Every run failed.");
    }

    [Theory]
    [InlineData("-n", "0", "error: --runs (-n) must be at least 1, got 0.")]
    [InlineData("--pass-threshold", "150", "error: --pass-threshold must be between 0 and 100, got 150.")]
    [InlineData("--timeout", "0", "error: --timeout (-t) must be at least 1 second, got 0.")]
    public async Task Out_of_range_options_are_one_line_errors_that_exit_2(string option, string value, string message)
    {
        var (exit, output) = await RunAsync(Hello, _folder, option, value);

        exit.Should().Be(2);
        output.Trim().Should().Be(message);
    }

    [Fact]
    public async Task An_unknown_agent_exits_2_listing_the_known_ones()
    {
        var (exit, output) = await RunAsync(Hello, _folder, "--agent", "nobody");

        exit.Should().Be(2);
        output.Trim().Should().Be("error: no in-process agent named 'nobody'. Known: smoke.");
    }

    [Fact]
    public async Task Terminal_output_shows_progress_and_a_results_table()
    {
        var (exit, output) = await RunAsync(Hello, Path.Combine(_folder, "smoke.md"));

        exit.Should().Be(0);
        output.Should().Contain("▶ Smoke").And.Contain("run 2/2: passed").And.Contain("not judged").And.Contain("satisfaction 100%");
    }

    [Fact]
    public async Task Runs_are_reported_in_run_order_even_when_they_finish_out_of_order()
    {
        var calls = 0;
        var slowFirst = ScenarioAgent.FromDelegate(async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(700), cancellationToken);
            }

            return "hello";
        });

        var (exit, output) = await RunAsync(slowFirst, Path.Combine(_folder, "smoke.md"), "-n", "3");

        exit.Should().Be(0, output);
        var lines = output.Split('\n').Where(l => l.TrimStart().StartsWith("run ", StringComparison.Ordinal)).Select(l => l.Trim()[..7]).ToList();
        lines.Should().Equal("run 1/3", "run 2/3", "run 3/3");
    }

    [Fact]
    public async Task Junit_output_has_one_case_per_criterion_per_run()
    {
        var (exit, output) = await RunAsync(Hello, _folder, "-o", "junit");

        exit.Should().Be(0);
        var suite = System.Xml.Linq.XDocument.Parse(output).Root!.Element("testsuite")!;
        suite.Attribute("tests")!.Value.Should().Be("6");
        suite.Attribute("skipped")!.Value.Should().Be("2");
    }

    [Fact]
    public async Task An_invalid_scenario_exits_2_naming_file_line_and_problem()
    {
        File.WriteAllText(Path.Combine(_folder, "bad.md"), "# Bad\n## Prompt\nx\n## Success Criteria\n- [D] The vibes are good\n## Config\nclones: github\n");

        var (exit, output) = await RunAsync(Hello, _folder);

        exit.Should().Be(2);
        output.Should().Contain("bad.md:5: [D] criterion \"The vibes are good\" cannot be read by the deterministic grammar");
    }

    [Fact]
    public async Task A_scenario_without_an_agent_exits_2()
    {
        using var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["run", _folder], output);

        exit.Should().Be(2);
        output.ToString().Should().Contain("error: no agent for scenario 'smoke'").And.Contain("--harness");
    }

    [Fact]
    public async Task The_built_in_judge_client_speaks_openai_chat_completions()
    {
        var handler = new StubHandler("""{"choices":[{"message":{"role":"assistant","content":"{\"pass\": true, \"reason\": \"friendly\"}"}}]}""");
        using var client = RunCommand.CreateJudgeClient("https://judge.test/v1", "sk-test", "small-model", handler);
        var scenario = ScenarioParser.ParseFile(Path.Combine(_folder, "smoke.md"));

        var outcome = await new ChatClientJudge(client).JudgeAsync(
            new JudgeRequest(scenario, scenario.Criteria[2], "hello", null, new Dictionary<string, JsonObject>()), CancellationToken.None);

        outcome.Should().Be(CriterionOutcome.Pass("judge: friendly"));
        handler.Request!.RequestUri.Should().Be(new Uri("https://judge.test/v1/chat/completions"));
        handler.Request.Headers.Authorization!.ToString().Should().Be("Bearer sk-test");
        var body = JsonNode.Parse(handler.Body!)!;
        body["model"]!.GetValue<string>().Should().Be("small-model");
        body["messages"]![0]!["role"]!.GetValue<string>().Should().Be("user");
        body["messages"]![0]!["content"]!.GetValue<string>().Should().Contain("The answer is friendly");
    }

    private sealed class StubHandler(string answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(answer, System.Text.Encoding.UTF8, "application/json") };
        }
    }

    [Fact]
    public async Task A_tag_no_scenario_has_runs_nothing_and_exits_0()
    {
        var (exit, output) = await RunAsync(Hello, _folder, "--tag", "billing");

        exit.Should().Be(0);
        output.Should().Contain("nothing to run");
    }
}
