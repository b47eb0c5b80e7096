using System.Net.Http.Json;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Runtime;

/// <summary>Injected latency in-process runs on the session clock (which follows the host's TimeProvider): each test owns its host and clock.</summary>
public class FaultLatencyTests : IAsyncLifetime
{
    private readonly HostFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Latency_waits_on_the_hosts_clock_then_the_call_is_served()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project")
            .WithFault(new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(1), FaultEffect.Delay(TimeSpan.FromSeconds(5)))));
        using var github = session.CreateClient("github");

        var call = github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Slow" });
        var advancedSeconds = 0;
        while (!call.IsCompleted)
        {
            _fixture.Time.Advance(TimeSpan.FromSeconds(1));
            advancedSeconds++;
            await Task.WhenAny(call, Task.Delay(20));
        }

        using var response = await call;
        ((int)response.StatusCode).Should().Be(201);
        advancedSeconds.Should().BeGreaterThanOrEqualTo(5, "the call waits 5 s of the host's clock");
        session.Trace.Entries.Single().FaultId.Should().Be("flt-1");
    }

    [Fact]
    public async Task Latency_ends_when_the_session_clock_is_moved_past_it()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project")
            .WithFault(new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(1), FaultEffect.Delay(TimeSpan.FromMinutes(10)))));
        using var github = session.CreateClient("github");
        var before = session.Clock.Now;

        var call = github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Slow" });
        await Task.WhenAny(call, Task.Delay(200));
        call.IsCompleted.Should().BeFalse("ten minutes of latency have not passed on any clock");
        await session.Clock.AdvanceAsync(TimeSpan.FromMinutes(10));
        using var response = await call;

        ((int)response.StatusCode).Should().Be(201);
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        DateTimeOffset.Parse(created!["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeOnOrAfter(before.AddMinutes(10).AddSeconds(-1), "the issue is created after the latency, on the session's time");
    }
}
