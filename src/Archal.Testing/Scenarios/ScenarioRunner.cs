using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Scenarios;

/// <summary>Options for <see cref="ScenarioRunner"/> runs. Unset values come from the scenario's Config.</summary>
public sealed record ScenarioRunOptions
{
    /// <summary>How many fresh sessions to run; null uses the scenario's <c>runs:</c>.</summary>
    public int? Runs { get; init; }

    /// <summary>The per-run timeout; null uses the scenario's <c>timeout:</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A seed name or seed file path that replaces the scenario's <c>seed:</c> (like <c>--seed</c>).</summary>
    public string? Seed { get; init; }

    /// <summary>The sessions' random seed; null uses the host's. Every run of a scenario starts from the same world.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>The judge for [P] criteria; null reports them "not judged".</summary>
    public IScenarioJudge? Judge { get; init; }

    /// <summary>How many runs execute at once. The default value is <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>A folder to write one JSON record per run into (for example <c>.archal/runs</c>); null writes nothing.</summary>
    public string? RecordDirectory { get; init; }

    /// <summary>Receives a notification as each run starts and finishes.</summary>
    public IProgress<ScenarioProgress>? Progress { get; init; }

    /// <summary>
    /// Run only the units (scenario × run) of this shard; the result then holds only those runs, each with its index in
    /// the whole suite. The default value is null: every run.
    /// </summary>
    public ScenarioShard? Shard { get; init; }

    /// <summary>Fault rules added to every run's session, after the scenario's own <c>faults:</c>. The default is none.</summary>
    public System.Collections.Immutable.ImmutableArray<FaultRule> Faults { get; init; } = [];

    /// <summary>Called with each run's session once it is seeded, before the agent starts (the CLI's <c>--save-seed</c> exports it here).</summary>
    internal Func<Scenario, int, ArchalSession, CancellationToken, Task>? SessionStarted { get; init; }
}

/// <summary>A progress notification.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="RunIndex">The 0-based run.</param>
/// <param name="Runs">How many runs the scenario has.</param>
/// <param name="Result">The finished run, or null when the run is starting.</param>
public sealed record ScenarioProgress(Scenario Scenario, int RunIndex, int Runs, ScenarioRunResult? Result);

