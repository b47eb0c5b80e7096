using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Archal.Testing.Scenarios;

/// <summary>Writes scenario results as JSON or JUnit XML.</summary>
public static class ScenarioReport
{
    /// <summary>The results as one JSON document: per scenario satisfaction, pass^k, criteria and runs.</summary>
    public static JsonObject ToJson(IEnumerable<ScenarioResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        var scenarios = new JsonArray();
        foreach (var result in list)
        {
            scenarios.Add(new JsonObject
            {
                ["id"] = result.Scenario.Id,
                ["title"] = result.Scenario.Title,
                ["file"] = result.Scenario.FilePath,
                ["satisfaction"] = Math.Round(result.Satisfaction, 2),
                ["passAllRuns"] = result.Passed,
                ["passedPairs"] = result.PassedPairs,
                ["evaluatedPairs"] = result.EvaluatedPairs,
                ["criteria"] = new JsonArray([.. result.Criteria.Select(c => (JsonNode)new JsonObject
                {
                    ["text"] = c.Criterion.Text,
                    ["kind"] = c.Criterion.Kind == CriterionKind.Deterministic ? "D" : "P",
                    ["passed"] = c.Passed,
                    ["evaluated"] = c.Evaluated,
                    ["runs"] = c.Runs,
                    ["passAllRuns"] = c.PassAllRuns,
                    ["notJudged"] = c.NotJudged,
                })]),
                ["runs"] = new JsonArray([.. result.Runs.Select(r => (JsonNode)WithRecordPath(RunToJson(result.Scenario, r), r))]),
            });
        }

        var pairs = list.Sum(r => r.EvaluatedPairs);
        return new JsonObject
        {
            ["satisfaction"] = pairs == 0 ? 0 : Math.Round(100.0 * list.Sum(r => r.PassedPairs) / pairs, 2),
            ["passAllRuns"] = list.Count > 0 && list.All(r => r.Passed),
            ["scenarios"] = scenarios,
        };
    }

