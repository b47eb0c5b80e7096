using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Scenarios;

/// <summary>
/// One run as the HTML report reads it, from either JSON the harness already writes: a scenario run record
/// (<c>.archal/runs/&lt;scenario&gt;/&lt;run-id&gt;.json</c>: verdicts plus the canonical run record) or a canonical run record
/// (<c>GET /api/runs/{runId}</c>, <c>{session}.run.json</c>), whose <c>criteria</c> carries the verdicts of a scenario run.
/// </summary>
public sealed class ScenarioRunDocument
{
    private ScenarioRunDocument(JsonObject? verdicts, JsonObject? runRecord, string? source)
    {
        Verdicts = verdicts;
        RunRecord = runRecord;
        Source = source;
    }

    /// <summary>The run's verdicts (<see cref="ScenarioReport.RunToJson"/>), or null for a session that was not a scenario run.</summary>
    public JsonObject? Verdicts { get; }

    /// <summary>The canonical run record (trace, state diff, timings), or null when it was not captured.</summary>
    public JsonObject? RunRecord { get; }

    /// <summary>The file the run was read from, if any.</summary>
    public string? Source { get; }

    /// <summary>The scenario id (the session id for a run that was not a scenario run).</summary>
    public string ScenarioId => Verdicts?["scenario"]?.GetValue<string>() ?? RunRecord?["scenarioId"]?.GetValue<string>() ?? RunRecord?["sessionId"]?.GetValue<string>() ?? "(session)";

    /// <summary>The scenario title, when the record carries it; else the id.</summary>
    public string Title => Verdicts?["title"]?.GetValue<string>() ?? ScenarioId;

    /// <summary>The 1-based run number (1 when unknown).</summary>
    public int Run => Verdicts?["run"]?.GetValue<int>() ?? 1;

    /// <summary>The run id.</summary>
    public string RunId => Verdicts?["runId"]?.GetValue<string>() ?? RunRecord?["runId"]?.GetValue<string>() ?? "";

    /// <summary>Reads one run from a scenario run record or a canonical run record; null when the JSON is neither.</summary>
    public static ScenarioRunDocument? FromJson(JsonObject json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json["scenario"] is JsonValue && json["criteria"] is JsonArray)
        {
            return new ScenarioRunDocument(json, json["runRecord"] as JsonObject, source);
        }

        if (json["runId"] is JsonValue && json["trace"] is JsonObject)
        {
            return new ScenarioRunDocument(json["criteria"] as JsonObject, json, source);
        }

        return null;
    }

    /// <summary>
    /// Reads runs from files and folders (every <c>*.json</c> under a folder that is a run record; other JSON there, such as
    /// results files, is skipped). The same run read twice counts once. Sorted by scenario, then run.
    /// </summary>
    /// <exception cref="ScenarioValidationException">A path does not exist, a named file is not a run record, or nothing was found.</exception>
    public static IReadOnlyList<ScenarioRunDocument> Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var runs = new List<ScenarioRunDocument>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                runs.Add(Read(path) ?? throw new ScenarioValidationException(path, 0, "not a run record (expected a scenario run record or GET /api/runs/{runId} JSON)."));
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.GetFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (Read(file) is { } run)
                    {
                        runs.Add(run);
                    }
                }
            }
            else
            {
                throw new ScenarioValidationException(path, 0, "no such file or folder.");
            }
        }

        if (runs.Count == 0)
        {
            throw new ScenarioValidationException(string.Join(", ", paths), 0, "no run records found.");
        }

        return [.. runs.DistinctBy(r => r.RunId.Length > 0 ? r.RunId : r.Source).OrderBy(r => r.ScenarioId, StringComparer.Ordinal).ThenBy(r => r.Run).ThenBy(r => r.RunId, StringComparer.Ordinal)];
    }

    /// <summary>Scores runs of one scenario (satisfaction, pass^k); runs without verdicts are left out.</summary>
    public static ScenarioResult Score(IReadOnlyList<ScenarioRunDocument> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var withVerdicts = runs.Where(r => r.Verdicts?["criteria"] is JsonArray).ToList();
        var first = withVerdicts.FirstOrDefault() ?? runs.FirstOrDefault();
        var criteria = (first?.Verdicts?["criteria"] as JsonArray ?? []).Select(c => new ScenarioCriterion
        {
            Text = c!["text"]!.GetValue<string>(),
            Kind = c["kind"]?.GetValue<string>() == "D" ? CriterionKind.Deterministic : CriterionKind.Probabilistic,
        }).ToImmutableArray();
        var scenario = new Scenario { Id = first?.ScenarioId ?? "", Title = first?.Title ?? "", Prompt = "", Criteria = criteria };
        var results = withVerdicts
            .Where(r => r.Verdicts!["criteria"]!.AsArray().Count == criteria.Length)
            .Select(r => ScenarioReport.RunFromJson(r.Verdicts!, criteria, null))
            .ToImmutableArray();
        return new ScenarioResult { Scenario = scenario, Runs = results };
    }

    private static ScenarioRunDocument? Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject json ? FromJson(json, path) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
