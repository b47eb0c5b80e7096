using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;
using Octokit;
using Octokit.Internal;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Route mode: the same <c>GET /user</c> as a routed Octokit.net call (default base URL
/// https://api.github.com, through <see cref="ArchalSession.CreateRoutingHandler"/>), as Octokit.net pointed
/// at the clone's api base URL (what a test had to do before route mode), and as a plain
/// <see cref="ArchalSession.CreateClient"/> call, which is the baseline. One session, one run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RoutingBenchmarks
{
    private BenchHost _bench = null!;
    private ArchalSession _session = null!;
    private HttpClient _createClient = null!;
    private HttpClient _routedRaw = null!;
    private GitHubClient _octokitRouted = null!;
    private GitHubClient _octokitApiBase = null!;
    private HttpClientAdapter _routedAdapter = null!;
    private HttpClientAdapter _apiBaseAdapter = null!;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync(o => o.MaxTraceEntriesPerSession = int.MaxValue);
        _session = await _bench.CreateGitHubSessionAsync();
        var token = _bench.Host.Options.Clones.Single(c => c.Id == "github").DefaultServiceToken;

        _createClient = _session.CreateClient("github");
        _routedRaw = new HttpClient(_session.CreateRoutingHandler()) { BaseAddress = new Uri("https://api.github.com/") };
        _routedRaw.DefaultRequestHeaders.Authorization = new("Bearer", token);
        _routedAdapter = new HttpClientAdapter(() => _session.CreateRoutingHandler());
        _apiBaseAdapter = new HttpClientAdapter(() => new RouteHeaderHandler(_bench.Host, _session));
        _octokitRouted = new GitHubClient(new Connection(new ProductHeaderValue("archal-bench"), _routedAdapter))
        { Credentials = new Credentials(token) };
        _octokitApiBase = new GitHubClient(new Connection(new ProductHeaderValue("archal-bench"), new Uri(_session.ApiBaseUrls["github"] + "/"),
            new InMemoryCredentialStore(new Credentials(token)), _apiBaseAdapter, new SimpleJsonSerializer()));
    }

    private async Task CleanupAsync()
    {
        _createClient.Dispose();
        _routedRaw.Dispose();
        _routedAdapter.Dispose();
        _apiBaseAdapter.Dispose();
        await _session.DisposeAsync();
        await _bench.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "session.CreateClient GET user")]
    public async Task<byte[]> CreateClientGetUser() => await _createClient.GetByteArrayAsync("user");

    [Benchmark(Description = "routed HttpClient GET https://api.github.com/user")]
    public async Task<byte[]> RoutedHttpClientGetUser() => await _routedRaw.GetByteArrayAsync("user");

    [Benchmark(Description = "routed Octokit.net User.Current()")]
    public async Task<string> RoutedOctokitGetUser() => (await _octokitRouted.User.Current()).Login;

    [Benchmark(Description = "Octokit.net at the api base URL User.Current()")]
    public async Task<string> ApiBaseOctokitGetUser() => (await _octokitApiBase.User.Current()).Login;

    /// <summary>Adds the route hop and sends through the host's handler, as <c>session.CreateClient</c> does.</summary>
    private sealed class RouteHeaderHandler(ArchalHost host, ArchalSession session) : DelegatingHandler(host.Handler)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("x-route-authorization", $"Bearer {session.RouteToken}");
            return base.SendAsync(request, cancellationToken);
        }

        // The host owns its handler.
        protected override void Dispose(bool disposing) { }
    }
}
