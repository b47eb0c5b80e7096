using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Tests.Scenarios;

/// <summary>A tiny stand-in "github" clone (issues only) so runner tests do not depend on the real clone.</summary>
internal sealed class FakeIssuesClone : CloneDefinition
{
    public override string Id => "github";

    public override string DisplayName => "Fake GitHub";

    public override string Description => "Issues only, for runner tests.";

    public override IReadOnlyList<string> SeedNames => ["empty", "three-issues"];

    public override string DefaultServiceToken => "ghp_test";

    // A stand-in for GitHub speaks GitHub's words in [D] criteria.
    public override CloneVocabulary Vocabulary => new Archal.Testing.Clones.GitHub.GitHubClone().Vocabulary;

    public override CloneState CreateState(CloneSeedContext context)
    {
        var state = new FakeState(context);
        if (context.SeedName == "three-issues")
        {
            for (var i = 1; i <= 3; i++)
            {
                state.Issues.Add(new FakeIssue { Repo = "acme/webapp", Number = i, Title = $"Issue {i}", State = "open" });
            }
        }

        foreach (var issue in (context.Data?["issues"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var repo = issue["repo"]?.GetValue<string>() ?? throw new CloneSeedException("issues[].repo is required");
            state.Issues.Add(new FakeIssue
            {
                Repo = repo,
                Number = state.Issues.Count + 1,
                Title = issue["title"]?.GetValue<string>() ?? "untitled",
                State = issue["state"]?.GetValue<string>() ?? "open",
                Labels = [.. (issue["labels"] as JsonArray ?? []).Select(l => l!.GetValue<string>())],
            });
        }

        return state;
    }

    // Maps its own endpoints (below): traces name its calls "METHOD path".
    public override IReadOnlyList<CloneOperation> Operations => [];

    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapGet("/repos/{owner}/{repo}/issues", (HttpContext http, string owner, string repo) =>
            Results.Json(http.GetCloneState<FakeState>().Issues.Items.Where(i => i.Repo == $"{owner}/{repo}" && i.State == "open")
                .Select(i => new { number = i.Number, title = i.Title, labels = i.Labels.Select(l => new { name = l }) })));
        api.MapPatch("/repos/{owner}/{repo}/issues/{number:int}", (HttpContext http, string owner, string repo, int number) =>
        {
            var state = http.GetCloneState<FakeState>();
            var issue = state.Issues.Find($"{owner}/{repo}#{number}");
            if (issue is null)
            {
                return Results.NotFound();
            }

            state.Issues.Update(issue, i => i.State = "closed");
            return Results.Json(new { number, state = "closed" });
        });
    }

    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        http.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    internal sealed class FakeState : CloneState
    {
        public FakeState(CloneSeedContext seed) : base("github", seed) =>
            Issues = CreateTable<FakeIssue>("issue", i => $"{i.Repo}#{i.Number}");

        public EntityTable<FakeIssue> Issues { get; }
    }

    internal sealed class FakeIssue
    {
        public required string Repo { get; init; }

        public required int Number { get; init; }

        public required string Title { get; init; }

        public required string State { get; set; }

        public List<string> Labels { get; init; } = [];
    }
}

public sealed class ScenarioRunnerTests : IAsyncLifetime
{
    private const string Scenario = """
        # Close all but keep-open
        ## Prompt
        Close every open issue in acme/webapp except those labelled "keep-open".
        ## Success Criteria
        - [D] Exactly 2 issues were closed
        - [D] Issues with label "keep-open" remain open
        - [D] Fewer than 10 tool calls were made
        - [D] The run exits successfully
        - [P] The agent explains what it did
        ## Config
        clones: github
        seed: seed.json
        runs: 3
        """;

