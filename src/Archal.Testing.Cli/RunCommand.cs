using System.ClientModel;
using System.ClientModel.Primitives;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Spectre.Console;

namespace Archal.Testing.Cli;

/// <summary>
/// <c>archal-testing run &lt;file-or-dir&gt;</c>: runs scenario files against an agent and reports satisfaction.
/// Exit codes: 0 done (at or above <c>--pass-threshold</c>), 1 below the threshold (without one: every run
/// failed), 2 invalid scenario or usage (one line, no stack trace).
/// </summary>
public static class RunCommand
{
    /// <summary>
    /// Runs only the <c>run</c> command with in-process agents, for a console app that embeds its agents:
    /// <c>return await RunCommand.RunAsync(args, new Dictionary&lt;string, IScenarioAgent&gt; { ["close-stale-issues"] = new MyAgent() });</c>
    /// Agents are picked by <c>--agent NAME</c>, else by the scenario id (the file name without <c>.md</c>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, IScenarioAgent> agents, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        var root = new RootCommand("Runs scenario suites against in-process agents.") { Create(output, agents) };
        var parse = root.Parse(args.Length > 0 && args[0] == "run" ? args : ["run", .. args]);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>run</c> command. <paramref name="agents"/> are the in-process agents it can use.</summary>
    public static Command Create(TextWriter output, IReadOnlyDictionary<string, IScenarioAgent>? agents = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        agents ??= new Dictionary<string, IScenarioAgent>();
        var path = new Argument<string>("path") { Description = "A scenario .md file or a folder of them." };
        var harness = new Option<string?>("--harness") { Description = "Run this shell command as the agent (gets AGENT_TASK, AGENT_CLONE_URLS, AGENT_ROUTE_HEADERS, AGENT_SESSION_ID)." };
        var agent = new Option<string?>("--agent") { Description = $"Use this in-process agent for every scenario.{(agents.Count > 0 ? " Known: " + string.Join(", ", agents.Keys) : "")}" };
        var runs = new Option<int?>("--runs", "-n") { Description = "Runs per scenario (overrides 'runs:')." };
        var seed = new Option<string?>("--seed") { Description = "Seed name or seed file (overrides 'seed:')." };
        var tags = new Option<string[]>("--tag") { Description = "Only run scenarios with this tag (repeatable).", AllowMultipleArgumentsPerToken = true };
        var threshold = new Option<double?>("--pass-threshold") { Description = "Minimum satisfaction (0-100); exit 1 below it. Default: exit 1 only when every run failed." };
        var format = new Option<string>("--output", "-o") { Description = "terminal, json or junit.", DefaultValueFactory = _ => "terminal" };
        format.AcceptOnlyFromAmong("terminal", "json", "junit");
        var timeout = new Option<int?>("--timeout", "-t") { Description = "Per-run timeout in seconds (overrides 'timeout:')." };
        var records = new Option<string>("--records") { Description = "Where run records are written.", DefaultValueFactory = _ => Path.Combine(".archal", "runs") };
        var randomSeed = new Option<int?>("--random-seed") { Description = "The sessions' random seed (default: the host's)." };
        var model = new Option<string?>("--model", "-m") { Description = "Judge model for [P] criteria when a scenario sets no 'model:' (default gpt-4.1-mini)." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key for the judge (default: OPENAI_API_KEY). Without one, [P] criteria are not judged." };
        var judgeUrl = new Option<string>("--judge-url") { Description = "An OpenAI-compatible API base URL for the judge.", DefaultValueFactory = _ => "https://api.openai.com/v1/" };
        var judgeCache = new Option<string>("--judge-cache") { Description = "Where [P] verdicts are cached, so a rerun with the same trace and criterion asks the judge nothing; \"\" turns the cache off.", DefaultValueFactory = _ => Path.Combine(".archal", "judge-cache") };
        var faults = new Option<string[]>("--fault")
        {
            Description = "Add a fault rule to every run's session (repeatable): JSON such as '{\"clone\":\"github\",\"operation\":\"issues/create\",\"trigger\":{\"firstCalls\":2},\"effect\":{\"status\":503}}', or a .json file of rules.",
            AllowMultipleArgumentsPerToken = false,
        };
        var shard = new Option<string?>("--shard") { Description = "Run only shard k of n (k/n) of the (scenario × run) units; merge the shards' --records folders with 'report merge'." };
        var saveSeed = new Option<string?>("--save-seed")
        {
            Description = "Write the state each scenario's runs start from (seed and seed file applied) as a seed file: with one scenario to this .json file, with several into this folder as <scenario-id>.seed.json.",
        };
        var replaySeed = new Option<string?>("--replay-seed")
        {
            Description = "Start every run from this seed file (written by --save-seed) instead of the scenario's seed; a folder gives each scenario its <scenario-id>.seed.json.",
        };
        var command = new Command("run", "Run scenario files against an agent: N fresh sessions each, every criterion evaluated, satisfaction reported.")
        {
            path, harness, agent, runs, seed, tags, threshold, format, timeout, records, randomSeed, model, apiKey, judgeUrl, judgeCache, shard, faults,
            saveSeed, replaySeed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ResultsTable.Console(output);

            if (UsageError(parse.GetValue(runs), parse.GetValue(threshold), parse.GetValue(timeout)) is { } usage)
            {
                await output.WriteLineAsync($"error: {usage}").ConfigureAwait(false);
                return 2;
            }

            var terminal = parse.GetValue(format) == "terminal";
            void Say(string markup)
            {
                if (terminal)
                {
                    console.MarkupLine(markup);
                }
            }

            ScenarioShard? selected = null;
            if (parse.GetValue(shard) is { } shardText)
            {
                try
                {
                    selected = ScenarioShard.Parse(shardText);
                }
                catch (FormatException ex)
                {
                    await output.WriteLineAsync($"error: --shard: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            var faultRules = new List<FaultRule>();
            foreach (var fault in parse.GetValue(faults) ?? [])
            {
                try
                {
                    faultRules.AddRange(FaultRule.ParseList(fault.TrimStart().StartsWith('{') || fault.TrimStart().StartsWith('[') ? fault : File.ReadAllText(fault)));
                }
                catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
                {
                    await output.WriteLineAsync($"error: --fault: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            List<Scenario> scenarios;
            try
            {
                var target = parse.GetValue(path)!;
                scenarios = Directory.Exists(target) ? [.. ScenarioParser.ParseDirectory(target)] : [ScenarioParser.ParseFile(target)];
            }
            catch (ScenarioValidationException ex)
            {
                await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            var wanted = parse.GetValue(tags) ?? [];
            if (wanted.Length > 0)
            {
                scenarios = [.. scenarios.Where(s => s.Config.Tags.Intersect(wanted, StringComparer.OrdinalIgnoreCase).Any())];
                if (scenarios.Count == 0)
                {
                    Say($"No scenario has tag {Markup.Escape(string.Join(", ", wanted))}; nothing to run.");
                    return 0;
                }
            }

            var command = parse.GetValue(harness);
            var agentName = parse.GetValue(agent);
            if (command is null && agentName is not null && agents.GetValueOrDefault(agentName)?.ScenarioIds is { } scope)
            {
                // The agent says which scenarios it is for: run those, name the rest as skipped.
                var skipped = scenarios.Where(s => !scope.Contains(s.Id)).Select(s => s.Id).ToList();
                scenarios = [.. scenarios.Where(s => scope.Contains(s.Id))];
                if (scenarios.Count == 0)
                {
                    await output.WriteLineAsync($"error: agent '{agentName}' is for: {string.Join(", ", scope.Order(StringComparer.Ordinal))}; none of these scenarios ({string.Join(", ", skipped)}) is one of them.").ConfigureAwait(false);
                    return 2;
                }

                if (skipped.Count > 0)
                {
                    Say($"[grey]agent {Markup.Escape(agentName)} is for: {Markup.Escape(string.Join(", ", scope.Order(StringComparer.Ordinal)))}; skipping {Markup.Escape(string.Join(", ", skipped))}[/]");
                }
            }

            var plan = new List<(Scenario Scenario, IScenarioAgent Agent)>();
            foreach (var scenario in scenarios)
            {
                IScenarioAgent? chosen = command is not null ? new ProcessAgent(command)
                    : agentName is not null ? agents.GetValueOrDefault(agentName)
                    : agents.GetValueOrDefault(scenario.Id);
                if (chosen is null)
                {
                    await output.WriteLineAsync(agentName is not null
                        ? $"error: no in-process agent named '{agentName}'. Known: {(agents.Count == 0 ? "none" : string.Join(", ", agents.Keys))}."
                        : $"error: no agent for scenario '{scenario.Id}' ({scenario.FilePath}): pass --harness \"<command>\"{(agents.Count > 0 ? " or --agent NAME (known: " + string.Join(", ", agents.Keys) + ")" : "")}.").ConfigureAwait(false);
                    return 2;
                }

                plan.Add((scenario, chosen));
            }

            var (seedFiles, seedFileError) = SeedFileOptions.Resolve(parse.GetValue(saveSeed), parse.GetValue(replaySeed), parse.GetValue(seed), [.. plan.Select(p => p.Scenario)]);
            if (seedFileError is not null)
            {
                await output.WriteLineAsync($"error: {seedFileError}").ConfigureAwait(false);
                return 2;
            }

            var options = new ArchalHostOptions { UseKestrel = command is not null };
            await using var host = new ArchalHost(options);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var runner = new ScenarioRunner(host);
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");
            var judgeModel = parse.GetValue(model) ?? "gpt-4.1-mini";
            using var judgeClient = key is { Length: > 0 } ? CreateJudgeClient(parse.GetValue(judgeUrl)!, key, judgeModel) : null;
            var runOptions = new ScenarioRunOptions
            {
                Judge = judgeClient is null ? null
                    : parse.GetValue(judgeCache) is { Length: > 0 } cacheFolder ? new JudgeVerdictCache(new ChatClientJudge(judgeClient), cacheFolder, judgeModel)
                    : new ChatClientJudge(judgeClient),
                Runs = parse.GetValue(runs),
                Seed = parse.GetValue(seed),
                Timeout = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                RandomSeed = parse.GetValue(randomSeed),
                RecordDirectory = parse.GetValue(records),
                Progress = terminal ? new SyncProgress(p => Progress(console, p)) : null,
                Shard = selected,
                Faults = [.. faultRules],
                SessionStarted = seedFiles!.SaveHook(),
            };
            var results = new List<ScenarioResult>();
            foreach (var (scenario, chosen) in plan)
            {
                var planned = runOptions.Runs ?? scenario.Config.Runs;
                var mine = selected is null ? planned : Enumerable.Range(0, planned).Count(i => selected.Contains(scenario.Id, i));
                Say($"[bold]▶ {Markup.Escape(scenario.Title)}[/] [grey]({Markup.Escape(scenario.Id)}, {(selected is null ? $"{planned} run(s)" : $"{mine} of {planned} run(s) in shard {selected}")})[/]");
                try
                {
                    var scenarioOptions = seedFiles!.ReplayPath(scenario) is { } replay ? runOptions with { Seed = replay } : runOptions;
                    results.Add(await runner.RunAsync(scenario, chosen, scenarioOptions, cancellationToken).ConfigureAwait(false));
                    if (seedFiles.SavePath(scenario) is { } saved && results[^1].Runs.Length > 0)
                    {
                        Say($"  [grey]seed file: {Markup.Escape(saved)}[/]");
                    }
                }
                catch (SeedFileOptions.SaveFailedException ex)
                {
                    await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
                catch (ScenarioValidationException ex)
                {
                    await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
                catch (ArchalApiException ex) when (ex.Code is "unknown_operation" or "unknown_path" or "unknown_clone" or "invalid_value" or "out_of_range" or "invalid_type" or "unknown_field" or "missing_field")
                {
                    // A fault rule (from 'faults:' or --fault) the host refused: a usage error, named by its field.
                    await output.WriteLineAsync($"error: {scenario.Id}: {ex.Message}").ConfigureAwait(false);
                    return 2;
                }
            }

            var resultsPath = await ScenarioResultsFile.WriteAsync(parse.GetValue(records)!, results, selected ?? ScenarioShard.All, cancellationToken).ConfigureAwait(false);
            // A shard is part of a suite: without a threshold it exits 0 and 'report merge' judges the whole.
            var min = parse.GetValue(threshold) ?? (selected is null ? null : 0);
            var exit = await ResultsTable.ReportAsync(console, output, results, parse.GetValue(format)!, min, $"Run records: {parse.GetValue(records)}; results: {resultsPath}")
                .ConfigureAwait(false);
            return exit;
        });
        return command;
    }

    /// <summary>The one-line usage error for out-of-range option values, or null.</summary>
    internal static string? UsageError(int? runs, double? threshold, int? timeoutSeconds) =>
        runs is < 1 ? $"--runs (-n) must be at least 1, got {runs}."
        : threshold is < 0 or > 100 ? $"--pass-threshold must be between 0 and 100, got {threshold.Value.ToString("0.#", CultureInfo.InvariantCulture)}."
        : timeoutSeconds is < 1 ? $"--timeout (-t) must be at least 1 second, got {timeoutSeconds}."
        : null;

    /// <summary>The judge's chat client: Microsoft.Extensions.AI.OpenAI over any OpenAI-compatible base URL.</summary>
    internal static IChatClient CreateJudgeClient(string baseUrl, string key, string model, HttpMessageHandler? handler = null)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(baseUrl.TrimEnd('/')), NetworkTimeout = TimeSpan.FromSeconds(120) };
        if (handler is not null)
        {
            options.Transport = new HttpClientPipelineTransport(new HttpClient(handler));
        }

        return new ChatClient(model, new ApiKeyCredential(key), options).AsIChatClient();
    }

    private static void Progress(IAnsiConsole console, ScenarioProgress progress)
    {
        if (progress.Result is not { } run)
        {
            return;
        }

        var passed = run.Criteria.Count(c => c.Outcome.Passed);
        var evaluated = run.Criteria.Count(c => c.Outcome.Status != CriterionStatus.NotJudged);
        console.MarkupLine($"  run {run.Index + 1}/{progress.Runs}: {(run.Passed ? "[green]passed[/]" : "[red]failed[/]")} " +
            $"({passed}/{evaluated} criteria, {run.ToolCalls} tool calls, {run.Duration.TotalMilliseconds:0} ms){(run.Agent.Succeeded ? "" : " [red]" + Markup.Escape(run.Agent.Error ?? "") + "[/]")}");
        foreach (var criterion in run.Criteria.Where(c => c.Outcome.Status is CriterionStatus.Failed or CriterionStatus.Error))
        {
            console.MarkupLine($"    [red]✗[/] {Markup.Escape(criterion.Criterion.ToString())}");
            console.MarkupLine($"      [grey]{Markup.Escape(criterion.Outcome.Evidence)}[/]");
        }
    }

    /// <summary>
    /// Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines), and
    /// finished runs in run order: runs of a scenario finish in any order, the lines read 1, 2, 3.
    /// </summary>
    private sealed class SyncProgress(Action<ScenarioProgress> report) : IProgress<ScenarioProgress>
    {
        private readonly Lock _lock = new();
        private readonly SortedDictionary<int, ScenarioProgress> _finished = [];
        private Scenario? _scenario;
        private int _next;

        public void Report(ScenarioProgress value)
        {
            if (value.Result is null)
            {
                return;
            }

            lock (_lock)
            {
                if (!ReferenceEquals(value.Scenario, _scenario))
                {
                    _scenario = value.Scenario;
                    _next = 0;
                    _finished.Clear();
                }

                _finished[value.RunIndex] = value;
                while (_finished.Remove(_next, out var ready))
                {
                    report(ready);
                    _next++;
                }
            }
        }
    }
}
