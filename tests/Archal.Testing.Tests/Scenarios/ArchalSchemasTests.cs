using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;
using Archal.Testing.Tests.Packaging;

namespace Archal.Testing.Tests.Scenarios;

public class ArchalSchemasTests
{
    private static readonly string Root = RepositoryBuildTests.RepositoryRoot();

    [Theory]
    [InlineData("seed-file.schema.json")]
    [InlineData("scenario-config.schema.json")]
    public void The_docs_copies_equal_the_embedded_schemas(string name)
    {
        var embedded = name.StartsWith("seed", StringComparison.Ordinal) ? ArchalSchemas.SeedFileJson : ArchalSchemas.ScenarioConfigJson;

        File.ReadAllText(Path.Combine(Root, "docs", "schemas", name)).ReplaceLineEndings().Should().Be(embedded.ReplaceLineEndings());
    }

    [Fact]
    public void The_published_schema_loads_beside_the_librarys_own_copy()
    {
        SeedFile.CheckSchema("{}", yaml: false).Should().BeEmpty();

        var schema = Json.Schema.JsonSchema.FromFile(Path.Combine(Root, "docs", "schemas", "seed-file.schema.json"));

        using var document = System.Text.Json.JsonDocument.Parse("""{ "github": { "seed": "empty" } }""");
        schema.Evaluate(document.RootElement).IsValid.Should().BeTrue();
        SeedFile.CheckSchema("""{ "github": [] }""", yaml: false).Should().ContainSingle();
    }

    [Fact]
    public void Seed_schema_errors_keep_the_old_text_and_append_the_json_pointer()
    {
        var act = () => SeedFile.Parse("""{ "github": { "issues": { "title": "x" } } }""", yaml: false, "seed.json");

        var error = act.Should().Throw<ScenarioValidationException>().Which;
        error.Problem.Should().Be("'github.issues' must be a list of entities. (at /github/issues)");
        error.Pointer.Should().Be("/github/issues");
        error.Message.Should().Be("seed.json: 'github.issues' must be a list of entities. (at /github/issues)");
    }

    [Fact]
    public void A_seed_name_that_is_not_text_is_rejected_at_its_pointer()
    {
        var act = () => SeedFile.Parse("github:\n  seed: 3\n", yaml: true, "seed.yaml");

        act.Should().Throw<ScenarioValidationException>().Which.Pointer.Should().Be("/github/seed");
    }

    [Fact]
    public void CheckSchema_lists_every_problem_in_pointer_order()
    {
        var problems = SeedFile.CheckSchema("""{ "stripe": { "charges": 1 }, "github": 2 }""", yaml: false);

        problems.Select(p => p.Path).Should().Equal("/github", "/stripe/charges");
    }

    [Theory]
    [InlineData("clones: github\nruns: 5000", "/runs", 2, "runs must be between 1 and 1000; got 5000. (at /runs)")]
    [InlineData("clones: github\ntimeout: soon", "/timeout", 2, "timeout must be a positive whole number of seconds; got 'soon'. (at /timeout)")]
    [InlineData("clones: GitHub", "/clones", 1, "'GitHub' is not a clone id (lower case, for example github, slack, stripe). (at /clones)")]
    [InlineData("clones: github\ntwins: slack", "/twins", 2, "config key 'clones' is set twice. (at /twins)")]
    [InlineData("clones: github\nseed: ???", "/seed", 2, "'???' is neither a seed name nor a seed file (.json, .yaml, .yml). (at /seed)")]
    [InlineData("clones: github\nrun: 3", "/run", 2, "unknown config key 'run'. Known keys: clones, twins, seed, seeds, timeout, runs, tags, model, faults. (at /run)")]
    public void Config_schema_errors_name_the_line_and_the_json_pointer(string config, string pointer, int configLine, string problem)
    {
        var act = () => ScenarioParser.Parse($"# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\n{config}\n", "bad.md");

        var error = act.Should().Throw<ScenarioValidationException>().Which;
        error.Pointer.Should().Be(pointer);
        error.Line.Should().Be(6 + configLine);
        error.Problem.Should().Be(problem);
    }

    [Theory]
    [InlineData("clones", "github, slack")]
    [InlineData("twins", "github slack")]
    [InlineData("seed", "../seeds/x.YML")]
    [InlineData("seeds", "github: stale-issues, slack: empty")]
    [InlineData("timeout", "90s")]
    [InlineData("runs", "1000")]
    public void Config_values_the_parser_accepts_pass_the_schema(string key, string value)
    {
        ArchalSchemas.CheckScenarioConfig(new JsonObject { [key] = value }).Should().BeEmpty();
    }
}
