using System.Text.Json.Nodes;
using Archal.Testing.Cli;
using Archal.Testing.Cli.Tests.Support;
using Archal.Testing.Scenarios;
using Microsoft.Extensions.AI;

namespace Archal.Testing.Cli.Tests;

public sealed class JudgeVerdictCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-judge-cache-" + Guid.NewGuid().ToString("N"));

    private static readonly Scenario Scenario = ScenarioParser.Parse("""
        # Greet
        ## Prompt
        Say hello.
        ## Success Criteria
        - [P] The answer is friendly
        - [P] The answer is short
        ## Config
        clones: github
        """, "greet.md");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The run record of one run: the same calls, this run's ids and times.</summary>
    private static JsonObject RunRecord(string session, string run, string at) => new()
    {
        ["runId"] = run,
        ["sessionId"] = session,
        ["status"] = "ended",
        ["timings"] = new JsonObject { ["createdAt"] = at, ["durationMs"] = Random.Shared.Next(1, 500) },
        ["trace"] = new JsonObject
        {
            ["entries"] = new JsonArray(new JsonObject
            {
                ["startedAt"] = at,
                ["method"] = "POST",
                ["path"] = $"/{session}/repos/acme/app/issues/1/comments",
                ["response"] = new JsonObject { ["status"] = 201, ["body"] = new JsonObject { ["body"] = "hello", ["created_at"] = at } },
            }),
        },
    };

    private static JudgeRequest Request(int criterion, string output, JsonObject record) =>
        new(Scenario, Scenario.Criteria[criterion], output, record, new Dictionary<string, JsonObject>());

    [Fact]
    public async Task A_rerun_with_the_same_trace_and_criterion_asks_the_judge_nothing()
    {
        var chat = new CountingChatClient("""{"pass": true, "reason": "friendly"}""");
        var first = new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model");
        var second = new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model");

        var before = await first.JudgeAsync(Request(0, "hello", RunRecord("ses_a1", "run_a1", "2026-12-02T07:50:00.123Z")), CancellationToken.None);
        var after = await second.JudgeAsync(Request(0, "hello", RunRecord("ses_b2", "run_b2", "2026-12-02T07:51:09Z")), CancellationToken.None);

        chat.Calls.Should().Be(1);
        before.Should().Be(CriterionOutcome.Pass("judge: friendly"));
        after.Should().Be(before);
    }

    [Fact]
    public async Task Another_criterion_answer_or_model_asks_the_judge_again()
    {
        var chat = new CountingChatClient("""{"pass": false, "reason": "no"}""");
        var record = RunRecord("ses_a1", "run_a1", "2026-12-02T07:50:00Z");

        await new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model").JudgeAsync(Request(0, "hello", record), CancellationToken.None);
        await new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model").JudgeAsync(Request(1, "hello", record), CancellationToken.None);
        await new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model").JudgeAsync(Request(0, "go away", record), CancellationToken.None);
        var last = await new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "big-model").JudgeAsync(Request(0, "hello", record), CancellationToken.None);

        chat.Calls.Should().Be(4);
        last.Should().Be(CriterionOutcome.Fail("judge: no"));
    }

    [Fact]
    public async Task A_judge_error_is_not_cached()
    {
        var chat = new CountingChatClient("not json");
        var record = RunRecord("ses_a1", "run_a1", "2026-12-02T07:50:00Z");

        await new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model").JudgeAsync(Request(0, "hello", record), CancellationToken.None);
        var again = await new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model").JudgeAsync(Request(0, "hello", record), CancellationToken.None);

        chat.Calls.Should().Be(2);
        again.Status.Should().Be(CriterionStatus.Error);
    }

    [Theory]
    [InlineData("close-stale-issues")]
    [InlineData("incident-triage")]
    [InlineData("refund-duplicate-charge")]
    [InlineData("bug-digest-to-slack")]
    public async Task Rerunning_an_example_scenario_asks_the_judge_nothing(string id)
    {
        var scenario = ScenarioParser.ParseFile(Path.Combine(RepositoryPaths.ExampleScenarios, id + ".md"));
        var chat = new CountingChatClient("""{"pass": true, "reason": "fine"}""");
        await using var host = new Archal.Testing.Hosting.ArchalHost();
        await host.StartAsync();
        var runner = new ScenarioRunner(host);
        var options = new ScenarioRunOptions { Runs = 1, Judge = new JudgeVerdictCache(new ChatClientJudge(chat), _folder, "small-model") };

        await runner.RunAsync(scenario, Archal.Testing.Examples.Agents.ExampleAgents.All[id], options);
        var first = chat.Calls;
        var rerun = await runner.RunAsync(scenario, Archal.Testing.Examples.Agents.ExampleAgents.All[id], options);

        first.Should().BeGreaterThan(0);
        chat.Calls.Should().Be(first, "the second identical run finds every verdict in the cache");
        rerun.Runs[0].Criteria.Where(c => c.Criterion.Kind == CriterionKind.Probabilistic).Should().OnlyContain(c => c.Outcome.Passed);
    }

    private sealed class CountingChatClient(string answer) : IChatClient
    {
        private int _calls;

        public int Calls => _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
