using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Tracing;

/// <summary>Run records, traces and HAR are streamed: same bytes as the documents, one entry at a time, and traces page.</summary>
public class StreamingExportTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private async Task<ArchalSession> SessionWithCallsAsync(int calls)
    {
        var session = await fixture.Host.StartSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");
        for (var i = 0; i < calls; i++)
        {
            (await echo.PostAsync($"notes/n{i}", new StringContent($"note {i}", Encoding.UTF8, "text/plain"))).Dispose();
        }

        return session;
    }

    [Fact]
    public async Task Streamed_run_record_trace_and_har_are_byte_identical_to_the_documents()
    {
        await using var session = await SessionWithCallsAsync(3);
        await session.EndAsync();
        using var control = fixture.Host.CreateClient();

        using var run = await control.GetAsync($"/api/runs/{session.RunId}", HttpCompletionOption.ResponseHeadersRead);
        var runText = await run.Content.ReadAsStringAsync();
        var har = await control.GetStringAsync($"/api/traces/{session.Trace.RootTraceId}/har");
        var trace = await control.GetStringAsync($"/api/traces/{session.Trace.RootTraceId}");

        run.Content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        runText.Should().Be(session.ToRunRecord().ToJsonString());
        har.Should().Be(session.ToHar().ToJsonString());
        trace.Should().Be(JsonNode.Parse(runText)!["trace"]!.ToJsonString());
    }

    [Fact]
    public async Task Over_kestrel_the_run_record_is_chunked_as_it_is_written()
    {
        await using var host = new ArchalHost(new ArchalHostOptions { UseKestrel = true });
        await host.StartAsync();
        await using var session = await host.StartSessionAsync(new SessionRequest("github"));
        using (var github = session.CreateClient("github"))
        {
            (await github.GetAsync("user")).Dispose();
        }

        using var control = host.CreateClient();
        using var run = await control.GetAsync($"/api/runs/{session.RunId}", HttpCompletionOption.ResponseHeadersRead);

        run.Headers.TransferEncodingChunked.Should().BeTrue("the record is written as it is produced, not buffered to learn its length");
        run.Content.Headers.ContentLength.Should().BeNull();
        (await run.Content.ReadFromJsonAsync<JsonObject>())!["trace"]!["entries"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Traces_page_with_limit_and_cursor_and_can_leave_bodies_out()
    {
        await using var session = await SessionWithCallsAsync(5);
        using var control = fixture.Host.CreateClient();
        var url = $"/api/traces/{session.Trace.RootTraceId}";

        var pages = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = (await control.GetFromJsonAsync<JsonObject>(cursor is null ? $"{url}?limit=2" : $"{url}?limit=2&cursor={cursor}"))!;
            pages.Add(page);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null && pages.Count < 10);
        var lean = (await control.GetFromJsonAsync<JsonObject>($"{url}?bodies=false"))!;
        var whole = (await control.GetFromJsonAsync<JsonObject>(url))!;

        pages.Select(p => p["entries"]!.AsArray().Count).Should().Equal(2, 2, 1);
        pages.SelectMany(p => p["entries"]!.AsArray()).Select(e => e!["sequence"]!.GetValue<long>()).Should().Equal(1, 2, 3, 4, 5);
        pages.Should().OnlyContain(p => p["callCount"]!.GetValue<long>() == 5, "every page carries the summary");
        pages[^1].ContainsKey("nextCursor").Should().BeTrue("the last page says there is no more");
        whole.ContainsKey("nextCursor").Should().BeFalse("an unpaged trace keeps its shape");
        var entry = lean["entries"]![0]!;
        entry["request"]!.AsObject().ContainsKey("body").Should().BeFalse();
        entry["response"]!.AsObject().ContainsKey("body").Should().BeFalse();
        entry["request"]!["headers"].Should().NotBeNull();
        whole["entries"]![0]!["request"]!["body"]!.GetValue<string>().Should().Be("note 0");
    }

    [Fact]
    public async Task The_trace_list_pages_with_limit_and_cursor()
    {
        var scenario = "paging-" + Guid.NewGuid();
        var sessions = new List<ArchalSession>();
        for (var i = 0; i < 3; i++)
        {
            var session = await fixture.Host.StartSessionAsync(new SessionRequest("echo") { ScenarioId = scenario });
            sessions.Add(session);
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
        }

        using var control = fixture.Host.CreateClient();
        var first = (await control.GetFromJsonAsync<JsonObject>($"/api/traces?scenario={scenario}&limit=2"))!;
        var second = (await control.GetFromJsonAsync<JsonObject>($"/api/traces?scenario={scenario}&limit=2&cursor={first["nextCursor"]!.GetValue<string>()}"))!;
        var (badStatus, bad) = await (await control.GetAsync($"/api/traces?scenario={scenario}&cursor=trc-nope")).ReadJsonAsync();

        first["traces"]!.AsArray().Select(t => t!["sessionId"]!.GetValue<string>()).Should().Equal(sessions[2].Id, sessions[1].Id);
        second["traces"]!.AsArray().Select(t => t!["sessionId"]!.GetValue<string>()).Should().Equal(sessions[0].Id);
        second["nextCursor"].Should().BeNull();
        badStatus.Should().Be(400);
        bad.Str("field").Should().Be("cursor");
        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=-1", "cursor")]
    [InlineData("bodies=maybe", "bodies")]
    public async Task Bad_paging_parameters_are_400_naming_them(string query, string field)
    {
        await using var session = await SessionWithCallsAsync(1);
        using var control = fixture.Host.CreateClient();

        var (status, body) = await (await control.GetAsync($"/api/traces/{session.Trace.RootTraceId}?{query}")).ReadJsonAsync();

        status.Should().Be(400);
        body.Str("field").Should().Be(field);
    }
}