    /// <summary>One run as JSON.</summary>
    public static JsonObject RunToJson(Scenario scenario, ScenarioRunResult run)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(run);
        return new JsonObject
        {
            ["scenario"] = scenario.Id,
            ["title"] = scenario.Title,
            ["run"] = run.Index + 1,
            ["sessionId"] = run.SessionId,
            ["runId"] = run.RunId,
            ["passed"] = run.Passed,
            ["agent"] = new JsonObject { ["succeeded"] = run.Agent.Succeeded, ["output"] = run.Agent.Output, ["error"] = run.Agent.Error },
            ["toolCalls"] = run.ToolCalls,
            ["durationMs"] = Math.Round(run.Duration.TotalMilliseconds),
            ["criteria"] = new JsonArray([.. run.Criteria.Select(c => (JsonNode)new JsonObject
            {
                ["text"] = c.Criterion.Text,
                ["kind"] = c.Criterion.Kind == CriterionKind.Deterministic ? "D" : "P",
                ["status"] = StatusName(c.Outcome.Status),
                ["evidence"] = c.Outcome.Evidence,
            })]),
        };
    }

    /// <summary>A criterion status as written in reports: <c>passed</c>, <c>failed</c>, <c>not_judged</c> or <c>error</c>.</summary>
    public static string StatusName(CriterionStatus status) => status switch
    {
        CriterionStatus.Passed => "passed",
        CriterionStatus.Failed => "failed",
        CriterionStatus.NotJudged => "not_judged",
        _ => "error",
    };

    internal static CriterionStatus ParseStatus(string name) => name switch
    {
        "passed" => CriterionStatus.Passed,
        "failed" => CriterionStatus.Failed,
        "not_judged" => CriterionStatus.NotJudged,
        "error" => CriterionStatus.Error,
        _ => throw new FormatException($"unknown criterion status '{name}'"),
    };

    /// <summary>Reads a run written by <see cref="RunToJson"/> back (the inverse, for merging and reports); record paths resolve against <paramref name="folder"/>.</summary>
    internal static ScenarioRunResult RunFromJson(JsonObject json, ImmutableArray<ScenarioCriterion> criteria, string? folder)
    {
        var verdicts = json["criteria"]!.AsArray();
        if (verdicts.Count != criteria.Length)
        {
            throw new FormatException($"run {json["run"]} has {verdicts.Count} criteria, the scenario {criteria.Length}");
        }

        // Only the verdicts are required; ids and the agent's result may be missing from hand-made or older records.
        var agent = json["agent"];
        return new ScenarioRunResult
        {
            Index = json["run"]!.GetValue<int>() - 1,
            SessionId = json["sessionId"]?.GetValue<string>() ?? "",
            RunId = json["runId"]?.GetValue<string>() ?? "",
            Agent = new AgentResult(agent?["succeeded"]?.GetValue<bool>() ?? true, agent?["output"]?.GetValue<string>(), agent?["error"]?.GetValue<string>()),
            Criteria = [.. criteria.Select((criterion, i) => new CriterionResult(criterion, new CriterionOutcome(
                ParseStatus(verdicts[i]!["status"]!.GetValue<string>()), verdicts[i]!["evidence"]?.GetValue<string>() ?? "")))],
            ToolCalls = json["toolCalls"]?.GetValue<int>() ?? 0,
            Duration = TimeSpan.FromMilliseconds(json["durationMs"]?.GetValue<double>() ?? 0),
            RecordPath = json["recordPath"]?.GetValue<string>() is { } record ? System.IO.Path.GetFullPath(folder is null ? record : System.IO.Path.Combine(folder, record)) : null,
        };
    }

    private static JsonObject WithRecordPath(JsonObject run, ScenarioRunResult result)
    {
        if (result.RecordPath is { } path)
        {
            run["recordPath"] = path;
        }

        return run;
    }

    /// <summary>The results as JUnit XML: one test suite per scenario, one test case per criterion per run.</summary>
    public static XDocument ToJUnit(IEnumerable<ScenarioResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suites = new XElement("testsuites");
        foreach (var result in results)
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", result.Scenario.Title),
                new XAttribute("tests", result.Runs.Sum(r => r.Criteria.Length)),
                new XAttribute("failures", result.Runs.Sum(r => r.Criteria.Count(c => c.Outcome.Status == CriterionStatus.Failed))),
                new XAttribute("errors", result.Runs.Sum(r => r.Criteria.Count(c => c.Outcome.Status == CriterionStatus.Error))),
                new XAttribute("skipped", result.Runs.Sum(r => r.Criteria.Count(c => c.Outcome.Status == CriterionStatus.NotJudged))),
                new XAttribute("time", Seconds(result.Runs.Sum(r => r.Duration.TotalSeconds))));
            foreach (var run in result.Runs)
            {
                foreach (var criterion in run.Criteria)
                {
                    var testCase = new XElement("testcase",
                        new XAttribute("classname", result.Scenario.Id),
                        new XAttribute("name", $"run {run.Index + 1}: {criterion.Criterion}"),
                        new XAttribute("time", Seconds(run.Duration.TotalSeconds / Math.Max(1, run.Criteria.Length))));
                    switch (criterion.Outcome.Status)
                    {
                        case CriterionStatus.Failed:
                            testCase.Add(new XElement("failure", new XAttribute("message", criterion.Outcome.Evidence), criterion.Outcome.Evidence));
                            break;
                        case CriterionStatus.Error:
                            testCase.Add(new XElement("error", new XAttribute("message", criterion.Outcome.Evidence)));
                            break;
                        case CriterionStatus.NotJudged:
                            testCase.Add(new XElement("skipped", new XAttribute("message", criterion.Outcome.Evidence)));
                            break;
                    }

                    suite.Add(testCase);
                }
            }

            suites.Add(suite);
        }

        return new XDocument(suites);
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
