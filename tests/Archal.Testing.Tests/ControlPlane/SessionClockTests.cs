using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary><c>GET/POST /api/sessions/{id}/clock</c> and <c>session.Clock</c>, on a host with a manual clock.</summary>
public class SessionClockTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly HostFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private async Task<(int Status, JsonObject Body)> PostClockAsync(string sessionId, string json)
    {
        using var client = _fixture.Host.CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await (await client.PostAsync($"/api/sessions/{sessionId}/clock", content)).ReadJsonAsync();
    }

    private async Task<(int Status, JsonObject Body)> GetClockAsync(string sessionId, string? token = null)
    {
        using var client = _fixture.Host.CreateClient(token);
        return await (await client.GetAsync($"/api/sessions/{sessionId}/clock")).ReadJsonAsync();
    }

    [Fact]
    public async Task Clock_starts_at_the_host_time_and_advances_by_seconds()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));

        var (getStatus, initial) = await GetClockAsync(session.Id);
        var (postStatus, advanced) = await PostClockAsync(session.Id, """{"advanceSeconds": 90.5}""");
        var (_, read) = await GetClockAsync(session.Id);

        getStatus.Should().Be(200);
        initial.Str("now").Should().Be("2026-01-01T00:00:00.000Z");
        initial.Str("sessionId").Should().Be(session.Id);
        postStatus.Should().Be(200);
        advanced.Str("now").Should().Be("2026-01-01T00:01:30.500Z");
        read.Str("now").Should().Be("2026-01-01T00:01:30.500Z");
        session.Clock.Now.Should().Be(Start.AddSeconds(90.5));
    }

    [Fact]
    public async Task Clock_is_set_to_an_rfc_3339_instant_with_any_offset()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));

        var (status, body) = await PostClockAsync(session.Id, """{"now": "2026-02-01T14:30:00+02:00"}""");

        status.Should().Be(200);
        body.Str("now").Should().Be("2026-02-01T12:30:00.000Z");
    }

    [Fact]
    public async Task Host_time_keeps_flowing_under_the_session_offset()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(1));

        _fixture.Time.Advance(TimeSpan.FromMinutes(5));

        session.Clock.Now.Should().Be(Start.AddDays(1).AddMinutes(5));
        session.Clock.Offset.Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Each_session_has_its_own_clock()
    {
        await using var moved = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        await using var other = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));

        await moved.Clock.AdvanceAsync(TimeSpan.FromHours(3));

        other.Clock.Now.Should().Be(Start);
        (await GetClockAsync(other.Id)).Body.Str("now").Should().Be("2026-01-01T00:00:00.000Z");
    }

    [Theory]
    [InlineData("""{"now": "2025-12-31T23:59:59Z"}""", "now")]
    [InlineData("""{"advanceSeconds": -1}""", "advanceSeconds")]
    public async Task Clock_never_moves_backwards(string body, string field)
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));

        var (status, error) = await PostClockAsync(session.Id, body);

        status.Should().Be(400);
        error.Str("code").Should().Be("clock_backwards");
        error.Str("field").Should().Be(field);
        error.Str("error").Should().Be("invalid_request");
        error.Str("message").Should().Contain("never moves backwards");
        error.Str("detail").Should().Be($"field: {field}");
        session.Clock.Now.Should().Be(Start);
    }

    [Theory]
    [InlineData("not json", "invalid_json", null)]
    [InlineData("[1]", "invalid_body", null)]
    [InlineData("{}", "missing_field", "advanceSeconds")]
    [InlineData("""{"advanceSeconds": 1, "now": "2030-01-01T00:00:00Z"}""", "conflicting_fields", "advanceSeconds")]
    [InlineData("""{"advanceSeconds": "60"}""", "invalid_value", "advanceSeconds")]
    [InlineData("""{"advanceSeconds": 1e300}""", "out_of_range", "advanceSeconds")]
    [InlineData("""{"now": "2030-01-01"}""", "invalid_value", "now")]
    [InlineData("""{"now": "2030-01-01T00:00:00"}""", "invalid_value", "now")]
    [InlineData("""{"now": 1893456000}""", "invalid_value", "now")]
    [InlineData("""{"advance_seconds": 60}""", "unknown_field", "advance_seconds")]
    public async Task Bad_body_returns_400_naming_the_field(string body, string code, string? field)
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));

        var (status, error) = await PostClockAsync(session.Id, body);

        status.Should().Be(400);
        error.Str("code").Should().Be(code);
        error.Str("message").Should().NotBeNullOrEmpty();
        error.Str("field").Should().Be(field);
        session.Clock.Now.Should().Be(Start);
    }

    [Fact]
    public async Task Unknown_session_is_404_and_missing_token_is_401()
    {
        var (notFound, error) = await GetClockAsync("ses-nope");
        using var anonymous = _fixture.Host.CreateRawClient();
        using var unauthorized = await anonymous.GetAsync("/api/sessions/ses-nope/clock");

        notFound.Should().Be(404);
        error.Str("code").Should().Be("session_not_found");
        ((int)unauthorized.StatusCode).Should().Be(401);
    }

    [Fact]
    public async Task Ended_session_clock_reads_but_does_not_move()
    {
        var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        await session.EndAsync();

        var (postStatus, error) = await PostClockAsync(session.Id, """{"advanceSeconds": 60}""");
        var (getStatus, _) = await GetClockAsync(session.Id);

        postStatus.Should().Be(410);
        error.Str("code").Should().Be("session_ended");
        getStatus.Should().Be(200);
    }

    [Fact]
    public async Task Clone_timestamps_follow_the_session_clock()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        using var github = session.CreateClient("github");

        await PostClockAsync(session.Id, """{"now": "2026-06-15T09:30:00Z"}""");
        using var created = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Filed later" });
        var issue = await created.Content.ReadFromJsonAsync<JsonObject>();

        ((int)created.StatusCode).Should().Be(201);
        issue.Str("created_at").Should().Be("2026-06-15T09:30:00Z");
    }

    [Fact]
    public async Task Csharp_clock_refuses_to_go_backwards()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        await session.Clock.SetAsync(Start.AddHours(1));

        var back = () => session.Clock.SetAsync(Start);
        var negative = () => session.Clock.AdvanceAsync(TimeSpan.FromSeconds(-1));

        (await back.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("never moves backwards");
        await negative.Should().ThrowAsync<ArgumentOutOfRangeException>();
        session.Clock.Now.Should().Be(Start.AddHours(1));
    }
}
