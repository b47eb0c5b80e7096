using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// What a fork costs against seeding: a session created from a snapshot of a <c>large-backlog</c> GitHub session
/// (copying its state) against a session seeded with <c>large-backlog</c> (generating it), both through
/// <c>POST /api/sessions</c> on the same in-memory host. The snapshot itself is taken once, in setup.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SnapshotBenchmarks
{
    private BenchHost _bench = null!;
    private SessionRequest _seeded = null!;
    private SessionRequest _forked = null!;
    private ArchalSession _source = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync();
        _seeded = new SessionRequest("github").WithSeed("github", "large-backlog");
        _source = await _bench.Host.CreateSessionAsync(_seeded);
        _forked = new SessionRequest().FromSnapshot(await _source.SnapshotAsync());
    }

    [Benchmark(Baseline = true, Description = "seed large-backlog (create session)")]
    public async Task<string> Seed()
    {
        await using var session = await _bench.Host.CreateSessionAsync(_seeded);
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
