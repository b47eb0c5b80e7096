using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.FluentAssertions;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Archal.Testing.Tests.Mcp;

/// <summary>The per-session MCP endpoint of each clone, driven with the official C# SDK client over the in-memory host.</summary>
public class McpEndpointTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private Task<ArchalSession> StartAsync(params string[] clones) =>
        fixture.Host.CreateSessionAsync(new SessionRequest(clones).WithSeed("github", "small-project"));

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    [Fact]
    public async Task Session_summary_and_agent_environment_name_each_clones_mcp_url()
    {
        await using var session = await StartAsync("github", "slack");

        session.Summary["mcp"]!["github"]!.GetValue<string>().Should().Be($"{session.Endpoints["github"]}/mcp");
        session.McpUrls["slack"].Should().Be(new Uri($"{session.Endpoints["slack"]}/mcp"));
        session.AgentEnvironment["ARCHAL_GITHUB_MCP_URL"].Should().Be($"{session.Endpoints["github"]}/mcp");
    }

    [Fact]
    public async Task The_official_client_lists_the_github_servers_tools()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().Contain(["get_me", "issue_write", "issue_read", "add_issue_comment", "create_pull_request", "create_branch"]);
        var issueWrite = tools.Single(t => t.Name == "issue_write");
        issueWrite.Description.Should().Be("Create a new or update an existing issue in a GitHub repository.");
        issueWrite.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("method", "owner", "repo");
        client.ServerInfo!.Name.Should().Be("archal-testing-github");
        session.Trace.Entries.Should().BeEmpty("initialize and tools/list are protocol traffic, not calls to the service");
    }

    [Fact]
    public async Task A_tool_call_changes_the_state_that_rest_reads_and_is_traced_as_mcp()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");

        var result = await client.CallToolAsync("issue_write", new Dictionary<string, object?>
        {
            ["method"] = "create", ["owner"] = "acme", ["repo"] = "webapp", ["title"] = "Filed over MCP", ["labels"] = new[] { "bug" },
        });

        result.IsError.Should().NotBe(true, Text(result));
        var created = JsonNode.Parse(Text(result))!;
        created["url"]!.GetValue<string>().Should().MatchRegex("/acme/webapp/issues/[0-9]+$");
        var number = created["url"]!.GetValue<string>().Split('/')[^1];

        using var rest = session.CreateClient("github");
        var issue = await rest.GetFromJsonAsync<JsonObject>($"repos/acme/webapp/issues/{number}");
        issue!["title"]!.GetValue<string>().Should().Be("Filed over MCP");
        issue["id"]!.ToJsonString().Should().Be(created["id"]!.GetValue<string>());

        var call = session.Trace.Entries.Should().ContainSingle(e => e.Transport == "mcp").Subject;
        call.Tool.Should().Be("issue_write");
        call.Operation.Should().Be("issues/create");
        call.Status.Should().Be(201);
        call.Mutations.Should().NotBeEmpty();
        session.Trace.Should().ContainCall("github", "POST /repos/{owner}/{repo}/issues").Once();
        session.Trace.Should().ContainCall("github", "issue_write").Once();
    }

    [Fact]
    public async Task A_service_error_is_an_mcp_tool_error_with_the_services_message()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");

        var result = await client.CallToolAsync("issue_read", new Dictionary<string, object?>
        {
            ["method"] = "get", ["owner"] = "acme", ["repo"] = "nope", ["issue_number"] = 1,
        });

        result.IsError.Should().BeTrue();
        Text(result).Should().Be("failed to get issue: 404 Not Found");
        session.Trace.Entries.Should().ContainSingle().Which.Status.Should().Be(404);
    }

    [Fact]
    public async Task An_unknown_tool_is_a_protocol_error()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");

        var call = async () => await client.CallToolAsync("create_gist", new Dictionary<string, object?>());

        (await call.Should().ThrowAsync<ModelContextProtocol.McpProtocolException>()).Which.Message.Should().Contain("Unknown tool: 'create_gist'");
    }

    [Fact]
    public async Task Without_a_service_token_the_clone_answers_as_github_does()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github", serviceToken: "");

        var result = await client.CallToolAsync("get_me", new Dictionary<string, object?>());

        result.IsError.Should().BeTrue();
        Text(result).Should().Be("failed to get user: 401 Requires authentication");
    }

    [Fact]
    public async Task The_tools_catalog_is_served_without_a_session()
    {
        using var client = fixture.Host.CreateClient();

        var catalog = await client.GetFromJsonAsync<JsonObject>("/api/clones/github/tools");
        using var missing = await client.GetAsync("/api/clones/gitlab/tools");

        catalog!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().StartWith(["get_me", "list_issues", "issue_read", "issue_write"]);
        catalog["tools"]![3]!["operations"]!.AsArray().Select(o => o!.GetValue<string>()).Should().Equal("issues/create", "issues/update");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_missing_argument_is_a_tool_error_before_any_call()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");

        var result = await client.CallToolAsync("add_issue_comment", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["body"] = "hi" });

        result.IsError.Should().BeTrue();
        Text(result).Should().Be("missing required parameter: issue_number");
        session.Trace.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task File_tools_write_a_file_on_a_branch_and_read_it_back_as_text()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");
        await client.CallToolAsync("create_branch", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["branch"] = "docs" });

        var written = await client.CallToolAsync("create_or_update_file", new Dictionary<string, object?>
        {
            ["owner"] = "acme", ["repo"] = "webapp", ["path"] = "docs/mcp.md", ["content"] = "# Hello\n", ["message"] = "Add docs", ["branch"] = "docs",
        });
        var file = await client.CallToolAsync("get_file_contents", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["path"] = "docs/mcp.md", ["ref"] = "docs" });
        var root = await client.CallToolAsync("get_file_contents", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["ref"] = "docs" });

        written.IsError.Should().NotBe(true, Text(written));
        Text(file).Should().Be("# Hello\n");
        JsonNode.Parse(Text(root))!.AsArray().Select(e => e!["name"]!.GetValue<string>()).Should().Contain("docs");
        using var rest = session.CreateClient("github");
        (await rest.GetAsync("repos/acme/webapp/contents/docs/mcp.md?ref=main")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the file is on the branch only");
    }

    [Fact]
    public async Task Pull_request_tools_open_and_merge_a_pull_request()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");
        await client.CallToolAsync("create_branch", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["branch"] = "fix" });
        await client.CallToolAsync("create_or_update_file", new Dictionary<string, object?>
        {
            ["owner"] = "acme", ["repo"] = "webapp", ["path"] = "FIX.md", ["content"] = "fixed", ["message"] = "Fix", ["branch"] = "fix",
        });

        var opened = await client.CallToolAsync("create_pull_request", new Dictionary<string, object?>
        {
            ["owner"] = "acme", ["repo"] = "webapp", ["title"] = "Fix it", ["head"] = "fix", ["base"] = "main",
        });
        var number = int.Parse(JsonNode.Parse(Text(opened))!["url"]!.GetValue<string>().Split('/')[^1]);
        var merged = await client.CallToolAsync("merge_pull_request", new Dictionary<string, object?>
        {
            ["owner"] = "acme", ["repo"] = "webapp", ["pullNumber"] = number, ["merge_method"] = "squash",
        });
        var again = await client.CallToolAsync("merge_pull_request", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["pullNumber"] = number });

        opened.IsError.Should().NotBe(true, Text(opened));
        JsonNode.Parse(Text(merged))!["merged"]!.GetValue<bool>().Should().BeTrue();
        again.IsError.Should().BeTrue();
        Text(again).Should().StartWith("failed to merge pull request: 405 ");
        using var rest = session.CreateClient("github");
        (await rest.GetFromJsonAsync<JsonObject>($"repos/acme/webapp/pulls/{number}"))!["merged"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task A_tool_that_sends_several_operations_traces_each_under_its_name()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github");

        var result = await client.CallToolAsync("create_branch", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["branch"] = "mcp/topic" });

        result.IsError.Should().NotBe(true, Text(result));
        session.Trace.Entries.Select(e => (e.Tool, e.Operation)).Should().Equal(
            ("create_branch", "repos/get"), ("create_branch", "git/get-ref"), ("create_branch", "git/create-ref"));
        using var rest = session.CreateClient("github");
        (await rest.GetAsync("repos/acme/webapp/branches/mcp/topic")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_clone_sees_the_service_token_the_mcp_client_was_given()
    {
        await using var session = await StartAsync("github");
        await using var client = await session.CreateMcpClientAsync("github", serviceToken: "ghp_MonaLisaToken");

        await client.CallToolAsync("get_me", new Dictionary<string, object?>());

        session.Trace.Entries.Should().ContainSingle().Which.RequestHeaders["Authorization"].Should().NotContain("MonaLisaToken", "traces redact credentials")
            .And.StartWith("Bearer ");
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("Bearer not-a-token", 401)]
    public async Task The_route_hop_guards_the_mcp_endpoint_as_it_guards_rest(string? route, int expected)
    {
        await using var session = await StartAsync("github");
        using var client = fixture.Host.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, session.McpUrls["github"]) { Content = Initialize() };
        if (route is not null)
        {
            request.Headers.TryAddWithoutValidation("x-route-authorization", route);
        }

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(expected);
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"].Should().NotBeNull();
    }

    [Fact]
    public async Task Another_owners_token_is_403_at_the_mcp_endpoint()
    {
        await using var session = await StartAsync("github");
        var intruder = fixture.Host.Tokens.IssuePersonalToken("mcp-intruder");
        using var client = fixture.Host.CreateRawClient();
        client.DefaultRequestHeaders.Add("x-route-authorization", $"Bearer {intruder.Value}");

        using var response = await client.PostAsync(session.McpUrls["github"], Initialize());

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_clone_outside_the_session_is_404_and_an_ended_session_410()
    {
        var session = await StartAsync("github");
        using var client = fixture.Host.CreateRawClient();
        client.DefaultRequestHeaders.Add("x-route-authorization", $"Bearer {session.RouteToken}");

        using (var missing = await client.PostAsync($"{session.Endpoints["github"].ToString().Replace("/github", "/stripe")}/mcp", Initialize()))
        {
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        await session.DisposeAsync();
        using var ended = await client.PostAsync(session.McpUrls["github"], Initialize());
        ended.StatusCode.Should().Be(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Each_operation_a_tool_sends_counts_against_the_rate_limit_and_protocol_traffic_does_not()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github") { RateLimit = 2 }.WithSeed("github", "small-project"));
        await using var client = await session.CreateMcpClientAsync("github");
        await client.ListToolsAsync();

        // create_branch sends three operations; the third is over the limit.
        var result = await client.CallToolAsync("create_branch", new Dictionary<string, object?> { ["owner"] = "acme", ["repo"] = "webapp", ["branch"] = "x" });

        result.IsError.Should().BeTrue();
        Text(result).Should().Be($"failed to create branch: 429 Session '{session.Id}' has used all 2 runtime requests its rateLimit allows.");
        session.Record.RequestCount.Should().Be(2, "initialize and tools/list were not counted");

        var refused = async () => await client.CallToolAsync("get_me", new Dictionary<string, object?>());
        (await refused.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.TooManyRequests,
            "with no budget left the MCP endpoint answers 429 like REST");
    }

    [Fact]
    public async Task An_open_event_stream_does_not_hold_the_clones_gate()
    {
        await using var session = await StartAsync("github");
        using var http = session.CreateClient("github");
        using var init = new HttpRequestMessage(HttpMethod.Post, session.McpUrls["github"]) { Content = Initialize() };
        init.Headers.Accept.ParseAdd("application/json");
        init.Headers.Accept.ParseAdd("text/event-stream");
        using var initialized = await http.SendAsync(init);
        initialized.StatusCode.Should().Be(HttpStatusCode.OK);
        var mcpSession = initialized.Headers.GetValues("Mcp-Session-Id").Single();

        using var get = new HttpRequestMessage(HttpMethod.Get, session.McpUrls["github"]);
        get.Headers.Add("Mcp-Session-Id", mcpSession);
        get.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        get.Headers.Accept.ParseAdd("text/event-stream");
        using var stream = await http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.OK);

        // While the stream is open, a REST call to the same clone is served.
        using var rest = session.CreateClient("github");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (await rest.GetAsync("user", cts.Token)).StatusCode.Should().Be(HttpStatusCode.OK);
        session.Snapshot("github").Should().NotBeNull("reading state takes the gate too");
    }

    private static StringContent Initialize() => new(
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
        Encoding.UTF8, "application/json");
}

/// <summary>The Slack and Stripe tool tables, through the same endpoint.</summary>
public class McpVendorToolTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    [Fact]
    public async Task Slack_tools_post_into_a_channel_that_the_web_api_reads_back()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("slack").WithSeed("slack", "engineering-team"));
        await using var client = await session.CreateMcpClientAsync("slack");

        var channels = JsonNode.Parse(Text(await client.CallToolAsync("slack_list_channels", new Dictionary<string, object?>())))!;
        var general = channels["channels"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "general")!["id"]!.GetValue<string>();
        var posted = await client.CallToolAsync("slack_post_message", new Dictionary<string, object?> { ["channel_id"] = general, ["text"] = "hello from mcp" });
        var ts = JsonNode.Parse(Text(posted))!["ts"]!.GetValue<string>();
        var reply = await client.CallToolAsync("slack_reply_to_thread", new Dictionary<string, object?> { ["channel_id"] = general, ["thread_ts"] = ts, ["text"] = "threaded" });

        reply.IsError.Should().NotBe(true, Text(reply));
        using var rest = session.CreateClient("slack");
        var history = await rest.GetFromJsonAsync<JsonObject>($"conversations.history?channel={general}&limit=1");
        history!["messages"]![0]!["text"]!.GetValue<string>().Should().Be("hello from mcp");
        session.Trace.Entries.Where(e => e.Transport == "mcp").Select(e => (e.Tool, e.Operation)).Should().Equal(
            ("slack_list_channels", "conversations.list"), ("slack_post_message", "chat.postMessage"), ("slack_reply_to_thread", "chat.postMessage"));
        session.Trace.Entries.Select(e => e.Method).Should().StartWith(["GET", "POST", "POST"], "the reference server reads with GET and writes with POST");
    }

    [Fact]
    public async Task A_slack_error_is_a_tool_error_with_slacks_answer()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("slack"));
        await using var client = await session.CreateMcpClientAsync("slack");

        var result = await client.CallToolAsync("slack_post_message", new Dictionary<string, object?> { ["channel_id"] = "C0NOPE", ["text"] = "x" });

        result.IsError.Should().BeTrue();
        JsonNode.Parse(Text(result))!["error"]!.GetValue<string>().Should().Be("channel_not_found");
    }

    [Fact]
    public async Task Stripe_tools_create_a_customer_that_the_api_reads_back()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe"));
        await using var client = await session.CreateMcpClientAsync("stripe");

        var created = await client.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Ada", ["email"] = "ada@example.com" });
        var id = JsonNode.Parse(Text(created))!["id"]!.GetValue<string>();
        var listed = JsonNode.Parse(Text(await client.CallToolAsync("list_customers", new Dictionary<string, object?> { ["email"] = "ada@example.com" })))!;

        id.Should().StartWith("cus_");
        listed.AsArray().Select(c => c!["id"]!.GetValue<string>()).Should().Equal(id);
        using var rest = session.CreateClient("stripe");
        (await rest.GetFromJsonAsync<JsonObject>($"v1/customers/{id}"))!["name"]!.GetValue<string>().Should().Be("Ada");
    }

    [Fact]
    public async Task Stripe_tools_price_a_product_refund_a_payment_and_cancel_a_subscription()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe").WithSeed("stripe", "subscription-heavy"));
        await using var client = await session.CreateMcpClientAsync("stripe");
        async Task<JsonNode> Call(string tool, Dictionary<string, object?> arguments)
        {
            var result = await client.CallToolAsync(tool, arguments);
            result.IsError.Should().NotBe(true, Text(result));
            return JsonNode.Parse(Text(result))!;
        }

        var product = await Call("create_product", new() { ["name"] = "Pro plan" });
        var price = await Call("create_price", new() { ["product"] = product["id"]!.GetValue<string>(), ["unit_amount"] = 1900, ["currency"] = "usd" });
        var prices = await Call("list_prices", new() { ["product"] = product["id"]!.GetValue<string>() });
        var subscription = (await Call("list_subscriptions", new() { ["status"] = "active", ["limit"] = 1 }))[0]!;
        var canceled = await Call("cancel_subscription", new() { ["subscription"] = subscription["id"]!.GetValue<string>() });

        prices.AsArray().Select(p => p!["id"]!.GetValue<string>()).Should().Equal(price["id"]!.GetValue<string>());
        price["unit_amount"]!.GetValue<int>().Should().Be(1900);
        canceled["status"]!.GetValue<string>().Should().Be("canceled");
        using var rest = session.CreateClient("stripe");
        (await rest.GetFromJsonAsync<JsonObject>($"v1/subscriptions/{subscription["id"]}"))!["status"]!.GetValue<string>().Should().Be("canceled");
    }

    [Fact]
    public async Task A_stripe_error_is_a_tool_error_with_the_toolkits_wording_and_stripes_message()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe"));
        await using var client = await session.CreateMcpClientAsync("stripe");

        var result = await client.CallToolAsync("create_price", new Dictionary<string, object?> { ["product"] = "prod_missing", ["unit_amount"] = 500, ["currency"] = "usd" });

        result.IsError.Should().BeTrue();
        Text(result).Should().Be("Failed to create price: 400 No such product: 'prod_missing'");
    }

    [Fact]
    public void Every_clone_declares_tools_that_name_operations_in_its_table()
    {
        foreach (var clone in fixture.Host.Runtime.Clones.Where(c => c.Tools.Count > 0))
        {
            var operations = clone.Operations.Select(o => o.Id).ToHashSet();
            foreach (var tool in clone.Tools)
            {
                tool.Operations.Should().NotBeEmpty($"{clone.Id} {tool.Name}");
                tool.Operations.Should().BeSubsetOf(operations, $"{clone.Id} {tool.Name}");
                tool.InputSchema["type"]!.GetValue<string>().Should().Be("object");
            }
        }

        fixture.Host.Runtime.Clones.Select(c => (c.Id, c.Tools.Count)).Should().Contain([("github", 19), ("slack", 8), ("stripe", 12)]);
    }
}

