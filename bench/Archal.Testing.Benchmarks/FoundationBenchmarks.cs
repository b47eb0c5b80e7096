using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Foundation figures: one proxied <c>GET /user</c> against a bare endpoint on the same TestServer
/// (Baseline), and creating a session with all three clones.
/// </summary>
[MemoryDiagnoser]
public class FoundationBenchmarks
{
    private BenchHost _bench = null!;
    private HttpClient _bare = null!;
    private HttpClient _github = null!;
    private ArchalSession _session = null!;
    private SessionRequest _threeClones = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _bench = await BenchHost.StartAsync();
        _bare = _bench.Host.CreateRawClient();
        _session = await _bench.Host.CreateSessionAsync(new SessionRequest("github") { TtlSeconds = 86400 });
        _github = _session.CreateClient("github");
        _threeClones = new SessionRequest("github", "slack", "stripe");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _bare.Dispose();
        _github.Dispose();
        await _bench.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare endpoint")]
    public async Task<string> Bare() => await _bare.GetStringAsync(BenchHost.BarePath);

    [Benchmark(Description = "proxied GET /user")]
    public async Task<string> ProxiedGetUser() => await _github.GetStringAsync("user");

    [Benchmark(Description = "session create (3 clones)")]
    public async Task<string> CreateSession()
    {
        var session = await _bench.Host.CreateSessionAsync(_threeClones);
        return session.Id;
    }
}
