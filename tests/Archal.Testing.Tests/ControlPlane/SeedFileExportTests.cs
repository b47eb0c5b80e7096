using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>Seed-file export: a snapshot or a session as a seed file that a new session loads back.</summary>
public class SeedFileExportTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static void ShouldBeError(int status, JsonObject body, int expectedStatus, string code)
    {
        status.Should().Be(expectedStatus, body.ToJsonString());
        body.Select(p => p.Key).Should().Contain(["error", "code", "message", "detail"]);
        body.Str("code").Should().Be(code);
    }

    [Fact]
    public async Task A_snapshot_of_three_clones_exports_a_seed_file_that_starts_a_session_with_the_same_state()
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest("github", "slack", "stripe")
            .WithSeed("github", "small-project").WithSeed("slack", "engineering-team").WithSeed("stripe", "small-business"));
        using (var github = source.CreateClient("github"))
        {
            (await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Before the snapshot" })).EnsureSuccessStatusCode();
        }

        var snapshot = await source.SnapshotAsync();
        var file = await snapshot.ExportSeedFileAsync();
        var path = Path.Combine(Path.GetTempPath(), $"archal-{Guid.NewGuid():N}.seed.json");
        try
        {
            await File.WriteAllTextAsync(path, file.ToJsonString());
            var loadedFile = SeedFile.Load(path);
            var request = new SessionRequest("github", "slack", "stripe");
            foreach (var (clone, data) in loadedFile.Data)
            {
                request = request.WithSeed(clone, loadedFile.Seeds[clone]).WithSeedData(clone, data);
            }

            await using var loaded = await fixture.Host.CreateSessionAsync(request);

            file.Select(p => p.Key).Should().Equal("github", "slack", "stripe");
            file["github"].Str("seed").Should().Be("empty");
            foreach (var clone in loaded.CloneIds)
            {
                JsonNode.DeepEquals(loaded.Snapshot(clone), source.InitialSnapshot(clone)).Should().Be(clone != "github", "only GitHub was written to before the snapshot");
                JsonNode.DeepEquals(loaded.Snapshot(clone), await SnapshotStateAsync(snapshot, clone)).Should().BeTrue($"{clone} loads back as the snapshot held it");
            }

            loaded.Trace.Entries.Should().BeEmpty();
            loaded.ResolvedSeeds.Values.Should().AllBe("empty");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // What a fork of the snapshot starts with: the snapshot's state, read through the existing fork path.
    private async Task<JsonObject> SnapshotStateAsync(ArchalSnapshot snapshot, string clone)
    {
        await using var fork = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(snapshot));
        return fork.Snapshot(clone);
    }

    public static TheoryData<string, string> EverySeed()
    {
        var data = new TheoryData<string, string>();
        foreach (var clone in Archal.Testing.Clones.BuiltInClones.Create())
        {
            foreach (var seed in clone.SeedNames)
            {
                data.Add(clone.Id, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EverySeed))]
    public async Task Every_named_seed_round_trips_through_a_seed_file(string clone, string seed)
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest(clone).WithSeed(clone, seed));

        var file = await source.ExportSeedFileAsync();
        await using var loaded = await fixture.Host.CreateSessionAsync(new SessionRequest(clone).WithSeedFile(file).WithRandomSeed(99));

        JsonNode.DeepEquals(loaded.Snapshot(clone), source.Snapshot(clone)).Should().BeTrue($"{clone}/{seed} ({file.ToJsonString().Length:N0} characters) loads back unchanged");
    }

    [Fact]
    public async Task A_session_exports_its_current_state_over_HTTP()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github", "slack").WithSeed("github", "small-project"));
        using var github = session.CreateClient("github");
        (await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Live" })).EnsureSuccessStatusCode();
        using var client = fixture.Host.CreateClient();

        var (status, file) = await (await client.GetAsync($"/api/sessions/{session.Id}/seed-file")).ReadJsonAsync();
        var slackStillShared = session.Record.States.IfCopied("slack") is null;
        await using var loaded = await fixture.Host.CreateSessionAsync(new SessionRequest().WithSeedFile(file));

        status.Should().Be(200);
        slackStillShared.Should().BeTrue("exporting a clone the session has not used leaves it sharing its seed");
        file["github"]!["state"]!["tables"]!["issue"]!.AsArray().Should().Contain(i => i!["title"]!.GetValue<string>() == "Live");
        loaded.CloneIds.Should().Equal("github", "slack");
        JsonNode.DeepEquals(loaded.Snapshot("github"), session.Snapshot("github")).Should().BeTrue();
        JsonNode.DeepEquals(loaded.Snapshot("slack"), session.Snapshot("slack")).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"github": {"state": {"tables": {"issue": [{"repo": "acme/webapp"}]}}}}""", "state.tables.issue row does not fit")]
    [InlineData("""{"github": {"state": {"tables": {"user": [{"login": "a", "id": 1}, {"login": "a", "id": 2}]}}}}""", "user 'a' already exists")]
    [InlineData("""{"slack": {"state": {"tables": {"user": []}}}}""", "must hold exactly one workspace")]
    [InlineData("""{"stripe": {"state": {"tables": {"customer": [{"object": "customer"}]}}}}""", "needs an 'id'")]
    [InlineData("""{"stripe": {"state": []}}""", "'state' must be an object")]
    public async Task A_broken_exported_state_is_a_400_seed_error_naming_the_problem(string seedFile, string problem)
    {
        var file = JsonNode.Parse(seedFile)!.AsObject();
        var clone = file.Single().Key;
        var body = new JsonObject { ["clones"] = new JsonArray(clone), ["seeds"] = new JsonObject { [clone] = new JsonObject { ["data"] = file[clone]!.DeepClone() } } };
        using var client = fixture.Host.CreateClient();

        var (status, error) = await (await client.PostAsJsonAsync("/api/sessions", body)).ReadJsonAsync();

        ShouldBeError(status, error, 400, "seed_error");
        error.Str("message").Should().Contain(problem);
    }

    [Fact]
    public async Task Unknown_or_deleted_snapshots_and_unknown_sessions_answer_404()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        var snapshot = await session.SnapshotAsync();
        using var client = fixture.Host.CreateClient();
        (await client.DeleteAsync($"/api/snapshots/{snapshot.Id}")).EnsureSuccessStatusCode();

        var (unknownStatus, unknown) = await (await client.GetAsync("/api/snapshots/snap-nope/seed-file")).ReadJsonAsync();
        var (deletedStatus, deleted) = await (await client.GetAsync($"/api/snapshots/{snapshot.Id}/seed-file")).ReadJsonAsync();
        var (sessionStatus, noSession) = await (await client.GetAsync("/api/sessions/ses-nope/seed-file")).ReadJsonAsync();
        var act = () => snapshot.ExportSeedFileAsync();

        ShouldBeError(unknownStatus, unknown, 404, "snapshot_not_found");
        ShouldBeError(deletedStatus, deleted, 404, "snapshot_not_found");
        ShouldBeError(sessionStatus, noSession, 404, "session_not_found");
        (await act.Should().ThrowAsync<ArchalApiException>()).Which.Code.Should().Be("snapshot_not_found");
    }

    [Fact]
    public async Task A_released_session_answers_410_and_a_clone_without_export_answers_501()
    {
        var options = new ArchalHostOptions { EndedSessionRetention = TimeSpan.Zero };
        options.Clones.Add(new TodoClone());
        await using var host = new ArchalHost(options);
        await host.StartAsync();
        using var client = host.CreateClient();
        var ended = await host.CreateSessionAsync(new SessionRequest("github"));
        await ended.EndAsync();
        await using var todo = await host.CreateSessionAsync(new SessionRequest("github", "todo"));

        var (releasedStatus, released) = await (await client.GetAsync($"/api/sessions/{ended.Id}/seed-file")).ReadJsonAsync();
        var (todoStatus, unsupported) = await (await client.GetAsync($"/api/sessions/{todo.Id}/seed-file")).ReadJsonAsync();

        ShouldBeError(releasedStatus, released, 410, "session_released");
        ShouldBeError(todoStatus, unsupported, 501, "seed_export_unsupported");
        unsupported.Str("message").Should().Contain("todo clone cannot export");
        unsupported.Str("detail").Should().Be("clone: todo");
    }
}
