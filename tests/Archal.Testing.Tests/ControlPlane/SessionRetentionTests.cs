using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>Memory per session is bounded and comes back when sessions end: each test owns its host and clock.</summary>
public class SessionRetentionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private async Task<ArchalHost> StartAsync(Action<ArchalHostOptions>? configure = null)
    {
        var options = new ArchalHostOptions { TimeProvider = _time };
        options.Clones.Add(new EchoClone());
        configure?.Invoke(options);
        var host = new ArchalHost(options);
        await host.StartAsync();
        return host;
    }

    private static async Task<JsonObject> CreateAsync(ArchalHost host, object body, string? idempotencyKey = null)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task PostNoteAsync(ArchalHost host, JsonObject session, string key, string text)
    {
        using var client = host.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{session["apiBaseUrls"].Str("echo")}/notes/{key}")
        {
            Content = new StringContent(text, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("x-route-authorization", $"Bearer {host.Token}");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_trace_over_its_byte_budget_drops_later_calls_and_counts_them()
    {
        await using var host = await StartAsync(o => o.MaxTraceBytesPerSession = 8 * 1024);
        var session = await CreateAsync(host, new { clones = new[] { "echo" } });
        var random = new Random(7);

        for (var i = 0; i < 20; i++)
        {
            // 1.5 KB that does not compress: each entry costs about that much of the budget.
            await PostNoteAsync(host, session, $"n{i}", Convert.ToBase64String([.. Enumerable.Range(0, 1100).Select(_ => (byte)random.Next(256))]));
        }

        using var client = host.CreateClient();
        var run = (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{session["evidence"].Str("runId")}"))!;
        var trace = run["trace"]!;
        var kept = trace["entries"]!.AsArray().Count;
        kept.Should().BeInRange(3, 6, "8 KB holds a handful of 1.5 KB calls");
        trace["callCount"]!.GetValue<long>().Should().Be(20);
        trace["dropped"]!.GetValue<long>().Should().Be(20 - kept, "every call past the budget is counted, none silently lost");
        run["requests"]!["total"]!.GetValue<long>().Should().Be(20, "dropped calls were still served");
    }

    [Fact]
    public async Task An_ended_session_keeps_its_evidence_for_the_retention_then_only_its_summary()
    {
        await using var host = await StartAsync(o => o.EndedSessionRetention = TimeSpan.FromMinutes(1));
        await using var session = await host.StartSessionAsync(new SessionRequest("echo"));
        using (var echo = session.CreateClient("echo"))
        {
            (await echo.PostAsync("notes/a", new StringContent("hello"))).Dispose();
        }

        using var client = host.CreateClient();
        (await client.DeleteAsync($"/api/sessions/{session.Id}")).Dispose();
        _time.Advance(TimeSpan.FromSeconds(59));
        var within = await client.GetAsync($"/api/runs/{session.RunId}");
        var traceWithin = await client.GetAsync($"/api/traces/{session.Trace.RootTraceId}");

        _time.Advance(TimeSpan.FromSeconds(2));
        var (summaryStatus, summary) = await (await client.GetAsync($"/api/sessions/{session.Id}")).ReadJsonAsync();
        var (runStatus, run) = await (await client.GetAsync($"/api/runs/{session.RunId}")).ReadJsonAsync();
        var (traceStatus, trace) = await (await client.GetAsync($"/api/traces/trc-{session.Id["ses-".Length..]}")).ReadJsonAsync();

        ((int)within.StatusCode).Should().Be(200, "within the retention the run record is whole");
        ((int)traceWithin.StatusCode).Should().Be(200);
        summaryStatus.Should().Be(200, "the summary outlives the release");
        summary.Str("status").Should().Be("ended");
        summary.Str("endReason").Should().Be("deleted");
        summary["evidence"]!["requestCount"]!.GetValue<long>().Should().Be(1);
        runStatus.Should().Be(410);
        run.Str("code").Should().Be("run_released");
        run.Str("detail").Should().Contain("RunRecordDirectory");
        traceStatus.Should().Be(410);
        trace.Str("code").Should().Be("trace_released");
        host.Runtime.Sessions.Find(session.Id)!.States.Should().BeEmpty("the host keeps only the summary");
        session.ToRunRecord()["trace"]!["entries"]!.AsArray().Should().ContainSingle("the ArchalSession still holds its own evidence");
        session.Trace.Entries.Should().ContainSingle();
    }

    [Fact]
    public async Task An_expired_session_is_released_after_the_retention_too()
    {
        await using var host = await StartAsync(o => o.EndedSessionRetention = TimeSpan.FromMinutes(1));
        var created = await CreateAsync(host, new { clones = new[] { "echo" }, ttlSeconds = 60 });
        var id = created.Str("sessionId")!;
        var state = WeakState(host, id);

        _time.Advance(TimeSpan.FromSeconds(60 + 61));
        using var client = host.CreateClient();
        var (status, run) = await (await client.GetAsync($"/api/runs/{created["evidence"].Str("runId")}")).ReadJsonAsync();
        var (_, summary) = await (await client.GetAsync($"/api/sessions/{id}")).ReadJsonAsync();

        status.Should().Be(410, run.ToJsonString());
        summary.Str("endReason").Should().Be("expired");
        Collect();
        state.IsAlive.Should().BeFalse("the host no longer holds the expired session's clone state");
    }

    [Fact]
    public async Task The_final_run_record_is_written_to_the_run_record_directory_and_served_from_there()
    {
        var directory = Path.Combine(Path.GetTempPath(), "archal-runs-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var host = await StartAsync(o =>
            {
                o.EndedSessionRetention = TimeSpan.Zero;
                o.RunRecordDirectory = directory;
            });
            var created = await CreateAsync(host, new { clones = new[] { "echo" } });
            await PostNoteAsync(host, created, "kept", "on disk");
            var runId = created["evidence"].Str("runId")!;
            using var client = host.CreateClient();

            using var delete = await client.DeleteAsync($"/api/sessions/{created.Str("sessionId")}");
            var run = (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{runId}"))!;

            File.Exists(Path.Combine(directory, $"{runId}.json")).Should().BeTrue();
            run.Str("runId").Should().Be(runId);
            run["final"]!.GetValue<bool>().Should().BeTrue();
            run.Str("status").Should().Be("ended");
            run["trace"]!["entries"]!.AsArray().Should().ContainSingle().Which!["operation"]!.GetValue<string>().Should().Be("notes/put");
            run["stateDiff"]!["echo"]!.AsArray().Should().ContainSingle();
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>
    /// The soak: rounds of sessions with the rich seeds, each driven with writes and then deleted. With no retention,
    /// every clone state and trace entry the host held is collectable once the sessions are gone (weak references
    /// die under a full GC), round after round.
    /// </summary>
    [Fact]
    public async Task Memory_returns_after_sessions_end()
    {
        await using var host = await StartAsync(o => o.EndedSessionRetention = TimeSpan.Zero);
        var held = new List<WeakReference>();

        for (var round = 0; round < 3; round++)
        {
            var ids = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                var created = await CreateAsync(host, new
                {
                    clones = new[] { "github", "slack", "stripe", "echo" },
                    seeds = new { github = "small-project", slack = "engineering-team", stripe = "small-business" },
                }, i % 2 == 0 ? $"soak-{round}-{i}" : null); // an Idempotency-Key must not keep a session alive either
                for (var call = 0; call < 10; call++)
                {
                    await PostNoteAsync(host, created, $"k{call}", new string('x', 300));
                }

                ids.Add(created.Str("sessionId")!);
                held.AddRange(WeakEvidence(host, created.Str("sessionId")!));
            }

            using var client = host.CreateClient();
            foreach (var id in ids)
            {
                (await client.DeleteAsync($"/api/sessions/{id}")).Dispose();
            }

            Collect();
            held.Where(w => w.IsAlive).Should().BeEmpty($"round {round}: every state and trace entry of a deleted session is released");
            var list = (await client.GetFromJsonAsync<JsonObject>("/api/sessions"))!;
            list["sessions"]!.AsArray().Where(s => s!["status"]!.GetValue<string>() == "running").Should().BeEmpty();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WeakState(ArchalHost host, string id) =>
        new(host.Runtime.Sessions.Find(id)!.States.Values.First());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IEnumerable<WeakReference> WeakEvidence(ArchalHost host, string id)
    {
        var record = host.Runtime.Sessions.Find(id)!;
        var weak = new List<WeakReference>();
        foreach (CloneState state in record.States.Values)
        {
            weak.Add(new WeakReference(state));
        }

        weak.AddRange(record.Trace.Entries.Select(e => new WeakReference(e)));
        return weak;
    }

    private static void Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }
    }
}
