using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;
using ModelContextProtocol.Client;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// One MCP tool call (<c>issue_read</c> method <c>get</c>, through the official C# SDK client over the in-memory host)
/// against the same operation as a REST call (<c>GET /repos/acme/webapp/issues/1</c> with <see cref="ArchalSession.CreateClient"/>),
/// which is the baseline. One session, one initialized MCP client, one run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class McpBenchmarks
{
    private static readonly Dictionary<string, object?> Arguments = new()
    {
        ["method"] = "get", ["owner"] = "acme", ["repo"] = "webapp", ["issue_number"] = 1,
    };

    private BenchHost _bench = null!;
    private ArchalSession _session = null!;
    private HttpClient _rest = null!;
    private McpClient _mcp = null!;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync(o => o.MaxTraceEntriesPerSession = int.MaxValue);
        _session = await _bench.CreateGitHubSessionAsync("small-project");
        _rest = _session.CreateClient("github");
        _mcp = await _session.CreateMcpClientAsync("github");
    }

    private async Task CleanupAsync()
    {
        _rest.Dispose();
        await _mcp.DisposeAsync();
        await _session.DisposeAsync();
        await _bench.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "REST GET /repos/acme/webapp/issues/1")]
    public async Task<byte[]> RestGetIssue() => await _rest.GetByteArrayAsync("repos/acme/webapp/issues/1");

    [Benchmark(Description = "MCP tools/call issue_read get")]
    public async Task<bool?> McpIssueRead() => (await _mcp.CallToolAsync("issue_read", Arguments)).IsError;
}
