using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Cli;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli.Tests;

/// <summary><c>run --save-seed</c> writes the state a scenario's runs start from; <c>run --replay-seed</c> starts runs from it.</summary>
public sealed class SeedFileRunTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-seedfile-" + Guid.NewGuid().ToString("N"));
    private readonly string _suite;

    // What each run's session held when its agent started, by scenario id.
    private readonly ConcurrentDictionary<string, JsonObject> _started = new(StringComparer.Ordinal);

    public SeedFileRunTests()
    {
        _suite = Path.Combine(_folder, "suite");
        Directory.CreateDirectory(_suite);
        File.WriteAllText(Path.Combine(_suite, "triage.md"), """
            # Triage
            ## Prompt
            File an issue.
            ## Success Criteria
            - [D] The run exits successfully
            ## Config
            clones: github
            seed: small-project
            runs: 1
            """);
        File.WriteAllText(Path.Combine(_suite, "standup.md"), """
            # Standup
            ## Prompt
            Post the standup.
            ## Success Criteria
            - [D] The run exits successfully
            ## Config
            clones: slack
            seed: engineering-team
            runs: 1
            """);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IScenarioAgent Recorder => ScenarioAgent.FromDelegate(async (context, cancellationToken) =>
    {
        var clone = context.Session.CloneIds[0];
        _started[context.Scenario.Id] = new JsonObject { [clone] = context.Session.Snapshot(clone) };
        if (clone == "github")
        {
            // The agent's own writes come after the saved start state.
            using var github = context.Session.CreateClient("github");
            (await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Filed by the agent" }, cancellationToken)).EnsureSuccessStatusCode();
        }

        return "done";
    });

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await RunCommand.RunAsync(["run", .. args, "--agent", "recorder", "--records", Path.Combine(_folder, "records"), "--api-key", ""],
            new Dictionary<string, IScenarioAgent> { ["recorder"] = Recorder }, output);
        return (exit, output.ToString());
    }

    private static async Task<JsonObject> LoadAsync(string seedFile, string clone)
    {
        await using var host = new ArchalHost();
        await host.StartAsync();
        var file = SeedFile.Load(seedFile);
        await using var session = await host.CreateSessionAsync(new SessionRequest(clone).WithSeed(clone, file.Seeds[clone]).WithSeedData(clone, file.Data[clone]));
        return session.Snapshot(clone);
    }

    [Fact]
    public async Task Save_seed_writes_the_state_the_run_started_from_before_the_agent_wrote()
    {
        var saved = Path.Combine(_folder, "out", "triage.json");

        var (exit, output) = await RunAsync(Path.Combine(_suite, "triage.md"), "--save-seed", saved);

        exit.Should().Be(0, output);
        output.Should().Contain("seed file:");
        JsonNode.DeepEquals(await LoadAsync(saved, "github"), _started["triage"]["github"]).Should().BeTrue();
        File.ReadAllText(saved).Should().NotContain("Filed by the agent");
        using var validate = new StringWriter();
        (await ArchalCli.RunAsync(["validate", saved], validate)).Should().Be(0, validate.ToString());
        validate.ToString().Should().Contain($"ok {saved}");
    }

    [Fact]
    public async Task Replay_seed_starts_the_run_from_the_saved_state_instead_of_the_scenarios_seed()
    {
        var saved = Path.Combine(_folder, "triage.seed.json");
        (await RunAsync(Path.Combine(_suite, "triage.md"), "--save-seed", saved)).Exit.Should().Be(0);
        var original = _started["triage"];
        // Edit the saved world: the replayed run must start from the file, not from the scenario's small-project seed.
        var file = JsonNode.Parse(File.ReadAllText(saved))!.AsObject();
        file["github"]!["issues"] = new JsonArray(new JsonObject { ["repo"] = "acme/webapp", ["title"] = "Only in the file" });
        File.WriteAllText(saved, file.ToJsonString());

        var (exit, output) = await RunAsync(Path.Combine(_suite, "triage.md"), "--replay-seed", saved);

        exit.Should().Be(0, output);
        var replayed = _started["triage"]["github"]!.AsObject();
        var issues = replayed["issue"]!.AsArray();
        issues.Should().HaveCount(original["github"]!["issue"]!.AsArray().Count + 1);
        issues[^1]!["title"]!.GetValue<string>().Should().Be("Only in the file");
        issues.RemoveAt(issues.Count - 1);
        JsonNode.DeepEquals(replayed, original["github"]).Should().BeTrue("everything else is the saved state, without the agent's issue");
    }

    [Fact]
    public async Task With_several_scenarios_save_seed_writes_a_folder_that_replay_seed_reads()
    {
        var folder = Path.Combine(_folder, "seeds");

        var (saveExit, saveOutput) = await RunAsync(_suite, "--save-seed", folder);
        var saved = new Dictionary<string, JsonObject>(_started);
        var (replayExit, replayOutput) = await RunAsync(_suite, "--replay-seed", folder);

        saveExit.Should().Be(0, saveOutput);
        replayExit.Should().Be(0, replayOutput);
        Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo("triage.seed.json", "standup.seed.json");
        foreach (var (scenario, state) in saved)
        {
            JsonNode.DeepEquals(_started[scenario], state).Should().BeTrue($"{scenario} replays from the state it saved");
        }
    }

    [Fact]
    public async Task Bad_seed_file_options_are_one_line_usage_errors_that_exit_2()
    {
        var notJson = Path.Combine(_folder, "broken.json");
        File.WriteAllText(notJson, "{ not json");
        var file = Path.Combine(_folder, "existing.json");
        File.WriteAllText(file, "{}");
        var text = Path.Combine(_folder, "seed.txt");
        File.WriteAllText(text, "{}");
        var emptyFolder = Path.Combine(_folder, "empty-folder");
        Directory.CreateDirectory(emptyFolder);
        var triage = Path.Combine(_suite, "triage.md");

        var cases = new (string[] Args, string Message)[]
        {
            ([triage, "--replay-seed", Path.Combine(_folder, "missing.json")], "error: --replay-seed: '" + Path.Combine(_folder, "missing.json") + "' does not exist"),
            ([triage, "--replay-seed", notJson], "error: --replay-seed: " + notJson + ":1: invalid JSON"),
            ([triage, "--replay-seed", text], "is not a seed file: its name must end in .json, .yaml or .yml."),
            ([triage, "--replay-seed", file, "--seed", "empty"], "error: --replay-seed and --seed both choose the seed; give one of them."),
            ([_suite, "--replay-seed", emptyFolder], "has no seed file for scenario"),
            ([_suite, "--save-seed", file], "is a file; with 2 scenarios give a folder"),
            ([triage, "--save-seed", Path.Combine(_folder, "out.txt")], "must end in .json (or name a folder)"),
        };
        foreach (var (args, message) in cases)
        {
            var (exit, output) = await RunAsync(args);

            exit.Should().Be(2, output);
            output.Should().Contain(message);
            output.Trim().Split('\n').Should().ContainSingle($"a usage error is one line: {output}");
        }

        _started.Should().BeEmpty("no run starts after a usage error");
    }
}
