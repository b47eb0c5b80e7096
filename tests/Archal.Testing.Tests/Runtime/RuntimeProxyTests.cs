using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Runtime;

public class RuntimeProxyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private async Task<ArchalSession> StartAsync(params string[] clones) =>
        await fixture.Host.CreateSessionAsync(new SessionRequest(clones));

    private HttpRequestMessage Request(HttpMethod method, string url, string? route, string? authorization)
    {
        var request = new HttpRequestMessage(method, url);
        if (route is not null)
        {
            request.Headers.TryAddWithoutValidation("x-route-authorization", route);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    private async Task<(int Status, JsonObject Body)> SendAsync(HttpRequestMessage request)
    {
        using var client = fixture.Host.CreateRawClient();
        using (request)
        {
            return await (await client.SendAsync(request)).ReadJsonAsync();
        }
    }

    [Fact]
    public async Task Both_hops_reach_the_clone_which_sees_only_the_service_token()
    {
        await using var session = await StartAsync("echo");
        var url = $"{session.ApiBaseUrls["echo"]}/echo";

        var (status, body) = await SendAsync(Request(HttpMethod.Get, url, $"Bearer {fixture.Host.Token}", "Bearer ghp_service"));

        status.Should().Be(200);
        var headers = body["headers"]!.AsObject();
        headers.Str("authorization").Should().Be("Bearer ghp_service");
        headers.ContainsKey("x-route-authorization").Should().BeFalse("route-control headers never reach the clone");
    }

    [Fact]
    public async Task Route_control_headers_are_stripped()
    {
        await using var session = await StartAsync("echo");
        var request = Request(HttpMethod.Get, $"{session.ApiBaseUrls["echo"]}/echo", $"Bearer {fixture.Host.Token}", "Bearer svc");
        request.Headers.Add("x-archal-trace", "1");
        request.Headers.Add("x-route-target", "elsewhere");
        request.Headers.Add("x-custom", "kept");

        var (_, body) = await SendAsync(request);

        var headers = body["headers"]!.AsObject();
        headers.Select(h => h.Key).Should().NotContain(k => k.StartsWith("x-archal-") || k.StartsWith("x-route-"));
        headers.Str("x-custom").Should().Be("kept");
    }

    [Fact]
    public async Task Without_route_header_the_authorization_is_the_route_token_and_is_forwarded_as_is()
    {
        await using var session = await StartAsync("echo");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["echo"]}/echo", null, $"Bearer {fixture.Host.Token}"));

        status.Should().Be(200);
        body["headers"].Str("authorization").Should().Be($"Bearer {fixture.Host.Token}");
    }

    [Fact]
    public async Task No_credentials_at_all_returns_401_before_the_clone()
    {
        await using var session = await StartAsync("github");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["github"]}/user", null, null));

        status.Should().Be(401);
        body.Str("code").Should().Be("missing_token");
    }

    [Fact]
    public async Task Invalid_route_token_returns_401_and_the_clone_never_sees_it()
    {
        await using var session = await StartAsync("echo");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["echo"]}/echo", "Bearer arc_forgedtoken123", "Bearer svc"));

        status.Should().Be(401);
        body.Str("code").Should().Be("invalid_token");
        body.ContainsKey("headers").Should().BeFalse();
    }

    [Fact]
    public async Task Route_header_without_bearer_scheme_returns_401()
    {
        await using var session = await StartAsync("echo");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["echo"]}/echo", fixture.Host.Token, "Bearer svc"));

        status.Should().Be(401);
        body.Str("code").Should().Be("invalid_route_token");
    }

    [Fact]
    public async Task Service_token_alone_is_not_a_route_token()
    {
        await using var session = await StartAsync("github");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["github"]}/user", null, "Bearer ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt"));

        status.Should().Be(401);
        body.Str("code").Should().Be("invalid_token");
    }

    [Fact]
    public async Task Expired_route_token_returns_401_token_expired()
    {
        await using var session = await StartAsync("echo");
        var token = fixture.Host.Tokens.IssuePersonalToken(fixture.Host.Options.DefaultOwner, expiresAt: fixture.Time.GetUtcNow());

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["echo"]}/echo", $"Bearer {token.Value}", "Bearer svc"));

        status.Should().Be(401);
        body.Str("code").Should().Be("token_expired");
    }

    [Fact]
    public async Task Another_owners_route_token_returns_403()
    {
        await using var session = await StartAsync("echo");
        var intruder = fixture.Host.Tokens.IssuePersonalToken("intruder");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"{session.ApiBaseUrls["echo"]}/echo", $"Bearer {intruder.Value}", "Bearer svc"));

        status.Should().Be(403);
        body.Str("code").Should().Be("session_forbidden");
    }

    [Fact]
    public async Task Unknown_session_returns_404()
    {
        var (status, body) = await SendAsync(Request(HttpMethod.Get, "http://localhost/runtime/ses-unknown/github/api/user", $"Bearer {fixture.Host.Token}", "Bearer svc"));

        status.Should().Be(404);
        body.Str("code").Should().Be("session_not_found");
    }

    [Fact]
    public async Task Clone_not_in_session_returns_404()
    {
        await using var session = await StartAsync("github");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"http://localhost/runtime/{session.Id}/slack/api/auth.test", $"Bearer {fixture.Host.Token}", "Bearer xoxb-1"));

        status.Should().Be(404);
        body.Str("code").Should().Be("clone_not_in_session");
    }

    [Fact]
    public async Task Runtime_url_without_api_segment_returns_404()
    {
        await using var session = await StartAsync("github");

        var (status, body) = await SendAsync(Request(HttpMethod.Get, $"http://localhost/runtime/{session.Id}/github/user", $"Bearer {fixture.Host.Token}", "Bearer svc"));

        status.Should().Be(404);
        body.Str("code").Should().Be("not_found");
    }

    [Fact]
    public async Task Ended_session_returns_410_session_ended()
    {
        var session = await StartAsync("github");
        using var github = session.CreateClient("github");
        await session.EndAsync();

        var (status, body) = await (await github.GetAsync("user")).ReadJsonAsync();

        status.Should().Be(410);
        body.Str("code").Should().Be("session_ended");
    }

    [Fact]
    public async Task Rate_limit_caps_total_runtime_requests_with_429()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github") { RateLimit = 2 });
        using var github = session.CreateClient("github");

        using var first = await github.GetAsync("user");
        using var second = await github.GetAsync("user");
        var (status, body) = await (await github.GetAsync("user")).ReadJsonAsync();

        ((int)first.StatusCode).Should().Be(200);
        ((int)second.StatusCode).Should().Be(200);
        status.Should().Be(429);
        body.Str("code").Should().Be("session_rate_limit_exceeded");
    }

    [Fact]
    public async Task Subdomain_form_reaches_the_same_clone_and_urls_use_that_form()
    {
        await using var session = await StartAsync("echo");
        var request = Request(HttpMethod.Get, "http://localhost/echo/api/echo", $"Bearer {fixture.Host.Token}", "Bearer svc");
        request.Headers.Host = $"{session.Id}.clones.localhost";

        var (status, body) = await SendAsync(request);

        status.Should().Be(200);
        body.Str("session_id").Should().Be(session.Id);
        body.Str("api_base_url").Should().Be($"http://{session.Id}.clones.localhost/echo/api");
    }

    [Fact]
    public async Task Github_without_service_authorization_answers_githubs_401()
    {
        await using var session = await StartAsync("github");

        using var client = fixture.Host.CreateRawClient();
        using var request = Request(HttpMethod.Get, $"{session.ApiBaseUrls["github"]}/user", $"Bearer {fixture.Host.Token}", null);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).Should().Be(401);
        JsonNode.Parse(text)!.ToJsonString().Should().Be(
            """{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#authentication","status":"401"}""");
    }

    [Fact]
    public async Task Github_get_user_returns_the_seeds_default_user()
    {
        await using var session = await StartAsync("github");
        using var github = session.CreateClient("github");

        var user = await github.GetFromJsonAsync<JsonObject>("user");

        user.Str("login").Should().Be("octocat");
        user.Str("url").Should().Be($"{session.ApiBaseUrls["github"]}/users/octocat");
    }

    [Fact]
    public async Task Sessions_are_isolated_from_each_other()
    {
        await using var a = await StartAsync("echo");
        await using var b = await StartAsync("echo");
        using var clientA = a.CreateClient("echo");

        using var put = await clientA.PostAsync("notes/k", new StringContent("only in a"));

        a.GetState<EchoState>("echo").Notes.Count.Should().Be(1);
        b.GetState<EchoState>("echo").Notes.Count.Should().Be(0);
    }

    [Fact]
    public async Task Runtime_calls_are_counted_in_the_run_record()
    {
        await using var session = await StartAsync("github", "echo");
        using var github = session.CreateClient("github");
        using var echo = session.CreateClient("echo");
        (await github.GetAsync("user")).Dispose();
        (await github.GetAsync("user")).Dispose();
        (await echo.GetAsync("echo")).Dispose();

        var run = await session.GetRunRecordAsync();

        run["requests"]!["total"]!.GetValue<long>().Should().Be(3);
        run["requests"]!["byClone"]!["github"]!.GetValue<long>().Should().Be(2);
        run["requests"]!["byClone"]!["echo"]!.GetValue<long>().Should().Be(1);
    }
}
