using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Tests.Support;

/// <summary>A test clone that echoes what it received, to see exactly what the runtime forwards.</summary>
public sealed class EchoClone : CloneDefinition
{
    public override string Id => "echo";

    public override string DisplayName => "Echo";

    public override string Description => "Echoes the forwarded request.";

    public override IReadOnlyList<string> SeedNames { get; } = ["empty"];

    public override string DefaultServiceToken => "echo-service-token";

    public override CloneState CreateState(CloneSeedContext context) => new EchoState(context);

    public override IReadOnlyList<CloneOperation> Operations { get; } =
    [
        new("echo/get", "GET", "/echo", "Echo the forwarded request", (HttpContext http) =>
        {
            var context = http.GetCloneContext();
            return CloneJson.Result(new
            {
                headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                api_base_url = context.ApiBaseUrl,
                session_id = context.SessionId,
            });
        }),
        new("notes/put", "POST", "/notes/{key}", "Create or replace a note", async (HttpContext http, string key) =>
        {
            var state = http.GetCloneState<EchoState>();
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync();
            var existing = state.Notes.Find(key);
            if (existing is null)
            {
                state.Notes.Add(new Note { Key = key, Text = text });
            }
            else
            {
                state.Notes.Update(existing, n => n.Text = text);
            }

            return CloneJson.Result(new { key, text }, StatusCodes.Status201Created);
        }),
        new("boom", "GET", "/boom", "Throw", (RequestDelegate)(_ => throw new InvalidOperationException("the echo clone exploded"))),
        new("notes/delete", "DELETE", "/notes/{key}", "Delete a note", (HttpContext http, string key) =>
            http.GetCloneState<EchoState>().Notes.Remove(key) ? Results.NoContent() : Results.NotFound()),
    ];

    public override Task HandleUnmatchedAsync(HttpContext http) =>
        CloneJson.Result(new { message = "echo: no such route" }, StatusCodes.Status404NotFound).ExecuteAsync(http);
}

public sealed class EchoState : CloneState
{
    public EchoState(CloneSeedContext seed) : base("echo", seed) => Notes = CreateTable<Note>("note", n => n.Key);

    public EntityTable<Note> Notes { get; }
}

public sealed class Note
{
    public required string Key { get; init; }

    public string Text { get; set; } = "";
}
