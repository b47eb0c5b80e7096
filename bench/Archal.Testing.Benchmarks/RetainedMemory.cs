using System.Globalization;
using System.Text;
using Archal.Testing.Hosting;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Memory a host keeps per recorded request (not allocated: retained after a full GC), for one small write per
/// clone. Each write is measured on a host recording traces and on one that does not, in the same process: the
/// difference is what a trace entry keeps; the rest is the clone's own new entity. BenchmarkDotNet measures
/// allocations, not retention, so this is a plain measurement mode: <c>dotnet run -c Release -- retained</c>.
/// </summary>
internal static class RetainedMemory
{
    private const int Warmup = 200;
    private const int Requests = 4000;

    public static async Task<string> MeasureAsync()
    {
        var report = new StringBuilder();
        report.AppendLine("| Write | Retained per request, recording on | Recording off | Trace entry (difference) |");
        report.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, clone, seed, send) in Writes())
        {
            var on = await PerRequestAsync(clone, seed, send, record: true);
            var off = await PerRequestAsync(clone, seed, send, record: false);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {on:N0} B | {off:N0} B | **{on - off:N0} B** |");
        }

        report.AppendLine();
        report.AppendLine(await SoakAsync());
        report.AppendLine();
        report.AppendLine(await ExportAsync());
        report.AppendLine();
        report.AppendLine(await SessionsAsync());
        return report.ToString();
    }

    /// <summary>
    /// Sessions with the rich seeds (GitHub small-project, Slack engineering-team, Stripe small-business), each given
    /// 20 writes, then deleted on a host with no retention: memory before, with all alive, and after they end.
    /// </summary>
    private static async Task<string> SoakAsync()
    {
        const int Sessions = 200;
        await using var bench = await BenchHost.StartAsync(o => o.EndedSessionRetention = TimeSpan.Zero);
        var baseline = FullGc();
        var created = System.Diagnostics.Stopwatch.StartNew();
        var sessions = new List<ArchalSession>();
        for (var i = 0; i < Sessions; i++)
        {
            sessions.Add(await bench.Host.StartSessionAsync(BenchHost.RichSeeds()));
        }

        created.Stop();
        var seeded = FullGc();
        foreach (var session in sessions)
        {
            using var slack = session.CreateClient("slack");
            for (var i = 0; i < 20; i++)
            {
                using var content = new FormUrlEncodedContent([new("channel", "#general"), new("text", $"deploy {i} finished")]);
                (await slack.PostAsync("chat.postMessage", content)).Dispose();
            }
        }

        var driven = FullGc();
        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }

        sessions.Clear();
        var ended = FullGc();
        return string.Create(CultureInfo.InvariantCulture, $"""
            | Soak: {Sessions} sessions, rich seeds, 20 writes each | Managed heap after full GC |
            | --- | ---: |
            | Host started, no session | {baseline / 1024.0 / 1024:N1} MiB |
            | {Sessions} sessions alive, seeded | {seeded / 1024.0 / 1024:N1} MiB ({(seeded - baseline) / (double)Sessions / 1024 / 1024:N2} MiB per session, created in {created.Elapsed.TotalMilliseconds / Sessions:N2} ms each) |
            | after 20 writes each | {driven / 1024.0 / 1024:N1} MiB |
            | all ended (DELETE, retention 0) | **{ended / 1024.0 / 1024:N1} MiB** |
            """);
    }

    private static IEnumerable<(string Name, string Clone, string Seed, Func<HttpClient, int, Task> Send)> Writes()
    {
        yield return ("Slack `chat.postMessage`", "slack", "engineering-team", async (client, i) =>
        {
            using var content = new FormUrlEncodedContent([new("channel", "#general"), new("text", $"deploy {i} finished")]);
            (await client.PostAsync("chat.postMessage", content)).Dispose();
        });
        yield return ("Stripe create customer", "stripe", "empty", async (client, i) =>
        {
            using var content = new StringContent($"name=Zo%C3%AB&email=zoe{i}%40example.com&metadata[plan]=pro", Encoding.UTF8, "application/x-www-form-urlencoded");
            (await client.PostAsync("v1/customers", content)).Dispose();
        });
        yield return ("GitHub create issue (small body)", "github", "small-project", async (client, i) =>
        {
            using var content = new StringContent($$"""{"title":"Bug {{i}}","body":"It breaks."}""", Encoding.UTF8, "application/json");
            (await client.PostAsync("repos/acme/webapp/issues", content)).Dispose();
        });
    }

    private static async Task<double> PerRequestAsync(string clone, string seed, Func<HttpClient, int, Task> send, bool record)
    {
        await using var bench = await BenchHost.StartAsync(o =>
        {
            o.RecordTraces = record;
            o.MaxTraceEntriesPerSession = 1_000_000;
            o.MaxTraceBytesPerSession = long.MaxValue;
        });
        await using var session = await bench.Host.StartSessionAsync(new SessionRequest(clone).WithSeed(clone, seed));
        if (clone == "github")
        {
            session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").RateLimit = int.MaxValue;
        }

        using var client = session.CreateClient(clone);
        for (var i = 0; i < Warmup; i++)
        {
            await send(client, i);
        }

        var before = FullGc();
        for (var i = 0; i < Requests; i++)
        {
            await send(client, Warmup + i);
        }

        var after = FullGc();
        GC.KeepAlive(session);
        return (after - before) / (double)Requests;
    }

    /// <summary>
    /// A session with 10,000 recorded Slack writes, exported through <c>GET /api/runs/{runId}</c> (streamed) and as
    /// <c>ToRunRecord().ToJsonString()</c> (the whole document in memory, as the endpoint did before): how far the
    /// managed heap rises above its level before the export (sampled every 5 ms), and when the first byte arrives.
    /// </summary>
    private static async Task<string> ExportAsync()
    {
        const int Calls = 10_000;
        await using var bench = await BenchHost.StartAsync();
        await using var session = await bench.Host.StartSessionAsync(new SessionRequest("slack").WithSeed("slack", "engineering-team"));
        using (var slack = session.CreateClient("slack"))
        {
            for (var i = 0; i < Calls; i++)
            {
                using var content = new FormUrlEncodedContent([new("channel", "#general"), new("text", $"deploy {i} finished")]);
                (await slack.PostAsync("chat.postMessage", content)).Dispose();
            }
        }

        using var control = bench.Host.CreateClient();
        long bytes = 0;
        double firstByteMs = 0;
        var (streamedPeak, streamedMs) = await PeakAsync(async () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await control.GetAsync($"/api/runs/{session.RunId}", HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                if (bytes == 0)
                {
                    firstByteMs = clock.Elapsed.TotalMilliseconds;
                }

                bytes += read;
            }
        });
        var (wholePeak, wholeMs) = await PeakAsync(() =>
        {
            var text = session.ToRunRecord().ToJsonString();
            GC.KeepAlive(text);
            return Task.CompletedTask;
        });
        return string.Create(CultureInfo.InvariantCulture, $"""
            | Export of a run record with {Calls:N0} entries ({bytes / 1024.0 / 1024:N1} MiB of JSON) | Heap rise during the export | Time | First byte |
            | --- | ---: | ---: | ---: |
            | `GET /api/runs/(runId)`, streamed (client reads 16 KB at a time) | **{streamedPeak / 1024.0 / 1024:N1} MiB** | {streamedMs:N0} ms | **{firstByteMs:N0} ms** |
            | `ToRunRecord().ToJsonString()`, whole document in memory | {wholePeak / 1024.0 / 1024:N1} MiB | {wholeMs:N0} ms | after {wholeMs:N0} ms |
            """);
    }

    /// <summary>
    /// Memory and creation time per live session for each rich seed: created (sessions of one seed share its template),
    /// then after one read of every clone (each session has its own copy of what it used), and 10,000 live sessions with
    /// all three rich seeds on one host, created and then each used.
    /// </summary>
    public static async Task<string> SessionsAsync()
    {
        const int Count = 200;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"| Sessions ({Count} alive) | Created in (mean, over HTTP) | Memory per session, created | after one read of each clone | 10,000 created | 10,000 used |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        (string Name, SessionRequest Request)[] cases =
        [
            ("GitHub `small-project`", new SessionRequest("github").WithSeed("github", "small-project")),
            ("Slack `engineering-team`", new SessionRequest("slack").WithSeed("slack", "engineering-team")),
            ("Stripe `small-business`", new SessionRequest("stripe").WithSeed("stripe", "small-business")),
            ("all three", BenchHost.RichSeeds()),
            ("GitHub `empty` (default)", new SessionRequest("github")),
        ];
        foreach (var (name, request) in cases)
        {
            await using var bench = await BenchHost.StartAsync();
            (await bench.Host.StartSessionAsync(request)).GetType();
            var baseline = FullGc();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var sessions = new List<ArchalSession>();
            for (var i = 0; i < Count; i++)
            {
                sessions.Add(await bench.Host.StartSessionAsync(request));
            }

            clock.Stop();
            var created = (FullGc() - baseline) / (double)Count;
            await UseAsync(sessions);
            var used = (FullGc() - baseline) / (double)Count;
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {clock.Elapsed.TotalMilliseconds / Count:N2} ms | {created / 1024:N0} KB | {used / 1024:N0} KB | {created * 10_000 / 1024 / 1024 / 1024:N2} GB | {used * 10_000 / 1024 / 1024 / 1024:N2} GB |");
            GC.KeepAlive(sessions);
        }

        report.AppendLine();
        report.AppendLine(await TenThousandAsync());
        return report.ToString();
    }

    /// <summary>10,000 live sessions with all three rich seeds on one host: the heap with all of them created, then used.</summary>
    private static async Task<string> TenThousandAsync()
    {
        const int Count = 10_000;
        await using var bench = await BenchHost.StartAsync(o => o.DefaultSessionTtl = TimeSpan.FromHours(1));
        var baseline = FullGc();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sessions = new List<ArchalSession>(Count);
        for (var i = 0; i < Count; i++)
        {
            sessions.Add(await bench.Host.StartSessionAsync(BenchHost.RichSeeds()));
        }

        clock.Stop();
        var created = FullGc() - baseline;
        var usedClock = System.Diagnostics.Stopwatch.StartNew();
        await UseAsync(sessions);
        usedClock.Stop();
        var used = FullGc() - baseline;
        GC.KeepAlive(sessions);
        return string.Create(CultureInfo.InvariantCulture, $"""
            | {Count:N0} live sessions, GitHub `small-project` + Slack `engineering-team` + Stripe `small-business` | Managed heap above the idle host |
            | --- | ---: |
            | all created ({clock.Elapsed.TotalMilliseconds / Count:N2} ms each, over HTTP) | **{created / 1024.0 / 1024:N0} MiB** ({created / (double)Count / 1024:N1} KB per session) |
            | each then read once in every clone ({usedClock.Elapsed.TotalMilliseconds / Count:N2} ms per session for the three reads) | {used / 1024.0 / 1024:N0} MiB ({used / (double)Count / 1024:N1} KB per session) |
            """);
    }

    /// <summary>One read call to every clone of each session (what makes a session copy its seed template).</summary>
    private static async Task UseAsync(IEnumerable<ArchalSession> sessions)
    {
        foreach (var session in sessions)
        {
            foreach (var cloneId in session.CloneIds)
            {
                using var client = session.CreateClient(cloneId);
                var path = cloneId switch
                {
                    "github" => "user",
                    "slack" => "auth.test",
                    _ => "v1/customers?limit=1",
                };
                using var response = await client.GetAsync(path);
                response.EnsureSuccessStatusCode();
            }
        }
    }

    private static async Task<(long Peak, double Milliseconds)> PeakAsync(Func<Task> export)
    {
        var baseline = FullGc();
        long peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
                await Task.Delay(5);
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await export();
        clock.Stop();
        await done.CancelAsync();
        await sampler;
        return (peak, clock.Elapsed.TotalMilliseconds);
    }

    private static long FullGc()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
