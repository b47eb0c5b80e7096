using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Scenarios;

/// <summary>
/// The machine-readable result of one <c>run</c> (one shard, or the whole suite as shard 1/1): the report JSON of
/// <see cref="ScenarioReport.ToJson"/> plus the shard and the suite's plan (every scenario and its run count), so
/// <see cref="Merge"/> can prove that shards from separate machines add up to the whole suite, unit for unit.
/// </summary>
public sealed class ScenarioResultsFile
{
    /// <summary>The format marker written into every results file.</summary>
    public const string Format = "archal-scenario-results/1";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private ScenarioResultsFile(string path, ScenarioShard shard, ImmutableArray<ScenarioResult> results)
    {
        Path = path;
        Shard = shard;
        Results = results;
    }

    /// <summary>Where the file was read from.</summary>
    public string Path { get; }

    /// <summary>The shard the file holds.</summary>
    public ScenarioShard Shard { get; }

    /// <summary>Every scenario of the suite with this shard's runs (possibly none); <see cref="ScenarioResult.PlannedRuns"/> is the suite's run count.</summary>
    public ImmutableArray<ScenarioResult> Results { get; }

    /// <summary>The file name a shard's results are written under: <c>archal-results.json</c>, or <c>archal-results.shard-2-of-4.json</c>.</summary>
    public static string FileName(ScenarioShard shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return shard.Count == 1 ? "archal-results.json" : string.Create(CultureInfo.InvariantCulture, $"archal-results.shard-{shard.Index}-of-{shard.Count}.json");
    }

