using Archal.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// An in-memory host with a bare minimal-API endpoint beside the clones: the baseline every
/// benchmark's ratio is measured against, on the same TestServer in the same run. The bare endpoint
/// writes fixed bytes (by default the clone's own <c>GET /user</c> body), so a ratio measures the
/// proxy and clone plumbing, not the size of the payload.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string BarePath = "/__bench/bare";

    private byte[] _bareBody = """{"login":"octocat","id":1}"""u8.ToArray();

    private BenchHost() { }

    public ArchalHost Host { get; private set; } = null!;

    /// <summary>The rich seeds issue 12 measures: GitHub <c>small-project</c>, Slack <c>engineering-team</c>, Stripe <c>small-business</c>.</summary>
    public static SessionRequest RichSeeds() => new SessionRequest("github", "slack", "stripe")
        .WithSeed("github", "small-project").WithSeed("slack", "engineering-team").WithSeed("stripe", "small-business");

    public static async Task<BenchHost> StartAsync(Action<ArchalHostOptions>? configure = null)
    {
        var bench = new BenchHost();
        var options = new ArchalHostOptions
        {
            MapAdditionalEndpoints = endpoints => endpoints.MapGet(BarePath, async (HttpContext http) =>
            {
                http.Response.ContentType = "application/json; charset=utf-8";
                await http.Response.Body.WriteAsync(bench._bareBody);
            }),
        };
        configure?.Invoke(options);
        bench.Host = new ArchalHost(options);
        await bench.Host.StartAsync();
        return bench;
    }

    /// <summary>Makes the bare endpoint answer with a clone's real <c>GET /user</c> body.</summary>
    public async Task UseGitHubUserAsBareBodyAsync()
    {
        await using var session = await Host.CreateSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");
        _bareBody = await github.GetByteArrayAsync("user");
    }

    /// <summary>
    /// A GitHub session for a whole benchmark run: a day's TTL, and the clone's 5,000/h rate limit (every call counts
    /// against it, as on GitHub) lifted.
    /// </summary>
    public async Task<ArchalSession> CreateGitHubSessionAsync(string? seed = null)
    {
        var request = new SessionRequest("github") { TtlSeconds = 86400 };
        var session = await Host.CreateSessionAsync(seed is null ? request : request.WithSeed("github", seed));
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").RateLimit = int.MaxValue;
        return session;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
