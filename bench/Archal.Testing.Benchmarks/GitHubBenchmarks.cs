using System.Text;
using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// GitHub clone figures against the bare endpoint on the same TestServer (Baseline): listing a page of
/// issues on the <c>large-backlog</c> seed (600+ issues) and creating an issue.
/// </summary>
[MemoryDiagnoser]
public class GitHubBenchmarks
{
    private BenchHost _bench = null!;
    private HttpClient _bare = null!;
    private HttpClient _github = null!;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync();
        _bare = _bench.Host.CreateRawClient();
        var session = await _bench.CreateGitHubSessionAsync("large-backlog");
        _github = session.CreateClient("github");
    }

    private async Task CleanupAsync()
    {
        _bare.Dispose();
        _github.Dispose();
        await _bench.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare endpoint")]
    public async Task<string> Bare() => await _bare.GetStringAsync(BenchHost.BarePath);

    [Benchmark(Description = "list issues (large-backlog, 30/page)")]
    public async Task<string> ListIssues() => await _github.GetStringAsync("repos/acme/webapp/issues?state=open&per_page=30");

    [Benchmark(Description = "create issue")]
    public async Task<string> CreateIssue()
    {
        using var content = new StringContent("{\"title\":\"Benchmark issue\",\"body\":\"Created by the benchmark\",\"labels\":[\"bug\"]}", Encoding.UTF8, "application/json");
        using var response = await _github.PostAsync("repos/acme/webapp/issues", content);
        return await response.Content.ReadAsStringAsync();
    }
}
