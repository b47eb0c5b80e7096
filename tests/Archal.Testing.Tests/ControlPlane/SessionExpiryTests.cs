using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>Expiry on a manual clock: each test owns its host so moving time affects nothing else.</summary>
public class SessionExpiryTests : IAsyncLifetime
{
    private readonly HostFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Expired_session_is_ended_not_deleted()
    {
        var created = await _fixture.CreateSessionAsync(new { clones = new[] { "github" }, ttlSeconds = 60 });
        _fixture.Time.Advance(TimeSpan.FromSeconds(61));
        using var client = _fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync($"/api/sessions/{created.Str("sessionId")}")).ReadJsonAsync();

        status.Should().Be(200);
        body.Str("status").Should().Be("ended");
        body["alive"]!.GetValue<bool>().Should().BeFalse();
        body.Str("endedAt").Should().Be(created.Str("expiresAt"));
    }

    [Fact]
    public async Task Session_is_alive_until_its_expiry()
    {
        var created = await _fixture.CreateSessionAsync(new { clones = new[] { "github" }, ttlSeconds = 60 });
        _fixture.Time.Advance(TimeSpan.FromSeconds(59));
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        using var client = _fixture.Host.CreateClient();

        var (_, body) = await (await client.GetAsync($"/api/sessions/{created.Str("sessionId")}")).ReadJsonAsync();

        body.Str("status").Should().Be("running");
    }

    [Fact]
    public async Task Default_ttl_is_30_minutes()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");

        _fixture.Time.Advance(TimeSpan.FromMinutes(29));
        using var before = await github.GetAsync("user");
        _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        using var after = await github.GetAsync("user");

        ((int)before.StatusCode).Should().Be(200);
        ((int)after.StatusCode).Should().Be(410);
    }

    [Fact]
    public async Task Runtime_call_on_expired_session_returns_410_session_expired()
    {
        await using var session = await _fixture.Host.CreateSessionAsync(new SessionRequest("github") { TtlSeconds = 5 });
        using var github = session.CreateClient("github");
        _fixture.Time.Advance(TimeSpan.FromSeconds(5));

        var (status, body) = await (await github.GetAsync("user")).ReadJsonAsync();

        status.Should().Be(410);
        body.Str("code").Should().Be("session_expired");
    }
}
