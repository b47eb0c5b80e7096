using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Scenarios;

/// <summary>
/// Renders runs as one self-contained HTML page (styles and the one small script inline; no server, no network):
/// per scenario satisfaction and pass^k; per run the criteria verdicts with evidence, a timeline of calls with their
/// (already redacted) bodies on demand, and the state diff. The CLI (<c>report html</c>), <c>serve</c> (<c>/runs/{runId}</c>)
/// and the test adapters all render through here.
/// </summary>
public static class ScenarioHtmlReport
{
    // Relaxed escaping shows bodies as recorded ("<", not "\u003C"); everything is HTML-encoded afterwards.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Renders the runs, grouped by scenario.</summary>
    /// <param name="runs">The runs (see <see cref="ScenarioRunDocument.Load"/>).</param>
    /// <param name="title">The page title.</param>
    /// <param name="refreshSeconds">When set, the page reloads itself this often (a live view of a running session).</param>
    public static string Render(IReadOnlyList<ScenarioRunDocument> runs, string title = "Archal scenario report", int? refreshSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (refreshSeconds is { } seconds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{seconds}\">");
        }

        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(H(title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        var scenarios = runs.GroupBy(r => r.ScenarioId, StringComparer.Ordinal).Select(g => (Runs: g.ToList(), Score: ScenarioRunDocument.Score([.. g]))).ToList();
        var pairs = scenarios.Sum(s => s.Score.EvaluatedPairs);
        var overall = pairs == 0 ? 0 : 100.0 * scenarios.Sum(s => s.Score.PassedPairs) / pairs;
        html.Append("<header><h1>").Append(H(title)).Append("</h1><p class=\"summary\">")
            .Append(CultureInfo.InvariantCulture, $"{scenarios.Count} scenario(s), {runs.Count} run(s); overall satisfaction <b id=\"overall-satisfaction\">{Percent(overall)}</b>")
            .Append("</p><p class=\"controls\"><label><input type=\"checkbox\" id=\"only-failed\"> only failed runs</label> ")
            .Append("<button type=\"button\" id=\"expand-all\">expand all</button> <button type=\"button\" id=\"collapse-all\">collapse all</button></p></header><main>");
        foreach (var (scenarioRuns, score) in scenarios)
        {
            Scenario(html, scenarioRuns, score, live: refreshSeconds is not null);
        }

        html.Append("</main><script>").Append(Script).Append("</script></body></html>\n");
        return html.ToString();
    }

    private static void Scenario(StringBuilder html, List<ScenarioRunDocument> runs, ScenarioResult score, bool live)
    {
        var first = runs[0];
        var judged = score.EvaluatedPairs > 0;
        html.Append("<section class=\"scenario\" data-scenario=\"").Append(H(first.ScenarioId)).Append("\"><h2><span class=\"scenario-title\">").Append(H(first.Title))
            .Append("</span> <code class=\"scenario-id\">").Append(H(first.ScenarioId)).Append("</code></h2>");
        if (score.Runs.IsEmpty)
        {
            // A session that was not a scenario run has calls and a diff, but nothing to score.
            html.Append("<p class=\"score empty\">Not a scenario run: no criteria.</p>");
        }
        else
        {
            html.Append("<p class=\"score\">satisfaction <b class=\"satisfaction\">").Append(judged ? Percent(score.Satisfaction) : "–").Append("</b> (")
                .Append(CultureInfo.InvariantCulture, $"{score.PassedPairs}/{score.EvaluatedPairs} criterion-runs")
                .Append(") · pass^k <b class=\"passk ").Append(score.Passed ? "yes\">yes" : "no\">no").Append("</b>")
                .Append(CultureInfo.InvariantCulture, $" over {runs.Count} run(s)</p>");
        }

        if (score.Criteria.Length > 0)
        {
            html.Append("<table class=\"criteria-summary\"><thead><tr><th>Criterion</th><th>Passed</th><th>pass^k</th></tr></thead><tbody>");
            foreach (var criterion in score.Criteria)
            {
                html.Append("<tr><td>").Append(H(criterion.Criterion.ToString())).Append("</td><td>")
                    .Append(criterion.NotJudged ? "not judged" : string.Create(CultureInfo.InvariantCulture, $"{criterion.Passed}/{criterion.Runs}"))
                    .Append("</td><td class=\"").Append(criterion.NotJudged ? "na\">–" : criterion.PassAllRuns ? "yes\">yes" : "no\">no").Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        foreach (var run in runs)
        {
            Run(html, run, live);
        }

        html.Append("</section>");
    }

    private static void Run(StringBuilder html, ScenarioRunDocument run, bool liveView)
    {
        var verdicts = run.Verdicts;
        var record = run.RunRecord;
        var passed = verdicts?["passed"]?.GetValue<bool>();
        var verdict = passed switch { true => "passed", false => "failed", null => "unscored" };
        var entries = record?["trace"]?["entries"] as JsonArray ?? [];
        // Records captured for files are taken just before the session ends; only a served page is live.
        var live = liveView && record?["final"]?.GetValue<bool>() == false;
        html.Append("<details class=\"run ").Append(verdict).Append("\" data-run-id=\"").Append(H(run.RunId)).Append("\" data-verdict=\"").Append(verdict).Append('"')
            .Append(passed == true ? "" : " open").Append("><summary><span class=\"badge ").Append(verdict).Append("\">").Append(verdict).Append("</span> ")
            .Append(CultureInfo.InvariantCulture, $"Run {run.Run} · {entries.Count} call(s)");
        if (verdicts?["durationMs"] is JsonValue duration)
        {
            html.Append(CultureInfo.InvariantCulture, $" · {duration.GetValue<double>():0} ms");
        }

        html.Append(" · <code>").Append(H(run.RunId)).Append("</code>").Append(live ? " <span class=\"live\">live</span>" : "").Append("</summary>");
        if (verdicts?["agent"] is JsonObject agent)
        {
            var succeeded = agent["succeeded"]?.GetValue<bool>() == true;
            html.Append("<p class=\"agent\">agent ").Append(succeeded ? "<b class=\"yes\">succeeded</b>" : "<b class=\"no\">failed</b>");
            if (agent["error"]?.GetValue<string>() is { Length: > 0 } error)
            {
                html.Append(": <span class=\"agent-error\">").Append(H(error)).Append("</span>");
            }

            html.Append("</p>");
            if (agent["output"]?.GetValue<string>() is { Length: > 0 } answer)
            {
                html.Append("<details class=\"answer\"><summary>final answer</summary><pre>").Append(H(answer)).Append("</pre></details>");
            }
        }

        if (verdicts?["criteria"] is JsonArray criteria && criteria.Count > 0)
        {
            html.Append("<h3>Criteria</h3><table class=\"verdicts\"><thead><tr><th>Verdict</th><th>Criterion</th><th>Evidence</th></tr></thead><tbody>");
            foreach (var criterion in criteria.OfType<JsonObject>())
            {
                var status = criterion["status"]?.GetValue<string>() ?? "error";
                html.Append("<tr class=\"verdict ").Append(H(status)).Append("\" data-status=\"").Append(H(status)).Append("\"><td><span class=\"badge ").Append(H(status)).Append("\">")
                    .Append(H(status.Replace('_', ' '))).Append("</span></td><td class=\"criterion\">[").Append(H(criterion["kind"]?.GetValue<string>() ?? "P")).Append("] ")
                    .Append(H(criterion["text"]?.GetValue<string>())).Append("</td><td class=\"evidence\">").Append(H(criterion["evidence"]?.GetValue<string>())).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        Timeline(html, entries, record);
        StateDiff(html, record?["stateDiff"] as JsonObject);
        html.Append("</details>");
    }

    private static void Timeline(StringBuilder html, JsonArray entries, JsonObject? record)
    {
        html.Append("<h3>Calls</h3>");
        if (record is null)
        {
            html.Append("<p class=\"empty\">The run record was not captured.</p>");
            return;
        }

        if (record["trace"]?["dropped"]?.GetValue<long>() is > 0 and var dropped)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"dropped\">{dropped} earlier call(s) were dropped from the bounded trace.</p>");
        }

        if (entries.Count == 0)
        {
            html.Append("<p class=\"empty\">No calls.</p>");
            return;
        }

        var starts = entries.Select(e => DateTimeOffset.TryParse(e?["startedAt"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null).ToList();
        var origin = starts.Where(s => s is not null).DefaultIfEmpty(null).Min();
        var spans = entries.Select((e, i) => (Start: origin is { } o && starts[i] is { } s ? (s - o).TotalMilliseconds : 0, Duration: Duration(e))).ToList();
        var total = Math.Max(spans.Max(s => s.Start + s.Duration), 0.001);
        html.Append("<table class=\"timeline\"><thead><tr><th>#</th><th>Clone</th><th>Operation</th><th>Request</th><th>Status</th><th>Duration</th><th>Timeline</th><th>Fault</th><th>Bodies</th></tr></thead><tbody>");
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject entry)
            {
                continue;
            }

            var status = entry["response"]?["status"]?.GetValue<int>() ?? 0;
            var left = 100 * spans[i].Start / total;
            var width = Math.Max(100 * spans[i].Duration / total, 0.5);
            html.Append("<tr class=\"call\" data-seq=\"").Append(H(entry["sequence"]?.ToJsonString())).Append("\"><td>").Append(H(entry["sequence"]?.ToJsonString()))
                .Append("</td><td class=\"clone\">").Append(H(Text(entry["clone"])))
                .Append("</td><td class=\"operation\">").Append(H(Text(entry["operation"])))
                .Append("</td><td class=\"request\"><code>").Append(H(Text(entry["method"]))).Append(' ').Append(H(Text(entry["path"]) + Text(entry["query"])))
                .Append("</code></td><td class=\"status s").Append(status / 100).Append("xx\">").Append(status)
                .Append("</td><td class=\"duration\">").Append(spans[i].Duration.ToString("0.##", CultureInfo.InvariantCulture)).Append(" ms")
                .Append("</td><td class=\"bar-cell\"><span class=\"bar\" style=\"margin-left:").Append(left.ToString("0.##", CultureInfo.InvariantCulture))
                .Append("%;width:").Append(width.ToString("0.##", CultureInfo.InvariantCulture)).Append("%\"></span></td><td class=\"fault-cell\">");
            // Fault injection is not part of the trace yet; a future "fault" field on an entry is shown as given.
            if (entry["fault"] is { } fault)
            {
                html.Append("<span class=\"fault\">⚡ ").Append(H(fault is JsonValue ? Text(fault) : fault.ToJsonString(Compact))).Append("</span>");
            }

            html.Append("</td><td class=\"bodies\"><details><summary>show</summary>");
            Body(html, "request", entry["request"]?["body"]);
            Body(html, "response", entry["response"]?["body"]);
            html.Append("</details></td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Body(StringBuilder html, string label, JsonNode? body)
    {
        html.Append("<div class=\"body\"><b>").Append(label).Append("</b>");
        if (body is null || (body is JsonValue && Text(body).Length == 0))
        {
            html.Append(" <i>empty</i></div>");
            return;
        }

        var text = body is JsonValue ? Text(body) : body.ToJsonString(Indented);
        try
        {
            if (JsonNode.Parse(text) is { } parsed && parsed is not JsonValue)
            {
                text = parsed.ToJsonString(Indented);
            }
        }
        catch (JsonException)
        {
            // Not JSON (form-encoded, text): shown as is.
        }

        html.Append("<pre>").Append(H(text)).Append("</pre></div>");
    }

    private static void StateDiff(StringBuilder html, JsonObject? diff)
    {
        html.Append("<h3>State diff</h3>");
        var mutations = diff?.SelectMany(c => (c.Value as JsonArray ?? []).OfType<JsonObject>()).ToList() ?? [];
        if (mutations.Count == 0)
        {
            html.Append("<p class=\"empty\">").Append(diff is null ? "The run record was not captured." : "Nothing changed.").Append("</p>");
            return;
        }

        html.Append("<table class=\"diff\"><thead><tr><th>Change</th><th>Entity</th><th>Field</th><th>Before</th><th>After</th></tr></thead><tbody>");
        foreach (var mutation in mutations)
        {
            var kind = Text(mutation["kind"]);
            var changes = (mutation["changes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var rows = kind == "updated" ? Math.Max(1, changes.Count) : 1;
            html.Append("<tr class=\"mutation ").Append(H(kind)).Append("\"><td rowspan=\"").Append(rows).Append("\"><span class=\"badge ").Append(H(kind)).Append("\">").Append(H(kind))
                .Append("</span></td><td rowspan=\"").Append(rows).Append("\">").Append(H(Text(mutation["clone"]))).Append('/').Append(H(Text(mutation["entityType"])))
                .Append(" <code>").Append(H(Text(mutation["id"]))).Append("</code></td>");
            if (changes.Count == 0)
            {
                html.Append("<td colspan=\"3\"></td></tr>");
                continue;
            }

            if (kind != "updated")
            {
                // A created or deleted entity is one row; its fields open on demand.
                html.Append("<td class=\"field\" colspan=\"3\"><details><summary>").Append(changes.Count).Append(" field(s)</summary><table class=\"fields\">");
                foreach (var change in changes)
                {
                    html.Append("<tr><td class=\"field\">").Append(H(Text(change["field"]))).Append("</td><td>").Append(H(Value(kind == "deleted" ? change["before"] : change["after"]))).Append("</td></tr>");
                }

                html.Append("</table></details></td></tr>");
                continue;
            }

            for (var i = 0; i < changes.Count; i++)
            {
                if (i > 0)
                {
                    html.Append("<tr class=\"mutation-field\">");
                }

                html.Append("<td class=\"field\">").Append(H(Text(changes[i]["field"]))).Append("</td><td class=\"before\">").Append(H(Value(changes[i]["before"])))
                    .Append("</td><td class=\"after\">→ ").Append(H(Value(changes[i]["after"]))).Append("</td></tr>");
            }
        }

        html.Append("</tbody></table>");
    }

    private static double Duration(JsonNode? entry) =>
        entry?["durationMs"] is JsonValue value && value.TryGetValue<double>(out var ms) ? ms : 0;

    private static string Value(JsonNode? node) => node is null ? "∅" : node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString(Compact);

    private static string Text(JsonNode? node) => node is JsonValue value ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString() : "";

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string H(string? text) => WebUtility.HtmlEncode(text ?? "");

    private const string Css = """
        :root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff}
        body{margin:0 auto;max-width:1200px;padding:16px}
        h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.2em;margin:24px 0 4px}h3{font-size:1em;margin:12px 0 4px}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
        pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:400px;white-space:pre-wrap;word-break:break-word}
        table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:.9em}
        th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f6f8fa}
        .scenario{border-top:2px solid #d0d7de;padding-top:4px}
        .scenario-id{color:#57606a;font-weight:normal}
        details.run{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:4px 8px}
        details.run.failed{border-left:6px solid #cf222e}details.run.passed{border-left:6px solid #1a7f37}
        details.run>summary{cursor:pointer;font-weight:600}
        .badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.85em;font-weight:600;background:#eaeef2}
        .badge.passed,.badge.created{background:#dafbe1;color:#116329}
        .badge.failed,.badge.error,.badge.deleted{background:#ffebe9;color:#a40e26}
        .badge.not_judged,.badge.unscored{background:#eaeef2;color:#57606a}.badge.updated{background:#fff8c5;color:#7d4e00}
        .yes{color:#1a7f37}.no{color:#cf222e}.na{color:#57606a}
        tr.verdict.failed td.evidence,tr.verdict.error td.evidence{background:#fff5f5}
        .status.s4xx,.status.s5xx{color:#cf222e;font-weight:600}
        .bar-cell{width:20%;min-width:120px}.bar{display:block;height:10px;background:#0969da;border-radius:2px}
        .fault{color:#9a6700;font-weight:600}.live{color:#fff;background:#0969da;border-radius:10px;padding:0 6px}
        .empty,.dropped{color:#57606a}.summary{color:#57606a;margin:0}
        body.only-failed details.run.passed{display:none}
        """;

    private const string Script = """
        (function(){
          var only=document.getElementById('only-failed');
          only.addEventListener('change',function(){document.body.classList.toggle('only-failed',only.checked);});
          function all(open){document.querySelectorAll('details').forEach(function(d){d.open=open;});}
          document.getElementById('expand-all').addEventListener('click',function(){all(true);});
          document.getElementById('collapse-all').addEventListener('click',function(){all(false);});
        })();
        """;
}
