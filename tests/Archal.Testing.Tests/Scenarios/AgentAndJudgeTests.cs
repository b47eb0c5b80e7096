using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Microsoft.Extensions.AI;

namespace Archal.Testing.Tests.Scenarios;

public sealed class ProcessAgentTests : IAsyncLifetime
{
    private const string Scenario = "# T\n## Prompt\nSay hi to acme.\n## Checks\n- [D] The run exits successfully\n## Config\nclones: github\n";
    private ArchalHost _host = null!;

    public async Task InitializeAsync()
    {
        var options = new ArchalHostOptions { UseKestrel = true };
        options.Clones.Clear();
        options.Clones.Add(new FakeIssuesClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private async Task<ScenarioRunResult> RunAsync(string command, TimeSpan? timeout = null)
    {
        var result = await new ScenarioRunner(_host).RunAsync(ScenarioParser.Parse(Scenario), new ProcessAgent(command),
            new ScenarioRunOptions { Runs = 1, Timeout = timeout });
        return result.Runs[0];
    }

    [Fact]
    public async Task The_harness_gets_the_task_and_clone_environment_and_its_json_text_is_the_answer()
    {
        Skip.IfWindows();

        var run = await RunAsync("""printf '{"text":"%s|%s|%s"}' "$AGENT_TASK" "$(echo "$AGENT_CLONE_URLS" | grep -c /github/api)" "$AGENT_SESSION_ID" """);

        run.Agent.Succeeded.Should().BeTrue(run.Agent.Error);
        run.Agent.Output.Should().Be($"Say hi to acme.|1|{run.SessionId}");
    }

    [Fact]
    public async Task A_non_zero_exit_fails_the_run_with_the_stderr_tail()
    {
        Skip.IfWindows();

        var run = await RunAsync("echo partial; echo 'token expired' >&2; exit 3");

        run.Agent.Succeeded.Should().BeFalse();
        run.Agent.Error.Should().Be("'echo partial; echo 'token expired' >&2; exit 3' exited with code 3: token expired");
        run.Agent.Output.Should().Be("partial");
        run.Criteria[0].Outcome.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task A_timeout_kills_the_process_tree()
    {
        Skip.IfWindows();
        var marker = Path.Combine(Path.GetTempPath(), "archal-kill-" + Guid.NewGuid().ToString("N"));

        // The child shell would create the marker after 3 s if it survived the kill.
        var run = await RunAsync($"sh -c 'sleep 3; touch {marker}' & wait", TimeSpan.FromMilliseconds(300));
        await Task.Delay(TimeSpan.FromSeconds(4));

        run.Agent.Error.Should().EndWith("did not finish in time; its process tree was killed.");
        File.Exists(marker).Should().BeFalse("the whole process tree is killed on timeout");
    }

    private static class Skip
    {
        public static void IfWindows()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                throw new PlatformNotSupportedException("These tests use /bin/sh.");
            }
        }
    }
}

public class ChatClientJudgeTests
{
    private static readonly Scenario Scenario = ScenarioParser.Parse(
        "# T\n## Setup\nTwenty open issues.\n## Prompt\nClose stale issues.\n## Expected Behavior\nPolite comments.\n## Checks\n- [P] Comments are polite\n## Config\nclones: github\nmodel: judge-model\n");

    [Theory]
    [InlineData("""{"pass": true, "reason": "every comment thanks the reporter"}""", CriterionStatus.Passed, "judge: every comment thanks the reporter")]
    [InlineData("Sure! ```json\n{\"pass\": false, \"reason\": \"one comment is curt\"}\n```", CriterionStatus.Failed, "judge: one comment is curt")]
    [InlineData("I think it passes", CriterionStatus.Error, "the judge's answer is not {\"pass\": bool, \"reason\": …}: I think it passes")]
    public async Task The_judge_sees_expected_behavior_criterion_and_state_and_its_verdict_is_parsed(string answer, CriterionStatus status, string evidence)
    {
        var client = new FakeChatClient(answer);
        var judge = new ChatClientJudge(client);
        var state = new Dictionary<string, JsonObject> { ["github"] = new() { ["issue"] = new JsonArray() } };

        var outcome = await judge.JudgeAsync(new JudgeRequest(Scenario, Scenario.Criteria[0], "Closed 4 issues.", null, state), CancellationToken.None);

        outcome.Should().Be(new CriterionOutcome(status, evidence));
        client.Prompt.Should().Contain("Twenty open issues.").And.Contain("Polite comments.").And.Contain("Comments are polite").And.Contain("Closed 4 issues.").And.Contain("\"issue\":[]");
        client.Model.Should().Be("judge-model");
    }

    private sealed class FakeChatClient(string answer) : IChatClient
    {
        public string Prompt { get; private set; } = "";

        public string? Model { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Prompt = string.Join("\n", messages.Select(m => m.Text));
            Model = options?.ModelId;
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
