using System.Net.Http.Headers;
using System.Net.Http.Json;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.ControlPlane;

public class TokenAuthTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Request_without_token_returns_401_missing_token()
    {
        using var client = fixture.Host.CreateRawClient();

        using var response = await client.GetAsync("/api/sessions");
        var (status, body) = await response.ReadJsonAsync();

        status.Should().Be(401);
        body.Str("code").Should().Be("missing_token");
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Request_with_unknown_token_returns_401_invalid_token()
    {
        using var client = fixture.Host.CreateClient("arc_notarealtoken0000");

        var (status, body) = await (await client.GetAsync("/api/sessions")).ReadJsonAsync();

        status.Should().Be(401);
        body.Str("code").Should().Be("invalid_token");
    }

    [Fact]
    public async Task Request_with_basic_scheme_returns_401_invalid_token()
    {
        using var client = fixture.Host.CreateRawClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");

        var (status, body) = await (await client.GetAsync("/api/sessions")).ReadJsonAsync();

        status.Should().Be(401);
        body.Str("code").Should().Be("invalid_token");
    }

    [Fact]
    public async Task Expired_token_returns_401_token_expired()
    {
        var token = fixture.Host.Tokens.IssuePersonalToken("expiring-user", expiresAt: fixture.Time.GetUtcNow().AddSeconds(-1));
        using var client = fixture.Host.CreateClient(token.Value);

        var (status, body) = await (await client.GetAsync("/api/sessions")).ReadJsonAsync();

        status.Should().Be(401);
        body.Str("code").Should().Be("token_expired");
    }

    [Fact]
    public async Task Read_only_token_cannot_create_sessions()
    {
        var token = fixture.Host.Tokens.IssuePersonalToken("reader", ["sessions:read"]);
        using var client = fixture.Host.CreateClient(token.Value);

        var (status, body) = await (await client.PostAsJsonAsync("/api/sessions", new { clones = new[] { "github" } })).ReadJsonAsync();

        status.Should().Be(403);
        body.Str("code").Should().Be("insufficient_scope");
    }

    [Fact]
    public async Task Workspace_key_with_write_scope_creates_and_reads_sessions()
    {
        var key = fixture.Host.Tokens.IssueWorkspaceKey("ws-ci", "ci", ["sessions:write"]);
        var created = await fixture.CreateSessionAsync(new { clones = new[] { "github" } }, key.Value);
        using var client = fixture.Host.CreateClient(key.Value);

        var (status, _) = await (await client.GetAsync($"/api/sessions/{created.Str("sessionId")}")).ReadJsonAsync();

        key.Value.Should().StartWith("archal_ws_");
        status.Should().Be(200, "sessions:write implies sessions:read");
    }

    [Fact]
    public async Task Another_owners_session_returns_403_on_every_route()
    {
        var created = await fixture.CreateSessionAsync(new { clones = new[] { "github" } });
        var intruder = fixture.Host.Tokens.IssuePersonalToken("intruder");
        using var client = fixture.Host.CreateClient(intruder.Value);

        var get = await (await client.GetAsync($"/api/sessions/{created.Str("sessionId")}")).ReadJsonAsync();
        var delete = await (await client.DeleteAsync($"/api/sessions/{created.Str("sessionId")}")).ReadJsonAsync();
        var run = await (await client.GetAsync($"/api/runs/{created["evidence"].Str("runId")}")).ReadJsonAsync();

        get.Status.Should().Be(403);
        get.Body.Str("code").Should().Be("session_forbidden");
        delete.Status.Should().Be(403);
        run.Status.Should().Be(403);
    }

    [Fact]
    public void Issued_tokens_have_the_documented_prefixes()
    {
        fixture.Host.Token.Should().StartWith("arc_");
        fixture.Host.Tokens.IssuePersonalToken("u").Value.Should().StartWith("arc_");
        fixture.Host.Tokens.IssueWorkspaceKey("w", "label").Value.Should().StartWith("archal_ws_");
    }

    [Fact]
    public void Unknown_scope_is_rejected_when_minting()
    {
        var act = () => fixture.Host.Tokens.IssuePersonalToken("u", ["sessions:admin"]);

        act.Should().Throw<ArgumentException>().WithMessage("*sessions:admin*");
    }
}