    /// <summary>The results file as JSON: the report, the shard and the plan. Run record paths are made relative to <paramref name="directory"/>.</summary>
    public static JsonObject ToJson(IReadOnlyList<ScenarioResult> results, ScenarioShard shard, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(shard);
        var report = ScenarioReport.ToJson(results);
        if (directory is not null)
        {
            foreach (var run in report["scenarios"]!.AsArray().SelectMany(s => s!["runs"]!.AsArray()))
            {
                if (run!["recordPath"]?.GetValue<string>() is { } record)
                {
                    run["recordPath"] = System.IO.Path.GetRelativePath(directory, record).Replace('\\', '/');
                }
            }
        }

        var json = new JsonObject
        {
            ["format"] = Format,
            ["shard"] = new JsonObject { ["index"] = shard.Index, ["count"] = shard.Count },
            ["plan"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject { ["scenario"] = r.Scenario.Id, ["runs"] = r.PlannedRuns })]),
            ["units"] = results.Sum(r => r.Runs.Length),
        };
        foreach (var (name, value) in report.ToList())
        {
            report.Remove(name);
            json[name] = value;
        }

        return json;
    }

    /// <summary>Writes <see cref="FileName"/> into <paramref name="directory"/> and returns its path.</summary>
    public static async Task<string> WriteAsync(string directory, IReadOnlyList<ScenarioResult> results, ScenarioShard shard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, FileName(shard));
        await File.WriteAllTextAsync(path, ToJson(results, shard, directory).ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The results files at each path: a file as given, or every <c>archal-results*.json</c> under a folder (recursively), sorted.</summary>
    /// <exception cref="ScenarioValidationException">A path does not exist or a folder holds no results file.</exception>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var found = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                found.Add(System.IO.Path.GetFullPath(path));
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.GetFiles(path, "archal-results*.json", SearchOption.AllDirectories).Select(System.IO.Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0)
                {
                    throw new ScenarioValidationException(path, 0, "no archal-results*.json here; pass the --records folder of each 'run --shard k/n'.");
                }

                found.AddRange(files);
            }
            else
            {
                throw new ScenarioValidationException(path, 0, "no such file or folder.");
            }
        }

        return [.. found.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Reads a results file.</summary>
    /// <exception cref="ScenarioValidationException">The file is not a results file.</exception>
    public static ScenarioResultsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ScenarioValidationException(path, 0, $"not valid JSON: {ex.Message}");
        }

        if (json["format"]?.GetValue<string>() != Format)
        {
            throw new ScenarioValidationException(path, 0, $"not an Archal results file (expected \"format\": \"{Format}\").");
        }

        try
        {
            var shard = new ScenarioShard(json["shard"]!["index"]!.GetValue<int>(), json["shard"]!["count"]!.GetValue<int>());
            var planned = json["plan"]!.AsArray().ToDictionary(p => p!["scenario"]!.GetValue<string>(), p => p!["runs"]!.GetValue<int>(), StringComparer.Ordinal);
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            var results = json["scenarios"]!.AsArray().Select(s => ReadScenario(s!.AsObject(), planned, folder)).ToImmutableArray();
            return new ScenarioResultsFile(System.IO.Path.GetFullPath(path), shard, results);
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new ScenarioValidationException(path, 0, $"the results file is incomplete or malformed ({ex.Message}).");
        }
    }

    /// <summary>
    /// Merges the shards of one suite into one result per scenario, runs in index order. Every shard 1..n must be there
    /// exactly once, all with the same plan and criteria, and together they must hold every unit exactly once.
    /// </summary>
    /// <exception cref="ScenarioValidationException">Shards are missing, duplicated, or from different suites.</exception>
    public static IReadOnlyList<ScenarioResult> Merge(IReadOnlyList<ScenarioResultsFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ScenarioValidationException(null, 0, "no results files to merge.");
        }

        var first = files[0];
        var count = first.Shard.Count;
        if (files.FirstOrDefault(f => f.Shard.Count != count) is { } other)
        {
            throw new ScenarioValidationException(other.Path, 0, $"is shard {other.Shard}, but {first.Path} is shard {first.Shard}: every shard must split the suite the same way.");
        }

        foreach (var group in files.GroupBy(f => f.Shard.Index).Where(g => g.Count() > 1))
        {
            throw new ScenarioValidationException(null, 0, $"shard {group.First().Shard} appears more than once: {string.Join(", ", group.Select(f => f.Path))}.");
        }

        var missing = Enumerable.Range(1, count).Except(files.Select(f => f.Shard.Index)).ToList();
        if (missing.Count > 0)
        {
            throw new ScenarioValidationException(null, 0,
                $"missing shard(s) {string.Join(", ", missing.Select(k => $"{k}/{count}"))}; got {string.Join(", ", files.OrderBy(f => f.Shard.Index).Select(f => f.Shard.ToString()))}.");
        }

        var merged = new List<ScenarioResult>();
        foreach (var scenario in first.Results)
        {
            var runs = new List<ScenarioRunResult>();
            foreach (var file in files)
            {
                var part = file.Results.FirstOrDefault(r => r.Scenario.Id == scenario.Scenario.Id)
                    ?? throw new ScenarioValidationException(file.Path, 0, $"has no scenario '{scenario.Scenario.Id}', which {first.Path} has: the shards ran different suites.");
                if (part.PlannedRuns != scenario.PlannedRuns || !part.Scenario.Criteria.Select(c => c.ToString()).SequenceEqual(scenario.Scenario.Criteria.Select(c => c.ToString())))
                {
                    throw new ScenarioValidationException(file.Path, 0, $"scenario '{scenario.Scenario.Id}' has different runs or criteria than in {first.Path}: the shards ran different versions of it.");
                }

                foreach (var run in part.Runs)
                {
                    if (ScenarioShard.Of(scenario.Scenario.Id, run.Index, count) != file.Shard.Index)
                    {
                        throw new ScenarioValidationException(file.Path, 0, $"holds run {run.Index + 1} of '{scenario.Scenario.Id}', which belongs to shard {ScenarioShard.Of(scenario.Scenario.Id, run.Index, count)}/{count}.");
                    }
                }

                runs.AddRange(part.Runs);
            }

            var expected = Enumerable.Range(0, scenario.PlannedRuns).ToList();
            var got = runs.Select(r => r.Index).Order().ToList();
            if (!got.SequenceEqual(expected))
            {
                throw new ScenarioValidationException(null, 0,
                    $"scenario '{scenario.Scenario.Id}' should have runs 1..{scenario.PlannedRuns} once each across the shards; got {string.Join(", ", got.Select(i => i + 1))}.");
            }

            merged.Add(scenario with { Runs = [.. runs.OrderBy(r => r.Index)], Shard = null });
        }

        var extra = files.SelectMany(f => f.Results.Select(r => (f.Path, r.Scenario.Id))).FirstOrDefault(x => first.Results.All(r => r.Scenario.Id != x.Id));
        if (extra.Id is not null)
        {
            throw new ScenarioValidationException(extra.Path, 0, $"has scenario '{extra.Id}', which {first.Path} does not: the shards ran different suites.");
        }

        return merged;
    }

    private static ScenarioResult ReadScenario(JsonObject json, IReadOnlyDictionary<string, int> planned, string folder)
    {
        var id = json["id"]!.GetValue<string>();
        var criteria = json["criteria"]!.AsArray().Select(c => new ScenarioCriterion
        {
            Text = c!["text"]!.GetValue<string>(),
            Kind = c["kind"]!.GetValue<string>() == "D" ? CriterionKind.Deterministic : CriterionKind.Probabilistic,
        }).ToImmutableArray();
        var scenario = new Scenario
        {
            Id = id,
            Title = json["title"]!.GetValue<string>(),
            FilePath = json["file"]?.GetValue<string>(),
            Prompt = "",
            Criteria = criteria,
            Config = new ScenarioConfig { Runs = planned[id] },
        };
        var runs = json["runs"]!.AsArray().Select(r => ScenarioReport.RunFromJson(r!.AsObject(), criteria, folder)).ToImmutableArray();
        return new ScenarioResult { Scenario = scenario, Runs = runs, PlannedRuns = planned[id] };
    }
}
