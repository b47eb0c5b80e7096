using Archal.Testing.Cli;
using Archal.Testing.Cli.Tests.Support;

namespace Archal.Testing.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private static readonly string Root = RepositoryPaths.Root;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-validate-" + Guid.NewGuid().ToString("N"));

    public ValidateCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Exit, string[] Lines)> ValidateAsync(params string[] files)
    {
        using var output = new StringWriter();
        var exit = await ArchalCli.RunAsync(["validate", .. files], output);
        return (exit, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private string Write(string name, string text)
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public async Task Example_scenarios_and_seed_files_are_valid()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "examples", "scenarios"), "*.md")
            .Concat(Directory.GetFiles(Path.Combine(Root, "examples", "seeds")))
            .Order(StringComparer.Ordinal).ToArray();

        var (exit, lines) = await ValidateAsync(files);

        lines.Should().Equal(files.Select(f => $"ok {f}"));
        exit.Should().Be(0);
    }

    [Fact]
    public async Task A_broken_config_names_the_key_and_line_and_exits_2()
    {
        var file = Write("bad.md", "# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\nruns: 5000\n");

        var (exit, lines) = await ValidateAsync(file);

        lines.Should().Equal($"{file}: /runs: runs must be between 1 and 1000; got 5000. (line 8)");
        exit.Should().Be(2);
    }

    [Fact]
    public async Task A_broken_seed_file_lists_every_problem_with_its_json_pointer_and_exits_2()
    {
        var seed = Write("seed.json", """{ "github": { "seed": 3, "issues": { "title": "x" } }, "slack": [] }""");
        var good = Path.Combine(Root, "examples", "seeds", "billing.json");

        var (exit, lines) = await ValidateAsync(seed, good);

        lines.Should().Equal(
            $"{seed}: /github/issues: Value is \"object\" but should be \"array\" (got an object)",
            $"{seed}: /github/seed: Value is \"integer\" but should be \"string\" (got a number)",
            $"{seed}: /slack: Value is \"array\" but should be \"object\" (got a list)",
            $"ok {good}");
        exit.Should().Be(2);
    }

    [Fact]
    public async Task A_seed_that_references_an_undeclared_entity_fails_with_the_clones_own_path()
    {
        var seed = Write("seed.yaml", "github:\n  repos: [{ owner: acme, name: webapp }]\n  issues: [{ repo: acme/api, title: x }]\n");

        var (exit, lines) = await ValidateAsync(seed);

        lines.Should().Equal($"{seed}: github.issues[0].repo 'acme/api' is not declared in github.repos (declared: acme/webapp).");
        exit.Should().Be(2);
    }

    [Fact]
    public async Task A_scenario_is_checked_with_the_seed_file_it_names()
    {
        Write("broken.json", """{ "github": { "issues": 1 } }""");
        var file = Write("scenario.md", "# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\nseed: broken.json\n");

        var (exit, lines) = await ValidateAsync(file);

        lines.Should().Equal($"{file}: /seed: broken.json: /github/issues: Value is \"integer\" but should be \"array\" (got a number)");
        exit.Should().Be(2);
    }

    [Fact]
    public async Task Missing_and_unknown_files_are_invalid()
    {
        var text = Write("notes.txt", "hello");

        var (exit, lines) = await ValidateAsync(Path.Combine(_folder, "missing.md"), text);

        lines.Should().Equal($"{Path.Combine(_folder, "missing.md")}: file not found", $"{text}: not a scenario (.md) or seed file (.json, .yaml, .yml)");
        exit.Should().Be(2);
    }
}