/// <summary>The same endpoint over a real socket, with the subdomain form too.</summary>
public sealed class McpKestrelTests : IAsyncLifetime
{
    private readonly ArchalHost _host = new(new ArchalHostOptions { UseKestrel = true });

    public Task InitializeAsync() => _host.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task The_official_client_over_kestrel_calls_tools_that_change_state()
    {
        await using var session = await _host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        session.McpUrls["github"].IsLoopback.Should().BeTrue();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("x-route-authorization", $"Bearer {session.RouteToken}");
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {session.ServiceTokens["github"]}");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = session.McpUrls["github"], TransportMode = HttpTransportMode.StreamableHttp }, http));

        var result = await client.CallToolAsync("add_issue_comment", new Dictionary<string, object?>
        {
            ["owner"] = "acme", ["repo"] = "webapp", ["issue_number"] = 1, ["body"] = "over a socket",
        });

        result.IsError.Should().NotBe(true);
        using var rest = session.CreateClient("github");
        var comments = await rest.GetFromJsonAsync<JsonArray>("repos/acme/webapp/issues/1/comments?per_page=100");
        comments!.Select(c => c!["body"]!.GetValue<string>()).Should().Contain("over a socket");
        var record = await session.GetRunRecordAsync();
        record.ToJsonString().Should().Contain("\"tool\":\"add_issue_comment\"").And.Contain("\"transport\":\"mcp\"");
    }

    [Fact]
    public async Task The_subdomain_form_reaches_the_same_endpoint()
    {
        await using var session = await _host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var port = _host.BaseAddress.Port;
        using var handler = new SocketsHttpHandler { ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        } };
        using var http = new HttpClient(handler);
        http.DefaultRequestHeaders.Add("x-route-authorization", $"Bearer {session.RouteToken}");
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {session.ServiceTokens["github"]}");
        var endpoint = new Uri($"http://{session.Id}.clones.localhost:{port}/github/mcp");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp }, http));

        var me = await client.CallToolAsync("get_me", new Dictionary<string, object?>());

        me.IsError.Should().NotBe(true);
        session.Trace.Entries.Should().ContainSingle().Which.Url.Should().Be($"http://{session.Id}.clones.localhost:{port}/github/api/user");
    }
}
