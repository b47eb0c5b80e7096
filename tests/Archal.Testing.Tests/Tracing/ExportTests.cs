using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using System.Text.Json;
using Json.Schema;

namespace Archal.Testing.Tests.Tracing;

public class ExportTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private async Task<ArchalSession> SessionWithCallsAsync(string? scenarioId = null)
    {
        var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo", "github") { ScenarioId = scenarioId });
        using var echo = session.CreateClient("echo");
        using var github = session.CreateClient("github");
        (await echo.PostAsync("notes/a?draft=1", new StringContent("hello"))).Dispose();
        (await github.GetAsync("user")).Dispose();
        (await github.GetAsync("missing")).Dispose();
        return session;
    }

    [Fact]
    public async Task Har_export_is_valid_har_1_2()
    {
        await using var session = await SessionWithCallsAsync();
        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Tracing", "har-1.2.schema.json"));

        var har = session.ToHar();

        using var document = JsonDocument.Parse(har.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        result.IsValid.Should().BeTrue(string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var entries = har["log"]!["entries"]!.AsArray();
        entries.Should().HaveCount(3);
        entries[0]!["request"]!["url"]!.GetValue<string>().Should().Be($"{session.ApiBaseUrls["echo"]}/notes/a?draft=1");
        entries[0]!["request"]!["queryString"]![0]!["name"]!.GetValue<string>().Should().Be("draft");
        entries[0]!["request"]!["postData"]!["text"]!.GetValue<string>().Should().Be("hello");
        entries[2]!["response"]!["status"]!.GetValue<int>().Should().Be(404);
        entries[2]!["response"]!["statusText"]!.GetValue<string>().Should().Be("Not Found");
    }

    [Fact]
    public async Task Run_record_holds_every_entry_and_the_state_diff_per_clone()
    {
        await using var session = await SessionWithCallsAsync();
        using var control = fixture.Host.CreateClient();

        var run = await control.GetFromJsonAsync<JsonObject>($"/api/runs/{session.RunId}");

        run!["final"]!.GetValue<bool>().Should().BeFalse("the session is still running");
        run["trace"]!["entries"]!.AsArray().Should().HaveCount(3);
        run["trace"]!["entries"]![0]!["operation"]!.GetValue<string>().Should().Be("notes/put");
        var echoDiff = run["stateDiff"]!["echo"]!.AsArray();
        echoDiff.Should().ContainSingle();
        echoDiff[0]!["kind"]!.GetValue<string>().Should().Be("created");
        echoDiff[0]!["id"]!.GetValue<string>().Should().Be("a");
        run["stateDiff"]!["github"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Run_record_is_final_once_the_session_ends()
    {
        var session = await SessionWithCallsAsync();
        await session.EndAsync();
        using var control = fixture.Host.CreateClient();

        var run = await control.GetFromJsonAsync<JsonObject>($"/api/runs/{session.RunId}");

        run!["final"]!.GetValue<bool>().Should().BeTrue();
        run["status"]!.GetValue<string>().Should().Be("ended");
        run["trace"]!["entries"]!.AsArray().Should().HaveCount(3);
    }

    [Fact]
    public async Task Traces_api_lists_and_filters_the_callers_traces()
    {
        var scenario = "scenario-" + Guid.NewGuid();
        await using var first = await SessionWithCallsAsync(scenario);
        await using var other = await SessionWithCallsAsync();
        using var control = fixture.Host.CreateClient();

        var byScenario = await control.GetFromJsonAsync<JsonObject>($"/api/traces?scenario={scenario}");
        var bySession = await control.GetFromJsonAsync<JsonObject>($"/api/traces?sessionId={other.Id}&limit=5");
        var one = await control.GetFromJsonAsync<JsonObject>($"/api/traces/{first.Trace.RootTraceId}");

        byScenario!["traces"]!.AsArray().Should().ContainSingle().Which!["sessionId"]!.GetValue<string>().Should().Be(first.Id);
        byScenario["traces"]![0]!["callCount"]!.GetValue<long>().Should().Be(3);
        byScenario["traces"]![0]!["errorCount"]!.GetValue<int>().Should().Be(1);
        bySession!["traces"]!.AsArray().Should().ContainSingle().Which!["rootTraceId"]!.GetValue<string>().Should().Be(other.Trace.RootTraceId);
        one!["entries"]!.AsArray().Should().HaveCount(3);
    }

    [Fact]
    public async Task Traces_api_rejects_bad_parameters_and_hides_other_owners()
    {
        await using var session = await SessionWithCallsAsync();
        using var control = fixture.Host.CreateClient();
        using var intruder = fixture.Host.CreateClient(fixture.Host.Tokens.IssuePersonalToken("intruder").Value);

        var badLimit = await (await control.GetAsync("/api/traces?limit=0")).ReadJsonAsync();
        var badSince = await (await control.GetAsync("/api/traces?since=yesterday")).ReadJsonAsync();
        var unknown = await (await control.GetAsync("/api/traces/trc-nope")).ReadJsonAsync();
        var forbidden = await (await intruder.GetAsync($"/api/traces/{session.Trace.RootTraceId}")).ReadJsonAsync();
        var intruderList = await intruder.GetFromJsonAsync<JsonObject>("/api/traces");

        badLimit.Status.Should().Be(400);
        badLimit.Body.Str("field").Should().Be("limit");
        badSince.Status.Should().Be(400);
        unknown.Status.Should().Be(404);
        forbidden.Status.Should().Be(403);
        intruderList!["traces"]!.AsArray().Should().BeEmpty();
    }
}
