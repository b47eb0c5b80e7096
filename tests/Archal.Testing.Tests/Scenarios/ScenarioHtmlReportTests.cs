using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Tests.Scenarios;

public class ScenarioHtmlReportTests
{
    private static JsonObject Entry(int sequence, JsonNode? fault = null)
    {
        var entry = new JsonObject
        {
            ["sequence"] = sequence,
            ["clone"] = "github",
            ["operation"] = "issues/create",
            ["method"] = "POST",
            ["path"] = "/repos/acme/webapp/issues",
            ["query"] = "",
            ["startedAt"] = $"2026-12-02T06:00:0{sequence}.000Z",
            ["durationMs"] = 1.5,
            ["request"] = new JsonObject { ["body"] = """{"title":"</script><script>alert(1)</script>"}""" },
            ["response"] = new JsonObject { ["status"] = 201, ["body"] = """{"number":14}""" },
        };
        if (fault is not null)
        {
            entry["fault"] = fault;
        }

        return entry;
    }

    private static ScenarioRunDocument Run(params JsonObject[] entries) => ScenarioRunDocument.FromJson(new JsonObject
    {
        ["scenario"] = "s",
        ["title"] = "S",
        ["run"] = 1,
        ["runId"] = "run-1",
        ["passed"] = true,
        ["agent"] = new JsonObject { ["succeeded"] = true },
        ["criteria"] = new JsonArray(new JsonObject { ["text"] = "The run exits successfully", ["kind"] = "D", ["status"] = "passed", ["evidence"] = "ok" }),
        ["runRecord"] = new JsonObject
        {
            ["runId"] = "run-1",
            ["trace"] = new JsonObject { ["entries"] = new JsonArray([.. entries]) },
            ["stateDiff"] = new JsonObject(),
        },
    })!;

    [Fact]
    public void A_trace_entry_with_a_fault_field_shows_the_fault_and_one_without_shows_none()
    {
        var html = ScenarioHtmlReport.Render([Run(Entry(1), Entry(2, "latency 500ms"))]);

        html.Split("<tr class=\"call\"").Should().HaveCount(3);
        html.Split("class=\"fault\"").Should().HaveCount(2, "only the second call carries a fault");
        html.Should().Contain("⚡ latency 500ms");
    }

    [Fact]
    public void Bodies_are_escaped_so_a_recorded_payload_cannot_run_script_in_the_report()
    {
        var html = ScenarioHtmlReport.Render([Run(Entry(1))]);

        html.Should().NotContain("<script>alert(1)").And.Contain("&lt;/script&gt;&lt;script&gt;alert(1)");
        html.Split("<script>").Should().HaveCount(2, "the report's own inline script is the only one");
    }

    [Fact]
    public void A_canonical_run_record_of_a_plain_session_renders_without_a_score()
    {
        var record = new JsonObject { ["runId"] = "run-2", ["sessionId"] = "ses-2", ["trace"] = new JsonObject { ["entries"] = new JsonArray() }, ["stateDiff"] = new JsonObject() };

        var html = ScenarioHtmlReport.Render([ScenarioRunDocument.FromJson(record)!]);

        html.Should().Contain("Not a scenario run: no criteria.").And.Contain("No calls.").And.Contain("Nothing changed.");
    }

    [Fact]
    public void An_updated_entity_shows_each_field_before_and_after()
    {
        var run = Run(Entry(1));
        run.RunRecord!["stateDiff"] = new JsonObject
        {
            ["github"] = new JsonArray(new JsonObject
            {
                ["clone"] = "github",
                ["entityType"] = "issue",
                ["id"] = "acme/webapp#3",
                ["kind"] = "updated",
                ["changes"] = new JsonArray(
                    new JsonObject { ["field"] = "state", ["before"] = "open", ["after"] = "closed" },
                    new JsonObject { ["field"] = "labels", ["before"] = new JsonArray("bug"), ["after"] = new JsonArray("bug", "<stale>") }),
            }),
        };

        var html = ScenarioHtmlReport.Render([run]);

        html.Should().Contain("<td class=\"field\">state</td><td class=\"before\">open</td><td class=\"after\">→ closed</td>")
            .And.Contain("<td class=\"field\">labels</td><td class=\"before\">[&quot;bug&quot;]</td><td class=\"after\">→ [&quot;bug&quot;,&quot;&lt;stale&gt;&quot;]</td>");
    }
}
