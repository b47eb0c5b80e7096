using Archal.Testing.Clones.Slack;
using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Slack clone on <c>busy-workspace</c> (60 channels, ~3,000 messages): <c>chat.postMessage</c> and
/// <c>conversations.history</c> (limit 100, the SDK default page size on many helpers) against the bare
/// endpoint on the same TestServer (Baseline).
/// </summary>
[MemoryDiagnoser]
public class SlackBenchmarks
{
    private BenchHost _bench = null!;
    private HttpClient _bare = null!;
    private HttpClient _slack = null!;
    private string _channel = null!;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync();
        _bare = _bench.Host.CreateRawClient();
        var session = await _bench.Host.CreateSessionAsync(new SessionRequest("slack") { TtlSeconds = 86400 }.WithSeed("slack", "busy-workspace"));
        _slack = session.CreateClient("slack");
        var state = session.GetState<SlackState>("slack");
        // The busiest public channel the bot is in.
        _channel = state.Channels.Items
            .Where(c => !c.IsPrivate && c.Members.Contains(state.BotUserId))
            .OrderByDescending(c => state.Messages.Items.Count(m => m.Channel == c.Id))
            .First().Id;
    }

    private async Task CleanupAsync()
    {
        _bare.Dispose();
        _slack.Dispose();
        await _bench.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare endpoint")]
    public async Task<string> Bare() => await _bare.GetStringAsync(BenchHost.BarePath);

    [Benchmark(Description = "chat.postMessage (busy-workspace)")]
    public async Task<string> PostMessage()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = _channel, ["text"] = "Benchmark message" });
        using var response = await _slack.PostAsync("chat.postMessage", content);
        return await response.Content.ReadAsStringAsync();
    }

    [Benchmark(Description = "conversations.history limit=100 (busy-workspace)")]
    public async Task<string> History()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = _channel, ["limit"] = "100" });
        using var response = await _slack.PostAsync("conversations.history", content);
        return await response.Content.ReadAsStringAsync();
    }
}
