using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Foundation and trace figures, all against one baseline: a bare endpoint on the same TestServer
/// answering the same bytes as the GitHub clone's <c>GET /user</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FoundationBenchmarks
{
    private BenchHost _bench = null!;
    private BenchHost _unrecorded = null!;
    private HttpClient _bare = null!;
    private HttpClient _github = null!;
    private HttpClient _githubUnrecorded = null!;
    private SessionRequest _threeClones = null!;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        // No cap: every measured call is really stored, as in a session under the cap.
        _bench = await BenchHost.StartAsync(o => o.MaxTraceEntriesPerSession = int.MaxValue);
        await _bench.UseGitHubUserAsBareBodyAsync();
        _unrecorded = await BenchHost.StartAsync(o => o.RecordTraces = false);
        _bare = _bench.Host.CreateRawClient();
        _github = await GitHubClientAsync(_bench);
        _githubUnrecorded = await GitHubClientAsync(_unrecorded);
        _threeClones = new SessionRequest("github", "slack", "stripe");
    }

    private static async Task<HttpClient> GitHubClientAsync(BenchHost bench)
    {
        var session = await bench.CreateGitHubSessionAsync();
        return session.CreateClient("github");
    }

    private async Task CleanupAsync()
    {
        _bare.Dispose();
        _github.Dispose();
        _githubUnrecorded.Dispose();
        await _bench.DisposeAsync();
        await _unrecorded.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare endpoint (same bytes)")]
    public async Task<byte[]> Bare() => await _bare.GetByteArrayAsync(BenchHost.BarePath);

    [Benchmark(Description = "proxied GET /user, recording on")]
    public async Task<byte[]> ProxiedGetUser() => await _github.GetByteArrayAsync("user");

    [Benchmark(Description = "proxied GET /user, recording off")]
    public async Task<byte[]> ProxiedGetUserUnrecorded() => await _githubUnrecorded.GetByteArrayAsync("user");

    [Benchmark(Description = "session create (3 clones)")]
    public async Task<string> CreateSession()
    {
        var session = await _bench.Host.CreateSessionAsync(_threeClones);
        return session.Id;
    }
}
