using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Archal.Testing.Tests.Support;
using Archal.Testing.Tracing;

namespace Archal.Testing.Tests;

/// <summary>
/// A clone defined only in this test project (<see cref="TodoClone"/>) gets traces, [D] criteria, seed-file
/// checks and redaction through the clone contract, with no edit to the harness.
/// </summary>
public sealed class TestOnlyCloneTests : IAsyncLifetime
{
    private const string Scenario = """
        # Finish the groceries
        ## Prompt
        Complete the "milk" todo.
        ## Success Criteria
        - [D] At least 1 todo is completed
        - [D] Exactly 1 todo in list groceries was completed
        - [D] No todos in list work were completed
        - [D] Fewer than 5 tool calls were made
        ## Config
        clones: todo
        seed: seed.yaml
        """;

    private const string Seed = """
        todo:
          lists: [{ name: groceries }, { name: work }]
          todos:
            - { title: milk, list: groceries }
            - { title: report, list: work }
        """;

    private const string TodoToken = "todo_SuperSecretValue42";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-todo-" + Guid.NewGuid().ToString("N"));
    private ArchalHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "groceries.md"), Scenario);
        File.WriteAllText(Path.Combine(_folder, "seed.yaml"), Seed);
        var options = new ArchalHostOptions();
        options.Clones.Clear();
        options.Clones.Add(new TodoClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static IScenarioAgent Completer(string title) => ScenarioAgent.FromDelegate(async (context, ct) =>
    {
        using var todo = context.CreateClient("todo");
        var todos = await todo.GetFromJsonAsync<JsonArray>("todos", ct);
        var id = todos!.OfType<JsonObject>().First(t => t["title"]!.GetValue<string>() == title)["id"]!.GetValue<string>();
        using var response = await todo.PostAsync($"todos/{id}/complete", null, ct);
        response.EnsureSuccessStatusCode();
        return $"Completed {title}.";
    });

    [Fact]
    public async Task Its_calls_are_traced_with_its_operation_names_and_mutations()
    {
        await using var session = await _host.CreateSessionAsync(new SessionRequest("todo"));
        using var todo = session.CreateClient("todo");

        (await todo.PostAsJsonAsync("todos", new { title = "milk" })).Dispose();
        (await todo.GetAsync("todos")).Dispose();
        (await todo.PostAsync("todos/t1/complete", null)).Dispose();

        session.Trace.Entries.Select(e => e.Operation).Should().Equal("todos.create", "todos.list", "todos.complete");
        session.Trace.Entries.Select(e => e.CloneId).Should().OnlyContain(c => c == "todo");
        session.Trace.Entries[2].Mutations.Should().ContainSingle().Which.EntityType.Should().Be("todo");
    }

    [Fact]
    public async Task Deterministic_criteria_speak_its_vocabulary_over_a_seed_file_it_checks()
    {
        var runner = new ScenarioRunner(_host);

        var good = await runner.RunAsync(Path.Combine(_folder, "groceries.md"), Completer("milk"), new ScenarioRunOptions { Runs = 1 });
        var bad = await runner.RunAsync(Path.Combine(_folder, "groceries.md"), Completer("report"), new ScenarioRunOptions { Runs = 1 });

        good.Passed.Should().BeTrue(good.DescribeFailures());
        good.Runs[0].Criteria[0].Outcome.Evidence.Should().Be("found 1 matching todo: t1 \"milk\" (done); expected at least 1");
        bad.Runs[0].Criteria.Select(c => c.Outcome.Passed).Should().Equal(true, false, false, true);
    }

    [Fact]
    public void Its_seed_file_check_reports_a_reference_the_file_does_not_declare()
    {
        var act = () => SeedFile.Parse("""{ "todo": { "lists": [{ "name": "groceries" }], "todos": [{ "title": "x", "list": "shopping" }] } }""",
            yaml: false, "seed.json", _host.Options.Clones);

        act.Should().Throw<ScenarioValidationException>().Which.Problem
            .Should().Be("todo.todos[0].list 'shopping' is not declared in todo.lists (declared: groceries, inbox).");
    }

    [Fact]
    public void Its_words_are_unknown_to_a_host_without_it()
    {
        var act = () => ScenarioParser.Parse(Scenario, "groceries.md");

        act.Should().Throw<ScenarioValidationException>().Which.Problem.Should().Contain("'todo' is not understood here");
    }

    [Fact]
    public async Task Its_operation_table_is_served_by_the_operations_catalog()
    {
        using var control = _host.CreateClient();

        var catalog = JsonNode.Parse(await control.GetStringAsync("/api/clones/todo/operations"))!;

        catalog["operations"]!.AsArray().Select(o => $"{o!["id"]} {o["method"]} {o["template"]} {o["mutates"]}").Should().Equal(
            "todos.list GET /todos false", "todos.create POST /todos true", "todos.complete POST /todos/{id}/complete true");
    }

    [Fact]
    public async Task Its_token_pattern_and_secret_fields_are_redacted_from_every_export()
    {
        await using var session = await _host.CreateSessionAsync(new SessionRequest("todo"));
        using var todo = session.CreateClient("todo", TodoToken);

        (await todo.PostAsJsonAsync("todos?secret=hunter2", new { title = $"rotate {TodoToken}", secret = "hunter3" })).Dispose();
        using var control = _host.CreateClient();

        var exports = new[]
        {
            session.ToRunRecord().ToJsonString(),
            session.ToHar().ToJsonString(),
            session.TraceSummary(),
            await control.GetStringAsync($"/api/runs/{session.RunId}"),
        };

        foreach (var export in exports)
        {
            export.Should().NotContain(TodoToken).And.NotContain("hunter2").And.NotContain("hunter3").And.Contain(Redaction.Marker);
        }

        Redaction.Text($"rotate {TodoToken}").Should().Be($"rotate {TodoToken}", "the built-in redactor knows only the built-in clones");
    }
}
