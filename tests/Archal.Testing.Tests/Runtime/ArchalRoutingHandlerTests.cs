using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Hosting;
using Archal.Testing.Runtime;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Runtime;

public class ArchalRoutingHandlerTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string GitHubToken = "ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt";

    private async Task<ArchalSession> StartAsync(params string[] clones) =>
        await fixture.Host.CreateSessionAsync(new SessionRequest(clones));

    private static HttpClient Client(ArchalRoutingHandler handler, string? authorization = null)
    {
        var client = new HttpClient(handler);
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        return client;
    }

    [Fact]
    public async Task Production_github_url_reaches_the_sessions_github_clone()
    {
        await using var session = await StartAsync("github");
        using var client = Client(session.CreateRoutingHandler(), $"Bearer {GitHubToken}");

        var user = await client.GetFromJsonAsync<JsonObject>("https://api.github.com/user");

        user!["login"]!.GetValue<string>().Should().Be("octocat");
        session.Trace.Entries.Should().ContainSingle().Which.Operation.Should().Be("users/get-authenticated");
    }

    [Fact]
    public async Task Method_path_query_headers_and_body_reach_the_clone_unchanged_and_only_the_service_token_is_seen()
    {
        await using var session = await StartAsync("echo");
        using var client = Client(session.CreateRoutingHandler(), "Bearer app-own-token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://echo.example.com/v2/echo?q=a%20b&page=2");
        request.Headers.TryAddWithoutValidation("X-App-Header", "kept");

        using var response = await client.SendAsync(request);
        var echoed = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        using var put = await client.PostAsync("https://echo.example.com/v2/notes/greeting", new StringContent("héllo, wörld", Encoding.UTF8));

        var headers = echoed["headers"]!.AsObject();
        headers["authorization"]!.GetValue<string>().Should().Be("Bearer app-own-token");
        headers["x-app-header"]!.GetValue<string>().Should().Be("kept");
        headers.Should().NotContainKey("x-route-authorization");
        session.Trace.Entries[0].Query.Should().Be("?q=a%20b&page=2");
        put.StatusCode.Should().Be(HttpStatusCode.Created);
        session.GetState<EchoState>("echo").Notes.Find("greeting")!.Text.Should().Be("héllo, wörld");
    }

    [Fact]
    public async Task The_app_sees_its_own_request_uri_on_the_response()
    {
        await using var session = await StartAsync("github");
        using var client = Client(session.CreateRoutingHandler(), $"Bearer {GitHubToken}");

        using var response = await client.GetAsync("https://api.github.com/user");

        response.RequestMessage!.RequestUri.Should().Be(new Uri("https://api.github.com/user"));
        response.RequestMessage.Headers.Contains("x-route-authorization").Should().BeFalse();
    }

    [Fact]
    public async Task Slack_methods_under_slack_com_api_reach_the_slack_clone()
    {
        await using var session = await StartAsync("slack");
        using var client = Client(session.CreateRoutingHandler(), $"Bearer {fixture.Host.Options.Clones.Single(c => c.Id == "slack").DefaultServiceToken}");

        using var response = await client.PostAsync("https://slack.com/api/auth.test", new FormUrlEncodedContent([]));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        body["ok"]!.GetValue<bool>().Should().BeTrue(body.ToJsonString());
        session.Trace.Entries.Should().ContainSingle().Which.CloneId.Should().Be("slack");
    }

    [Fact]
    public async Task Unrouted_host_is_refused_at_once_naming_the_host_and_the_pass_through_option()
    {
        await using var session = await StartAsync("github");
        using var client = Client(session.CreateRoutingHandler());

        var act = () => client.GetAsync("https://example.org/data");

        var refused = (await act.Should().ThrowAsync<ArchalRoutingException>()).Which;
        refused.Message.Should().Be(
            $"Archal routing refused GET https://example.org/data: no clone in session {session.Id} serves example.org/data, " +
            "and nothing leaves the process unless you allow it. This session routes https://api.github.com/ → github. " +
            "To let example.org reach the network, add \"example.org\" to ArchalRoutingOptions.PassThroughHosts.");
        refused.RequestUri.Should().Be(new Uri("https://example.org/data"));
        session.Trace.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task Github_upload_host_is_refused_saying_the_github_clone_serves_the_api_host_only()
    {
        await using var session = await StartAsync("github");
        using var client = Client(session.CreateRoutingHandler());

        var act = () => client.PostAsync("https://uploads.github.com/repos/acme/webapp/releases/1/assets?name=a.zip", new ByteArrayContent([1, 2]));

        (await act.Should().ThrowAsync<ArchalRoutingException>())
            .Which.Message.Should().Contain("serves uploads.github.com/repos/acme/webapp/releases/1/assets")
            .And.Contain("The 'github' clone serves https://api.github.com/ only.");
    }

    [Fact]
    public async Task Slack_outside_the_api_path_is_refused()
    {
        await using var session = await StartAsync("slack");
        using var client = Client(session.CreateRoutingHandler());

        var act = () => client.GetAsync("https://slack.com/oauth/v2/authorize");

        (await act.Should().ThrowAsync<ArchalRoutingException>())
            .Which.Message.Should().Contain("The 'slack' clone serves https://slack.com/api/ only.");
    }

    [Fact]
    public async Task Service_whose_clone_is_not_in_the_session_is_refused_with_the_clone_to_add()
    {
        await using var session = await StartAsync("github");
        using var client = Client(session.CreateRoutingHandler());

        var act = () => client.GetAsync("https://api.stripe.com/v1/customers");

        (await act.Should().ThrowAsync<ArchalRoutingException>()).Which.Message.Should().Be(
            $"Archal routing refused GET https://api.stripe.com/v1/customers: api.stripe.com is served by the 'stripe' clone, " +
            $"which session {session.Id} does not include. Add \"stripe\" to the SessionRequest's clones.");
    }

    [Fact]
    public async Task Pass_through_host_goes_to_the_pass_through_handler()
    {
        await using var session = await StartAsync("github");
        var network = new RecordingHandler();
        var options = new ArchalRoutingOptions { PassThroughHandlerFactory = () => network };
        options.PassThroughHosts.Add("localhost:5001");
        using var client = Client(session.CreateRoutingHandler(options));

        using var response = await client.GetAsync("http://localhost:5001/health");
        var refused = () => client.GetAsync("http://localhost:5002/health");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        network.Requests.Should().Equal(new Uri("http://localhost:5001/health"));
        await refused.Should().ThrowAsync<ArchalRoutingException>();
    }

    [Fact]
    public async Task Pagination_links_the_clone_renders_are_followed_through_the_handler()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        using var client = Client(session.CreateRoutingHandler(), $"Bearer {GitHubToken}");

        using var first = await client.GetAsync("https://api.github.com/repos/acme/webapp/issues?per_page=2");
        var next = first.Headers.GetValues("Link").Single().Split(',').Single(l => l.Contains("rel=\"next\"", StringComparison.Ordinal));
        var nextUrl = next[(next.IndexOf('<', StringComparison.Ordinal) + 1)..next.IndexOf('>', StringComparison.Ordinal)];
        using var second = await client.GetAsync(nextUrl);

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.Content.ReadFromJsonAsync<JsonArray>())!.Should().HaveCount(2);
        session.Trace.Entries.Should().HaveCount(2);
    }

    [Fact]
    public async Task Parallel_sessions_routed_on_one_host_never_see_each_others_state()
    {
        var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"))));
        try
        {
            await Task.WhenAll(sessions.Select(async (session, i) =>
            {
                using var client = Client(session.CreateRoutingHandler(), $"Bearer {GitHubToken}");
                using var response = await client.PostAsJsonAsync("https://api.github.com/repos/acme/webapp/issues", new { title = $"from session {i}" });
                response.EnsureSuccessStatusCode();
            }));

            for (var i = 0; i < sessions.Length; i++)
            {
                var titles = sessions[i].GetState<GitHubState>("github").Issues.Items.Where(issue => issue.Title.StartsWith("from session", StringComparison.Ordinal));
                titles.Select(issue => issue.Title).Should().Equal($"from session {i}");
                sessions[i].Trace.Entries.Should().ContainSingle().Which.Operation.Should().Be("issues/create");
                sessions[i].Changes.Of("github", "issue").Should().ContainSingle();
            }
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Relative_request_uri_is_refused_asking_for_a_base_address()
    {
        await using var session = await StartAsync("github");
        using var invoker = new HttpMessageInvoker(session.CreateRoutingHandler());

        var act = () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("user", UriKind.Relative)), CancellationToken.None);

        (await act.Should().ThrowAsync<ArchalRoutingException>()).Which.Message.Should().Contain("needs an absolute request URI");
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
