using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// What a session costs to create against seeding it: the baseline seeds GitHub's <c>large-backlog</c> for a random seed
/// no session used before (the host builds the seed's template); the others create sessions from that seed once it is
/// shared, fork a snapshot of such a session, take a snapshot, and create then use a session (the first call copies the
/// clone's template). The snapshotted session has been called, so it has its own copy. All through <c>POST /api/sessions</c> on the same in-memory host.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SnapshotBenchmarks
{
    private BenchHost _bench = null!;
    private SessionRequest _seeded = null!;
    private SessionRequest _rich = null!;
    private SessionRequest _forked = null!;
    private ArchalSession _source = null!;
    private int _randomSeed;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync();
        _seeded = new SessionRequest("github").WithSeed("github", "large-backlog");
        _rich = BenchHost.RichSeeds();
        _source = await _bench.Host.CreateSessionAsync(_seeded);
        // The source has been used, so it has its own copy: snapshots of it copy the state.
        using (var github = _source.CreateClient("github"))
        {
            (await github.GetAsync("user")).EnsureSuccessStatusCode().Dispose();
        }

        _forked = new SessionRequest().FromSnapshot(await _source.SnapshotAsync());
    }

    [Benchmark(Baseline = true, Description = "seed large-backlog, new random seed (builds its template)")]
    public async Task<string> Seed()
    {
        await using var session = await _bench.Host.CreateSessionAsync(_seeded.WithRandomSeed(++_randomSeed));
        return session.Id;
    }

    [Benchmark(Description = "create a large-backlog session (shared seed)")]
    public async Task<string> Shared()
    {
        await using var session = await _bench.Host.CreateSessionAsync(_seeded);
        return session.Id;
    }

    [Benchmark(Description = "create a large-backlog session and call it once (copies the seed)")]
    public async Task<string> SharedThenUsed()
    {
        await using var session = await _bench.Host.CreateSessionAsync(_seeded);
        using var github = session.CreateClient("github");
        using var response = await github.GetAsync("user");
        return session.Id;
    }

    [Benchmark(Description = "create a session with the three rich seeds (shared)")]
    public async Task<string> Rich()
    {
        await using var session = await _bench.Host.CreateSessionAsync(_rich);
        return session.Id;
    }

    [Benchmark(Description = "fork a large-backlog snapshot (create session)")]
    public async Task<string> Fork()
    {
        await using var session = await _bench.Host.CreateSessionAsync(_forked);
        return session.Id;
    }

    [Benchmark(Description = "snapshot a large-backlog session (and delete it)")]
    public async Task<string> Snapshot()
    {
        var snapshot = await _source.SnapshotAsync();
        using var client = _bench.Host.CreateClient();
        using var deleted = await client.DeleteAsync($"/api/snapshots/{snapshot.Id}");
        return snapshot.Id;
    }
}
