using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Tests.Scenarios;

public class SeedFileTests
{
    [Fact]
    public void Yaml_seed_files_become_per_clone_data_with_relative_times_normalized()
    {
        var seed = SeedFile.Parse("""
            github:
              seed: empty
              repos:
                - { owner: acme, name: webapp }
              issues:
                - repo: acme/webapp
                  title: "Old bug"
                  labels: [bug, keep-open]
                  updated: 120 days ago
                  created_days_ago: 200
            slack:
              channels: [{ name: incidents }]
              messages:
                - { channel: "#incidents", text: "Paged", at: 5 minutes ago }
            """, yaml: true, "seed.yaml");

        seed.Seeds.Should().BeEquivalentTo(new Dictionary<string, string> { ["github"] = "empty" });
        var issue = seed.Data["github"]["issues"]![0]!.AsObject();
        issue["updated_days_ago"]!.GetValue<long>().Should().Be(120);
        issue["created_days_ago"]!.GetValue<long>().Should().Be(200);
        issue.ContainsKey("updated").Should().BeFalse();
        issue["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal("bug", "keep-open");
        seed.Data["slack"]["messages"]![0]!["minutes_ago"]!.GetValue<long>().Should().Be(5);
        seed.Data["github"].ContainsKey("seed").Should().BeFalse();
    }

    [Theory]
    [InlineData("""{ "github": { "repos": [{ "owner": "acme", "name": "webapp" }], "issues": [{ "repo": "acme/api", "title": "x" }] } }""",
        "github.issues[0].repo 'acme/api' is not declared in github.repos (declared: acme/webapp)")]
    [InlineData("""{ "slack": { "channels": [{ "name": "general" }], "messages": [{ "channel": "#incidents", "text": "x" }] } }""",
        "slack.messages[0].channel '#incidents' is not declared in slack.channels (declared: #general)")]
    [InlineData("""{ "slack": { "channels": [{ "name": "ops" }], "messages": [{ "channel": "#alerts", "text": "x" }] } }""",
        "slack.messages[0].channel '#alerts' is not declared in slack.channels (declared: #ops, #general)")]
    [InlineData("""{ "stripe": { "customers": [{ "email": "jane@example.com" }], "charges": [{ "customer": "bob@example.com", "amount": 100 }] } }""",
        "stripe.charges[0].customer 'bob@example.com' is not declared in stripe.customers (by id or email) (declared: jane@example.com)")]
    [InlineData("""{ "github": { "issues": { "title": "x" } } }""", "'github.issues' must be a list of entities.")]
    [InlineData("""[1, 2]""", "a seed file is an object keyed by clone id")]
    public void A_seed_that_references_something_missing_is_a_clear_error(string json, string problem)
    {
        var act = () => SeedFile.Parse(json, yaml: false, "seed.json");

        act.Should().Throw<ScenarioValidationException>().Which.Problem.Should().StartWith(problem);
    }

    [Fact]
    public void References_into_a_named_base_seed_are_left_to_the_clone()
    {
        var seed = SeedFile.Parse("""{ "github": { "seed": "stale-issues", "issues": [{ "repo": "acme/webapp", "title": "x" }] } }""", yaml: false);

        seed.Data["github"]["issues"]!.AsArray().Should().HaveCount(1);
    }

    [Fact]
    public void Invalid_json_reports_the_line()
    {
        var act = () => SeedFile.Parse("{\n  \"github\": {\n    \"repos\": [,]\n  }\n}", yaml: false, "seed.json");

        act.Should().Throw<ScenarioValidationException>().Which.Line.Should().Be(3);
    }
}

public class HarnessOutputTests
{
    [Theory]
    [InlineData("""{"text":"Closed 4 issues."}""", "Closed 4 issues.")]
    [InlineData("""{"payloads":[{"text":"a"},{"text":"b"}]}""", "a\nb")]
    [InlineData("log line\n{\"text\": \"final\"}\nbye", "final")]
    [InlineData("{\"type\":\"step\"}\n{\"type\":\"done\",\"text\":\"ndjson answer\"}\n", "ndjson answer")]
    [InlineData("  first line \n\n second line\n", "first line\nsecond line")]
    [InlineData("", null)]
    public void Stdout_is_read_as_the_hosted_harness_contract_says(string stdout, string? expected)
    {
        HarnessOutput.Extract(stdout).Should().Be(expected);
    }
}
