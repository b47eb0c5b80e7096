using System.Net.Http.Json;
using System.Text;
using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// One write per clone with recording on and off, for allocated bytes per request (issue 10's targets: a GitHub
/// issue with a 2 KB body allocates ≤ 1.3× with recording on). Baseline: the same GitHub write, recording off.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class WriteBenchmarks
{
    private static readonly string Body2K = new('x', 2048);
    private BenchHost _recorded = null!;
    private BenchHost _unrecorded = null!;
    private HttpClient _github = null!;
    private HttpClient _githubUnrecorded = null!;
    private HttpClient _slack = null!;
    private HttpClient _stripe = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _recorded = await BenchHost.StartAsync(o => o.MaxTraceEntriesPerSession = 1000);
        _unrecorded = await BenchHost.StartAsync(o => o.RecordTraces = false);
        _github = await ClientAsync(_recorded, "github", "small-project");
        _githubUnrecorded = await ClientAsync(_unrecorded, "github", "small-project");
        _slack = await ClientAsync(_recorded, "slack", "engineering-team");
        _stripe = await ClientAsync(_recorded, "stripe", "empty");
    }

    private static async Task<HttpClient> ClientAsync(BenchHost bench, string clone, string seed)
    {
        var session = await bench.Host.CreateSessionAsync(new SessionRequest(clone).WithSeed(clone, seed));
        if (clone == "github")
        {
            session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").RateLimit = int.MaxValue;
        }

        return session.CreateClient(clone);
    }

    private async Task CleanupAsync()
    {
        _github.Dispose();
        _githubUnrecorded.Dispose();
        _slack.Dispose();
        _stripe.Dispose();
        await _recorded.DisposeAsync();
        await _unrecorded.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "GitHub create issue (2 KB body), recording off")]
    public async Task<int> GitHubCreateIssueUnrecorded() => await CreateIssueAsync(_githubUnrecorded);

    [Benchmark(Description = "GitHub create issue (2 KB body), recording on")]
    public async Task<int> GitHubCreateIssue() => await CreateIssueAsync(_github);

    [Benchmark(Description = "Slack chat.postMessage, recording on")]
    public async Task<int> SlackPostMessage()
    {
        using var content = new FormUrlEncodedContent([new("channel", "#general"), new("text", "deploy finished")]);
        using var response = await _slack.PostAsync("chat.postMessage", content);
        return (int)response.StatusCode;
    }

    [Benchmark(Description = "Stripe create customer, recording on")]
    public async Task<int> StripeCreateCustomer()
    {
        using var content = new StringContent("name=Zo%C3%AB&email=zoe%40example.com&metadata[plan]=pro", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _stripe.PostAsync("v1/customers", content);
        return (int)response.StatusCode;
    }

    private static async Task<int> CreateIssueAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Benchmark issue", body = Body2K });
        return (int)response.StatusCode;
    }
}
