using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Clones.Tests;

/// <summary>
/// The seed-file property every clone keeps: seed a session, write, export a seed file, start a new session from the file
/// (written to text and read back, on the <c>empty</c> seed, another random seed): its entity snapshots equal the source's.
/// </summary>
internal static class SeedExportRoundTrip
{
    public sealed record Result(ArchalSession Source, ArchalSession Loaded, JsonObject SeedFile, JsonObject SourceState, JsonObject LoadedState) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Source.DisposeAsync();
            await Loaded.DisposeAsync();
        }
    }

    public static async Task<Result> RunAsync(CloneHostFixture fixture, string cloneId, string seed, Func<ArchalSession, HttpClient, Task> writes)
    {
        var source = await fixture.Host.CreateSessionAsync(new SessionRequest(cloneId).WithSeed(cloneId, seed).WithRandomSeed(11));
        using (var client = source.CreateClient(cloneId))
        {
            await writes(source, client);
        }

        var exported = await source.ExportSeedFileAsync();
        var file = SeedFile.Parse(exported.ToJsonString(), yaml: false, "exported.seed.json");
        file.Seeds[cloneId].Should().Be("empty");

        var loaded = await fixture.Host.CreateSessionAsync(new SessionRequest(cloneId)
            .WithSeed(cloneId, file.Seeds[cloneId]).WithSeedData(cloneId, file.Data[cloneId]).WithRandomSeed(12345));
        return new Result(source, loaded, exported, source.Snapshot(cloneId), loaded.Snapshot(cloneId));
    }

    /// <summary>Every table equal row by row, in order, except the fields named in <paramref name="except"/> (<c>table.field</c>).</summary>
    public static void ShouldEqualExcept(this JsonObject loaded, JsonObject source, params string[] except)
    {
        loaded.Select(t => t.Key).Should().Equal(source.Select(t => t.Key));
        foreach (var (table, rows) in source)
        {
            var expected = rows!.AsArray();
            var actual = loaded[table]!.AsArray();
            actual.Count.Should().Be(expected.Count, $"table '{table}' has as many rows as the source");
            for (var i = 0; i < expected.Count; i++)
            {
                var want = Without(expected[i]!.AsObject(), table, except);
                var got = Without(actual[i]!.AsObject(), table, except);
                JsonNode.DeepEquals(got, want).Should().BeTrue($"{table}[{i}] should equal the source's:\n  source: {want.ToJsonString()}\n  loaded: {got.ToJsonString()}");
            }
        }
    }

    private static JsonObject Without(JsonObject row, string table, string[] except)
    {
        var copy = (JsonObject)row.DeepClone();
        foreach (var field in except.Where(e => e.StartsWith(table + ".", StringComparison.Ordinal)))
        {
            copy.Remove(field[(table.Length + 1)..]);
        }

        return copy;
    }
}
