using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.GitHub;

[Collection(CloneHostCollection.Name)]
public class GitHubSeedExportTests(CloneHostFixture fixture)
{
    private static async Task<JsonObject> Send(HttpClient client, HttpMethod method, string path, object body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task WritesAsync(ArchalSession session, HttpClient client)
    {
        var issue = await Send(client, HttpMethod.Post, "repos/acme/webapp/issues", new { title = "Exported bug", body = "3 days ago", labels = new[] { "bug", "new-label" }, assignees = new[] { "hubot" } });
        var number = issue["number"]!.GetValue<long>();
        await Send(client, HttpMethod.Post, $"repos/acme/webapp/issues/{number}/comments", new { body = "Looking" });
        await Send(client, HttpMethod.Patch, "repos/acme/webapp/issues/1", new { state = "closed", state_reason = "not_planned" });
        await Send(client, HttpMethod.Post, "repos/acme/webapp/milestones", new { title = "v2.0", due_on = "2030-01-01T00:00:00Z" });
        await Send(client, HttpMethod.Put, "repos/acme/webapp/contents/docs/notes.md", new { message = "Add notes", content = Convert.ToBase64String(Encoding.UTF8.GetBytes("# Notes\n")) });
        await Send(client, HttpMethod.Post, "repos/acme/webapp/hooks", new { config = new { url = "https://app.test/hooks", secret = "s3cret", content_type = "json" }, events = new[] { "issues" } });
    }

    [Fact]
    public async Task A_session_exported_to_a_seed_file_loads_back_with_the_same_entities()
    {
        await using var result = await SeedExportRoundTrip.RunAsync(fixture, "github", GitHubSeeds.SmallProject, WritesAsync);

        // The only difference: a hook's secret is not written to the file, so the loaded hook has none.
        result.LoadedState.ShouldEqualExcept(result.SourceState, "hook.has_secret");
        result.SourceState["hook"]!.AsArray()[0]!["has_secret"]!.GetValue<bool>().Should().BeTrue();
        result.LoadedState["hook"]!.AsArray()[0]!["has_secret"]!.GetValue<bool>().Should().BeFalse();
        result.SeedFile.ToJsonString().Should().NotContain("s3cret");
        result.Loaded.Trace.Entries.Should().BeEmpty("a session loaded from a seed file starts with an empty trace");
    }

    [Fact]
    public async Task A_loaded_session_continues_numbering_ids_and_file_history_from_the_export()
    {
        await using var result = await SeedExportRoundTrip.RunAsync(fixture, "github", GitHubSeeds.SmallProject, WritesAsync);
        using var source = result.Source.CreateClient("github");
        using var loaded = result.Loaded.CreateClient("github");

        var fromSource = await Send(source, HttpMethod.Post, "repos/acme/webapp/issues", new { title = "Next" });
        var fromLoaded = await Send(loaded, HttpMethod.Post, "repos/acme/webapp/issues", new { title = "Next" });

        fromLoaded["number"]!.GetValue<long>().Should().Be(fromSource["number"]!.GetValue<long>());
        fromLoaded["id"]!.GetValue<long>().Should().Be(fromSource["id"]!.GetValue<long>());
        var notes = await loaded.GetFromJsonAsync<JsonObject>("repos/acme/webapp/contents/docs/notes.md");
        Encoding.UTF8.GetString(Convert.FromBase64String(notes!["content"]!.GetValue<string>().Replace("\n", "", StringComparison.Ordinal))).Should().Be("# Notes\n");
        var commits = await loaded.GetFromJsonAsync<JsonArray>("repos/acme/webapp/commits?sha=main");
        commits!.Select(c => c!["commit"]!["message"]!.GetValue<string>()).Should().StartWith("Add notes");
    }

    [Fact]
    public async Task A_snapshot_exports_the_state_it_holds_not_the_sessions_later_writes()
    {
        var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", GitHubSeeds.SmallProject));
        await using var _ = session;
        using var client = session.CreateClient("github");
        var snapshot = await session.SnapshotAsync();
        await Send(client, HttpMethod.Post, "repos/acme/webapp/issues", new { title = "After the snapshot" });

        var file = await snapshot.ExportSeedFileAsync();
        await using var loaded = await fixture.Host.CreateSessionAsync(new SessionRequest().WithSeedFile(file));

        loaded.Snapshot("github").ShouldEqualExcept(session.InitialSnapshot("github"));
        loaded.ResolvedSeeds["github"].Should().Be("empty");
    }
}