/// <summary>
/// Runs scenarios: for each run a fresh, isolated session seeded as the scenario says, the agent with the
/// Prompt, then every criterion evaluated ([D] offline against final state and trace, [P] by the judge).
/// </summary>
public sealed class ScenarioRunner
{
    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true };
    private readonly ArchalHost _host;
    private readonly CriteriaVocabulary _vocabulary;

    /// <summary>Creates a runner on a started host.</summary>
    public ScenarioRunner(ArchalHost host)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _vocabulary = CriteriaVocabulary.For(host.Options.Clones);
    }

    /// <summary>Runs a scenario file against an agent.</summary>
    /// <exception cref="ScenarioValidationException">The scenario or its seed file is invalid.</exception>
    public Task<ScenarioResult> RunAsync(string scenarioFile, IScenarioAgent agent, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(ScenarioParser.ParseFile(scenarioFile, _host.Options.Clones), agent, options, cancellationToken);

    /// <summary>Runs a scenario against an agent: N fresh sessions, every criterion evaluated in each.</summary>
    /// <exception cref="ScenarioValidationException">The scenario's seed or clones do not fit the host.</exception>
    public async Task<ScenarioResult> RunAsync(Scenario scenario, IScenarioAgent agent, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(agent);
        options ??= new ScenarioRunOptions();
        var request = BuildRequest(scenario, options);
        var runs = options.Runs ?? scenario.Config.Runs;
        if (runs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Runs must be at least 1.");
        }

        var indices = Enumerable.Range(0, runs).Where(i => options.Shard?.Contains(scenario.Id, i) ?? true).ToArray();
        var results = new ScenarioRunResult[runs];
        await Parallel.ForEachAsync(
            indices,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellationToken },
            async (index, token) =>
            {
                options.Progress?.Report(new ScenarioProgress(scenario, index, runs, null));
                results[index] = await RunOnceAsync(scenario, agent, request, index, options, token).ConfigureAwait(false);
                options.Progress?.Report(new ScenarioProgress(scenario, index, runs, results[index]));
            }).ConfigureAwait(false);
        return new ScenarioResult { Scenario = scenario, Runs = [.. indices.Select(i => results[i])], Shard = options.Shard, PlannedRuns = runs };
    }

    /// <summary>The session request a scenario's runs use (clones, named seeds, seed-file data).</summary>
    /// <exception cref="ScenarioValidationException">A clone or seed does not exist on this host.</exception>
    public SessionRequest BuildRequest(Scenario scenario, ScenarioRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var file = scenario.FilePath;
        var config = scenario.Config;
        var clones = _host.Options.Clones.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var clone in config.Clones)
        {
            if (!clones.ContainsKey(clone))
            {
                throw new ScenarioValidationException(file, 0, $"unknown clone '{clone}' in 'clones:'. This host has: {string.Join(", ", clones.Keys)}.");
            }
        }

        string? seedName = config.Seed;
        var seedFile = config.SeedFile;
        if (options?.Seed is { } overrideSeed)
        {
            if (ScenarioParser.LooksLikeFile(overrideSeed))
            {
                // A seed file given on the command line is relative to the current folder, not the scenario.
                seedName = null;
                seedFile = Path.GetFullPath(overrideSeed);
            }
            else
            {
                seedName = overrideSeed;
                seedFile = null;
            }
        }

        var request = new SessionRequest([.. config.Clones]) { ScenarioId = scenario.Id, RandomSeed = options?.RandomSeed };
        if (seedName is not null)
        {
            var takers = config.Clones.Where(c => clones[c].SeedNames.Contains(seedName)).ToList();
            if (takers.Count == 0)
            {
                throw new ScenarioValidationException(file, 0,
                    $"no clone in this scenario has a seed named '{seedName}'. Known seeds: {string.Join("; ", config.Clones.Select(c => $"{c}: {string.Join(", ", clones[c].SeedNames)}"))}.");
            }

            foreach (var clone in takers)
            {
                request = request.WithSeed(clone, seedName);
            }
        }

        foreach (var (clone, name) in config.CloneSeeds)
        {
            if (!config.Clones.Contains(clone))
            {
                throw new ScenarioValidationException(file, 0, $"'seed:' names clone '{clone}', which is not in 'clones:'.");
            }

            if (!clones[clone].SeedNames.Contains(name))
            {
                throw new ScenarioValidationException(file, 0, $"clone '{clone}' has no seed named '{name}'. Known seeds: {string.Join(", ", clones[clone].SeedNames)}.");
            }

            request = request.WithSeed(clone, name);
        }

        if (seedFile is not null)
        {
            var path = Path.IsPathRooted(seedFile) || file is null ? seedFile : Path.Combine(Path.GetDirectoryName(file)!, seedFile);
            var seeds = SeedFile.Load(path, _host.Options.Clones);
            foreach (var clone in seeds.Data.Keys.Concat(seeds.Seeds.Keys).Distinct())
            {
                if (!config.Clones.Contains(clone))
                {
                    throw new ScenarioValidationException(path, 0, $"the seed file declares entities for '{clone}', which is not in the scenario's 'clones:' ({string.Join(", ", config.Clones)}).");
                }
            }

            foreach (var (clone, name) in seeds.Seeds)
            {
                if (!clones[clone].SeedNames.Contains(name))
                {
                    throw new ScenarioValidationException(path, 0, $"clone '{clone}' has no seed named '{name}'. Known seeds: {string.Join(", ", clones[clone].SeedNames)}.");
                }

                request = request.WithSeed(clone, name);
            }

            foreach (var (clone, data) in seeds.Data)
            {
                request = request.WithSeedData(clone, data);
            }
        }

        foreach (var rule in ScenarioFaults(scenario).Concat(options?.Faults is { IsDefault: false } extra ? extra : []))
        {
            request = request.WithFault(rule);
        }

        return request;
    }

    /// <summary>The scenario's <c>faults:</c> rules: a file (relative to the scenario's folder) or inline JSON.</summary>
    private static IReadOnlyList<FaultRule> ScenarioFaults(Scenario scenario)
    {
        if (scenario.Config.Faults is not { } faults)
        {
            return [];
        }

        var file = scenario.FilePath;
        if (!ScenarioParser.LooksLikeFile(faults))
        {
            return FaultRule.ParseList(faults);
        }

        var path = Path.IsPathRooted(faults) || file is null ? faults : Path.Combine(Path.GetDirectoryName(file)!, faults);
        if (!File.Exists(path))
        {
            throw new ScenarioValidationException(file, 0, $"faults: file '{path}' not found.");
        }

        try
        {
            var text = File.ReadAllText(path);
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FaultRule.ParseList(text) : FaultRule.FromNode(SeedFile.YamlToJson(text));
        }
        catch (Exception ex) when (ex is FormatException or YamlDotNet.Core.YamlException)
        {
            throw new ScenarioValidationException(path, 0, ex.Message);
        }
    }

    private async Task<ScenarioRunResult> RunOnceAsync(Scenario scenario, IScenarioAgent agent, SessionRequest request, int index, ScenarioRunOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        ArchalSession session;
        try
        {
            session = await _host.CreateSessionAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchalApiException ex) when (ex.Code is "seed_error" or "unknown_seed" or "invalid_value" or "invalid_type" or "unknown_field")
        {
            throw new ScenarioValidationException(scenario.FilePath, 0, $"the session could not be seeded: {ex.Message}");
        }

        await using (session.ConfigureAwait(false))
        {
            if (options.SessionStarted is { } started)
            {
                await started(scenario, index, session, cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyDictionary<string, JsonObject> initial = session.CloneIds.ToDictionary(c => c, session.InitialSnapshot, StringComparer.Ordinal);
            var environment = new Dictionary<string, string>(session.AgentEnvironment, StringComparer.Ordinal)
            {
                ["AGENT_TASK"] = scenario.Prompt,
                ["ARCHAL_ENGINE_TASK"] = scenario.Prompt,
                ["AGENT_RUN_INDEX"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var clone in session.CloneIds)
            {
                var name = clone.ToUpperInvariant().Replace('-', '_');
                environment[$"{name}_SERVICE_TOKEN"] = _host.Options.Clones.First(c => c.Id == clone).DefaultServiceToken;
                environment[$"ARCHAL_{name}_BASE_URL"] = session.ApiBaseUrls[clone].ToString();
            }

            var context = new AgentContext(scenario, index, session, environment);
            var timeout = options.Timeout ?? scenario.Config.Timeout;
            var agentResult = await InvokeAgentAsync(agent, context, timeout, cancellationToken).ConfigureAwait(false);

            var final = session.CloneIds.ToDictionary(c => c, session.Snapshot, StringComparer.Ordinal);
            var (toolCalls, byClone) = RunTrace.CountToolCalls(session);
            var runContext = new ScenarioRunContext(scenario, index, session, agentResult, initial, final, toolCalls, byClone);
            var input = new EvaluationInput(initial, final, agentResult.Succeeded, agentResult.Error, toolCalls, byClone);
            JsonObject? runRecord = null;
            var criteria = ImmutableArray.CreateBuilder<CriterionResult>();
            foreach (var criterion in scenario.Criteria)
            {
                CriterionOutcome outcome;
                try
                {
                    if (criterion.Predicate is { } predicate)
                    {
                        outcome = predicate(runContext);
                    }
                    else if (criterion.Kind == CriterionKind.Deterministic)
                    {
                        var check = criterion.Check ?? CriterionGrammar.Parse(criterion.Text, _vocabulary) switch
                        {
                            { Check: { } parsed } => parsed,
                            { Error: var error } => throw new ScenarioValidationException(scenario.FilePath, criterion.Line, error!),
                        };
                        outcome = DeterministicEvaluator.Evaluate(check, input, _vocabulary);
                    }
                    else if (!agentResult.Succeeded)
                    {
                        outcome = CriterionOutcome.NotJudged("the run failed, so [P] criteria are not evaluated");
                    }
                    else if (options.Judge is { } judge)
                    {
                        runRecord ??= await session.GetRunRecordAsync(cancellationToken).ConfigureAwait(false);
                        outcome = await judge.JudgeAsync(new JudgeRequest(scenario, criterion, agentResult.Output, runRecord, final), cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        outcome = CriterionOutcome.NotJudged("no judge configured for [P] criteria");
                    }
                }
                catch (ScenarioValidationException)
                {
                    throw;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    outcome = new CriterionOutcome(CriterionStatus.Error, $"{ex.GetType().Name}: {ex.Message}");
                }

                criteria.Add(new CriterionResult(criterion, outcome));
            }

            var result = new ScenarioRunResult
            {
                Index = index,
                SessionId = session.Id,
                RunId = session.RunId,
                Agent = agentResult,
                Criteria = criteria.ToImmutable(),
                ToolCalls = toolCalls,
                Duration = stopwatch.Elapsed,
            };
            // The canonical run record (GET /api/runs/{runId}) carries the verdicts from here on.
            session.AttachCriteriaResults(ScenarioReport.RunToJson(scenario, result));
            await session.EndAsync(cancellationToken).ConfigureAwait(false);
            if (options.RecordDirectory is { } directory)
            {
                // Written once the session has ended, so the record is final (status "ended", final: true).
                result = result with { RecordPath = await WriteRecordAsync(directory, scenario, result, session.ToRunRecord(), final, cancellationToken).ConfigureAwait(false) };
            }

            return result;
        }
    }

    private static async Task<AgentResult> InvokeAgentAsync(IScenarioAgent agent, AgentContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            // WaitAsync also bounds an agent that ignores its token.
            return await agent.RunAsync(context, timeoutSource.Token).WaitAsync(timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false)
                ?? AgentResult.Failure("the agent returned no result");
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return AgentResult.Failure($"the agent did not finish within the {timeout.TotalSeconds:0}s timeout");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return AgentResult.Failure($"the agent threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task<string> WriteRecordAsync(string directory, Scenario scenario, ScenarioRunResult result, JsonObject? runRecord,
        IReadOnlyDictionary<string, JsonObject> final, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(directory, scenario.Id);
        Directory.CreateDirectory(folder);
        var record = ScenarioReport.RunToJson(scenario, result);
        record["runRecord"] = runRecord?.DeepClone();
        var state = new JsonObject();
        foreach (var (clone, snapshot) in final)
        {
            state[clone] = snapshot.DeepClone();
        }

        record["finalState"] = state;
        return await WriteNewFileAsync(folder, result.RunId, System.Text.Encoding.UTF8.GetBytes(record.ToJsonString(RecordJson)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <c>{name}.json</c> into <paramref name="folder"/>, or <c>{name}-2.json</c>, <c>-3</c>… when it exists: a record is
    /// never overwritten (run ids are random, but a records folder outlives invocations and merged copies).
    /// </summary>
    internal static async Task<string> WriteNewFileAsync(string folder, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var path = Path.Combine(folder, attempt == 1 ? $"{name}.json" : $"{name}-{attempt}.json");
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;
            }

            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            return path;
        }
    }
}

/// <summary>The one place that reads the run's calls from the session trace.</summary>
internal static class RunTrace
{
    public static (int Total, IReadOnlyDictionary<string, int> ByClone) CountToolCalls(ArchalSession session)
    {
        var entries = session.Trace.Entries;
        var byClone = entries.GroupBy(e => e.CloneId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return ((int)Math.Max(session.Trace.TotalCalls, entries.Count), byClone);
    }
}