    private const string Seed = """
        { "github": { "repos": [{ "owner": "acme", "name": "webapp" }], "issues": [
            { "repo": "acme/webapp", "title": "a" },
            { "repo": "acme/webapp", "title": "b" },
            { "repo": "acme/webapp", "title": "c", "labels": ["keep-open"] } ] } }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-runner-" + Guid.NewGuid().ToString("N"));
    private ArchalHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "close.md"), Scenario);
        File.WriteAllText(Path.Combine(_folder, "seed.json"), Seed);
        var options = new ArchalHostOptions();
        options.Clones.Clear();
        options.Clones.Add(new FakeIssuesClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static IScenarioAgent Closer(bool respectKeepOpen) => ScenarioAgent.FromDelegate(async (context, ct) =>
    {
        using var github = context.CreateClient("github");
        var issues = await github.GetFromJsonAsync<JsonArray>("repos/acme/webapp/issues", ct);
        var closed = 0;
        foreach (var issue in issues!.OfType<JsonObject>())
        {
            var keep = issue["labels"]!.AsArray().Any(l => l!["name"]!.GetValue<string>() == "keep-open");
            if (keep && respectKeepOpen)
            {
                continue;
            }

            using var response = await github.PatchAsJsonAsync($"repos/acme/webapp/issues/{issue["number"]}", new { state = "closed" }, ct);
            response.EnsureSuccessStatusCode();
            closed++;
        }

        return $"Closed {closed} issues.";
    });

    [Fact]
    public async Task A_correct_agent_passes_every_deterministic_criterion_in_every_run()
    {
        var records = Path.Combine(_folder, "runs");
        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: true),
            new ScenarioRunOptions { RecordDirectory = records });

        result.Runs.Should().HaveCount(3);
        result.Runs.Select(r => r.SessionId).Should().OnlyHaveUniqueItems();
        result.Passed.Should().BeTrue(result.DescribeFailures());
        result.Satisfaction.Should().Be(100);
        result.EvaluatedPairs.Should().Be(12, "the [P] criterion is not judged without a judge and is left out");
        result.Criteria[4].NotJudged.Should().BeTrue();
        result.Runs[0].Criteria[4].Outcome.Status.Should().Be(CriterionStatus.NotJudged);
        result.Runs[0].ToolCalls.Should().Be(3);
        Directory.GetFiles(Path.Combine(records, "close")).Should().HaveCount(3);
        result.EnsurePassed();
    }

    [Fact]
    public async Task Run_records_are_written_after_the_session_ended_and_say_so()
    {
        var records = Path.Combine(_folder, "final-runs");
        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: true),
            new ScenarioRunOptions { Runs = 1, RecordDirectory = records });

        var record = JsonNode.Parse(File.ReadAllText(result.Runs[0].RecordPath!))!["runRecord"]!;
        record["status"]!.GetValue<string>().Should().Be("ended");
        record["final"]!.GetValue<bool>().Should().BeTrue();
        record["timings"]!["endedAt"].Should().NotBeNull();
    }

    [Fact]
    public async Task Two_runs_into_one_records_folder_keep_both_records()
    {
        var records = Path.Combine(_folder, "shared-runs");
        var options = new ScenarioRunOptions { Runs = 1, RecordDirectory = records };

        var first = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: true), options);
        var second = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: true), options);

        Directory.GetFiles(Path.Combine(records, "close")).Should().BeEquivalentTo(first.Runs[0].RecordPath, second.Runs[0].RecordPath);
    }

    [Fact]
    public async Task A_record_whose_file_name_is_taken_gets_a_new_suffix_and_leaves_the_old_file_alone()
    {
        var folder = Path.Combine(_folder, "taken");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "run_1.json"), "old");
        File.WriteAllText(Path.Combine(folder, "run_1-2.json"), "older");

        var path = await ScenarioRunner.WriteNewFileAsync(folder, "run_1", "new"u8.ToArray(), CancellationToken.None);

        path.Should().Be(Path.Combine(folder, "run_1-3.json"));
        File.ReadAllText(Path.Combine(folder, "run_1.json")).Should().Be("old");
        File.ReadAllText(Path.Combine(folder, "run_1-2.json")).Should().Be("older");
        File.ReadAllText(path).Should().Be("new");
    }

    [Fact]
    public async Task Describe_failures_on_a_passing_result_says_it_passed()
    {
        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: true),
            new ScenarioRunOptions { Runs = 1 });

        result.DescribeFailures().Should().MatchRegex("^Scenario \".+\" passed: satisfaction 100% over 1 run\\(s\\), no failing criterion\\.$");
    }

    [Fact]
    public async Task The_run_record_carries_the_criteria_verdicts()
    {
        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: false),
            new ScenarioRunOptions { Runs = 1 });
        using var control = _host.CreateClient();

        var run = await control.GetFromJsonAsync<JsonObject>($"/api/runs/{result.Runs[0].RunId}");

        run!["final"]!.GetValue<bool>().Should().BeTrue("the runner ends each session after evaluating it");
        var criteria = run["criteria"]!["criteria"]!.AsArray();
        criteria.Should().HaveCount(5);
        criteria.Select(c => c!["status"]!.GetValue<string>()).Should().Equal("failed", "failed", "passed", "passed", "not_judged");
        criteria[1]!["text"]!.GetValue<string>().Should().Be("Issues with label \"keep-open\" remain open");
    }

    [Fact]
    public async Task A_buggy_agent_fails_the_criterion_that_catches_it_with_evidence()
    {
        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(respectKeepOpen: false),
            new ScenarioRunOptions { Runs = 2 });

        result.Passed.Should().BeFalse();
        result.Criteria.Select(c => c.Passed).Should().Equal(0, 0, 2, 2, 0);
        result.Satisfaction.Should().Be(50);
        var act = () => result.EnsurePassed();
        act.Should().Throw<ScenarioFailedException>().WithMessage(
            "*✗ [D] Issues with label \"keep-open\" remain open*1 of 1 matching issues do not: acme/webapp#3*");
    }

    [Fact]
    public async Task An_agent_that_throws_fails_the_run_and_the_exit_criterion()
    {
        var agent = ScenarioAgent.FromDelegate((_, _) => throw new InvalidOperationException("boom"));

        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), agent, new ScenarioRunOptions { Runs = 1 });

        result.Runs[0].Agent.Error.Should().Be("the agent threw InvalidOperationException: boom");
        result.Runs[0].Criteria[3].Outcome.Evidence.Should().Be("the run did not exit successfully: the agent threw InvalidOperationException: boom");
        result.Runs[0].Criteria[4].Outcome.Evidence.Should().Be("the run failed, so [P] criteria are not evaluated");
    }

    [Fact]
    public async Task A_judge_decides_probabilistic_criteria()
    {
        var judge = new RecordingJudge();

        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), Closer(true), new ScenarioRunOptions { Runs = 1, Judge = judge });

        result.Runs[0].Criteria[4].Outcome.Should().Be(CriterionOutcome.Pass("judged"));
        judge.Requests.Should().ContainSingle().Which.AgentOutput.Should().Be("Closed 2 issues.");
        result.EvaluatedPairs.Should().Be(5);
    }

    [Fact]
    public async Task Code_first_criteria_are_predicates_over_the_run()
    {
        var scenario = ScenarioParser.ParseFile(Path.Combine(_folder, "close.md"));
        scenario = scenario with
        {
            Criteria =
            [
                ScenarioCriterion.Deterministic("Issue 3 is still open", run =>
                    run.Rows("github", "issue").Single(i => i["number"]!.GetValue<int>() == 3)["state"]!.GetValue<string>() == "open"),
                ScenarioCriterion.Deterministic("Every call was a GET or a PATCH", run =>
                    run.Trace.Count == 4 && run.Trace.All(e => e.Method is "GET" or "PATCH")),
            ],
        };

        var result = await new ScenarioRunner(_host).RunAsync(scenario, Closer(false), new ScenarioRunOptions { Runs = 1 });

        result.Runs[0].Criteria[0].Outcome.Should().Be(CriterionOutcome.Fail("predicate returned false"));
        result.Runs[0].Criteria[1].Outcome.Should().Be(CriterionOutcome.Pass("predicate returned true"));
    }

    [Fact]
    public async Task A_timeout_fails_the_run()
    {
        var agent = ScenarioAgent.FromDelegate(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });

        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), agent,
            new ScenarioRunOptions { Runs = 1, Timeout = TimeSpan.FromMilliseconds(200) });

        result.Runs[0].Agent.Error.Should().Be("the agent did not finish within the 0s timeout");
    }

    [Fact]
    public void Unknown_seed_names_are_validation_errors_listing_known_seeds()
    {
        var scenario = ScenarioParser.Parse("# T\n## Prompt\nx\n## Checks\n- [D] The run exits successfully\n## Config\nclones: github\nseed: nope\n", "t.md");

        var act = () => new ScenarioRunner(_host).BuildRequest(scenario);

        act.Should().Throw<ScenarioValidationException>().WithMessage("*t.md: no clone in this scenario has a seed named 'nope'. Known seeds: github: empty, three-issues.");
    }

    [Fact]
    public async Task Runs_of_a_scenario_start_from_the_same_world_and_end_in_the_same_state()
    {
        var finals = new List<string>();
        var agent = ScenarioAgent.FromDelegate(async (context, ct) =>
        {
            var answer = await Closer(true).RunAsync(context, ct);
            lock (finals)
            {
                finals.Add(context.Session.Snapshot("github").ToJsonString());
            }

            return answer.Output;
        });

        var result = await new ScenarioRunner(_host).RunAsync(Path.Combine(_folder, "close.md"), agent, new ScenarioRunOptions { Runs = 3, RandomSeed = 7 });

        result.Passed.Should().BeTrue(result.DescribeFailures());
        finals.Distinct().Should().ContainSingle();
    }

    [Fact]
    public void The_seed_option_replaces_the_scenario_seed()
    {
        var scenario = ScenarioParser.ParseFile(Path.Combine(_folder, "close.md"));

        var request = new ScenarioRunner(_host).BuildRequest(scenario, new ScenarioRunOptions { Seed = "three-issues" });

        request.Seeds.Should().BeEquivalentTo(new Dictionary<string, string> { ["github"] = "three-issues" });
        request.SeedData.Should().BeEmpty();
        new ScenarioRunner(_host).BuildRequest(scenario).SeedData["github"]["issues"]!.AsArray().Should().HaveCount(3);
    }

    private sealed class RecordingJudge : IScenarioJudge
    {
        public List<JudgeRequest> Requests { get; } = [];

        public Task<CriterionOutcome> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(CriterionOutcome.Pass("judged"));
        }
    }
}

public sealed class SessionSeedDataTests : IAsyncLifetime
{
    private ArchalHost _host = null!;

    public async Task InitializeAsync()
    {
        var options = new ArchalHostOptions();
        options.Clones.Clear();
        options.Clones.Add(new FakeIssuesClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Seed_data_reaches_the_clone_on_top_of_the_named_seed()
    {
        var data = JsonNode.Parse("""{ "issues": [{ "repo": "acme/webapp", "title": "declared" }] }""")!.AsObject();

        await using var session = await _host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "three-issues").WithSeedData("github", data));

        var issues = session.Snapshot("github")["issue"]!.AsArray();
        issues.Select(i => i!["title"]!.GetValue<string>()).Should().Equal("Issue 1", "Issue 2", "Issue 3", "declared");
        session.ResolvedSeeds["github"].Should().Be("three-issues");
    }

    [Theory]
    [InlineData("""{ "clones": ["github"], "seeds": { "github": { "seed": "nope" } } }""", "unknown_seed", "Clone 'github' has no seed named 'nope'. Known seeds: empty, three-issues.")]
    [InlineData("""{ "clones": ["github"], "seeds": { "github": { "data": [1] } } }""", "invalid_type", "Field 'seeds.github.data' must be an object of declared entities, not an array.")]
    [InlineData("""{ "clones": ["github"], "seeds": { "github": { "extra": 1 } } }""", "unknown_field", "Unknown field 'seeds.github.extra'. Known fields: seed, data.")]
    [InlineData("""{ "clones": ["github"], "seeds": { "github": 5 } }""", "invalid_type", "Field 'seeds.github' must be a seed name (string) or an object { seed, data }, not a number.")]
    [InlineData("""{ "clones": ["github"], "seeds": { "github": { "data": { "issues": [{ "title": "no repo" }] } } } }""", "seed_error", "issues[].repo is required")]
    public async Task Bad_seed_objects_get_400_with_the_field(string body, string code, string message)
    {
        using var client = _host.CreateClient();

        using var response = await client.PostAsync("/api/sessions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();
        error!["code"]!.GetValue<string>().Should().Be(code);
        error["message"]!.GetValue<string>().Should().Be(message);
    }
}
