using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Archal.Testing.Clones.Abstractions.SnapshotFields;

namespace Archal.Testing.Tests.Support;

/// <summary>
/// A fourth clone that lives only in this test project: a three-operation to-do service. It proves that a
/// clone plugs into traces, [D] criteria, seed files and redaction through the contract alone.
/// </summary>
public sealed class TodoClone : CloneDefinition
{
    private static readonly EntityRelation List = new("list", ["list"])
    {
        Prepositions = ["in", "on", "from", "of"],
        Values = (o, _) => [Str(o, "list")],
        Missing = "are not in lists",
    };

    private static readonly CloneVocabulary Words = new()
    {
        Kinds =
        [
            new("todo", ["todo"], ["todo", "todos", "task", "tasks"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} \"{Str(o, "title")}\" ({(Bool(o, "done") ? "done" : "open")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["title"] = ["title"], ["name"] = ["title"], ["text"] = ["title"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["completed"] = o => Bool(o, "done"),
                    ["open"] = o => !Bool(o, "done"),
                },
                Relations = [List],
            },
        ],
        Examples = ["At least 1 todo is completed"],
    };

    public override string Id => "todo";

    public override string DisplayName => "To-do";

    public override string Description => "A three-operation to-do service defined in a test project.";

    public override IReadOnlyList<string> SeedNames => ["empty"];

    public override string DefaultServiceToken => "todo_servicetoken0001";

    public override CloneVocabulary Vocabulary => Words;

    public override CloneSecrets Secrets { get; } = new() { TokenPatterns = [@"todo_[A-Za-z0-9]{8,}"], Fields = ["secret"] };

    public override IReadOnlyList<string> CheckSeedData(JsonObject data, string baseSeed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var lists = Rows(data, "lists").Select(l => Str(l, "name")).Append("inbox").ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. Rows(data, "todos").Select((t, i) => (List: Str(t, "list"), i))
            .Where(t => t.List.Length > 0 && !lists.Contains(t.List))
            .Select(t => SeedFileCheck.Missing($"todo.todos[{t.i}].list '{t.List}' is not declared in todo.lists", lists))];
    }

    public override CloneState CreateState(CloneSeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = new TodoState(context);
        foreach (var todo in Rows(context.Data, "todos"))
        {
            state.Add(Str(todo, "title"), Str(todo, "list") is { Length: > 0 } list ? list : "inbox", Bool(todo, "done"));
        }

        return state;
    }

    public override IReadOnlyList<CloneOperation> Operations { get; } =
    [
        new("todos.list", "GET", "/todos", "List to-dos", (HttpContext http) => CloneJson.Result(http.GetCloneState<TodoState>().Todos.Items)),
        new("todos.create", "POST", "/todos", "Create a to-do", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            var todo = http.GetCloneState<TodoState>().Add(Str(body, "title"), Str(body, "list") is { Length: > 0 } list ? list : "inbox", done: false);
            return CloneJson.Result(todo, StatusCodes.Status201Created);
        }),
        new("todos.complete", "POST", "/todos/{id}/complete", "Complete a to-do", (HttpContext http, string id) =>
        {
            var state = http.GetCloneState<TodoState>();
            return state.Todos.Find(id) is { } todo
                ? CloneJson.Result(state.Todos.Update(todo, t => t.Done = true))
                : CloneJson.Result(new { error = "not_found" }, StatusCodes.Status404NotFound);
        }),
    ];

    public override Task HandleUnmatchedAsync(HttpContext http) =>
        CloneJson.Result(new { error = "no_such_operation" }, StatusCodes.Status404NotFound).ExecuteAsync(http);
}

public sealed class TodoState : CloneState
{
    public TodoState(CloneSeedContext seed) : base("todo", seed) => Todos = CreateTable<Todo>("todo", t => t.Id);

    public EntityTable<Todo> Todos { get; }

    public Todo Add(string title, string list, bool done) =>
        Todos.Add(new Todo { Id = $"t{Todos.Count + 1}", Title = title, List = list, Done = done });
}

public sealed class Todo
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string List { get; init; }

    public bool Done { get; set; }
}
