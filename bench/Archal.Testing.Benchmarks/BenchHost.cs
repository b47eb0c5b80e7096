using Archal.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// An in-memory host with a bare minimal-API endpoint beside the clones: the baseline every
/// benchmark's ratio is measured against, on the same TestServer in the same run.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string BarePath = "/__bench/bare";

    private BenchHost(ArchalHost host) => Host = host;

    public ArchalHost Host { get; }

    public static async Task<BenchHost> StartAsync()
    {
        var options = new ArchalHostOptions
        {
            // The baseline: the smallest JSON answer ASP.NET can give on this pipeline.
            MapAdditionalEndpoints = endpoints => endpoints.MapGet(BarePath, () => Results.Json(new { login = "octocat", id = 1 })),
        };
        var host = new ArchalHost(options);
        await host.StartAsync();
        return new BenchHost(host);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
