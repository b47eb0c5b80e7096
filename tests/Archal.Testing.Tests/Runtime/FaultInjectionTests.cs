using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Runtime;

/// <summary>Fault rules over HTTP and from C#: which calls fail, what they get, and how the trace shows it.</summary>
public class FaultInjectionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly object NewIssue = new { title = "Flaky" };

    private async Task<JsonObject> AddFaultAsync(ArchalSession session, object rule, int expectedStatus = 201)
    {
        using var client = fixture.Host.CreateClient(session.RouteToken);
        using var response = await client.PostAsJsonAsync($"/api/sessions/{session.Id}/faults", rule);
        var (status, body) = await response.ReadJsonAsync();
        status.Should().Be(expectedStatus, body.ToJsonString());
        return body;
    }

    private static async Task<List<int>> CreateIssuesAsync(ArchalSession session, int count)
    {
        using var github = session.CreateClient("github");
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await github.PostAsJsonAsync("repos/acme/webapp/issues", NewIssue);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }

    private Task<ArchalSession> GitHubAsync(SessionRequest? request = null) =>
        fixture.Host.CreateSessionAsync(request ?? new SessionRequest("github").WithSeed("github", "small-project"));

    [Fact]
    public async Task First_calls_fail_with_GitHubs_503_then_the_operation_works()
    {
        await using var session = await GitHubAsync();
        var rule = await AddFaultAsync(session, new { clone = "github", operation = "issues/create", trigger = new { firstCalls = 2 }, effect = new { status = 503 } });

        var statuses = await CreateIssuesAsync(session, 3);

        rule.Str("id").Should().Be("flt-1");
        statuses.Should().Equal(503, 503, 201);
        var injected = session.Trace.Entries.Where(e => e.Injected).ToList();
        injected.Select(e => e.FaultId).Should().Equal("flt-1", "flt-1");
        JsonNode.Parse(injected[0].ResponseBody!)!.Str("message").Should().Be("Service Unavailable");
        session.ReadState((Archal.Testing.Clones.GitHub.GitHubState s) => s.Issues.Items.Count(i => i.Title == "Flaky"), "github").Should().Be(1);
    }

    [Fact]
    public async Task Rules_on_other_operations_and_filtered_requests_do_not_count_the_call()
    {
        await using var session = await GitHubAsync();
        await AddFaultAsync(session, new { clone = "github", operation = "issues/get", effect = new { status = 500 } });
        await AddFaultAsync(session, new
        {
            clone = "github",
            path = "/repos/{owner}/{repo}/issues",
            when = new { method = "POST", bodyContains = "\"title\":\"Boom\"" },
            effect = new { status = 502 },
        });
        using var github = session.CreateClient("github");

        using var plain = await github.PostAsJsonAsync("repos/acme/webapp/issues", NewIssue);
        using var boom = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Boom" });
        using var list = await github.GetAsync("repos/acme/webapp/issues");

        ((int)plain.StatusCode).Should().Be(201);
        ((int)boom.StatusCode).Should().Be(502);
        (await boom.Content.ReadFromJsonAsync<JsonObject>()).Str("message").Should().Be("Server Error");
        ((int)list.StatusCode).Should().Be(200);
        var rules = session.Faults.List();
        rules.Select(r => (r["calls"]!.GetValue<long>(), r["injected"]!.GetValue<long>())).Should().Equal((0L, 0L), (1L, 1L));
    }

    [Fact]
    public async Task Every_nth_and_call_ranges_pick_the_same_calls_every_time()
    {
        await using var session = await GitHubAsync();
        session.Faults.Add(new FaultRule("github", "issues/create", FaultTrigger.EveryNth(3), FaultEffect.Status(500)));
        session.Faults.Add(new FaultRule("github", "issues/create", FaultTrigger.Calls(5, 6), FaultEffect.Status(502)));

        var statuses = await CreateIssuesAsync(session, 7);

        statuses.Should().Equal(201, 201, 500, 201, 502, 500, 201);
    }

    [Fact]
    public async Task Probability_draws_from_the_session_seed_so_two_runs_fail_the_same_calls()
    {
        var request = new SessionRequest("github").WithSeed("github", "small-project").WithRandomSeed(7)
            .WithFault(new FaultRule("github", "issues/create", FaultTrigger.Probability(0.5), FaultEffect.Status(503)));
        await using var first = await GitHubAsync(request);
        await using var second = await GitHubAsync(request);
        await using var otherSeed = await GitHubAsync(request.WithRandomSeed(8));

        var a = await CreateIssuesAsync(first, 24);
        var b = await CreateIssuesAsync(second, 24);
        var c = await CreateIssuesAsync(otherSeed, 24);

        a.Should().Equal(b);
        a.Should().Contain(503).And.Contain(201);
        c.Should().NotEqual(a, "another seed draws other calls");
        first.Trace.Entries.Where(e => e.Injected).Select(e => e.Sequence).Should().Equal(second.Trace.Entries.Where(e => e.Injected).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Deleted_rule_stops_injecting_and_lists_no_more()
    {
        await using var session = await GitHubAsync();
        var id = (await AddFaultAsync(session, new { clone = "github", operation = "issues/create", effect = new { status = 503 } })).Str("id");
        using var client = fixture.Host.CreateClient(session.RouteToken);

        using var deleted = await client.DeleteAsync($"/api/sessions/{session.Id}/faults/{id}");
        using var again = await client.DeleteAsync($"/api/sessions/{session.Id}/faults/{id}");
        var (_, list) = await (await client.GetAsync($"/api/sessions/{session.Id}/faults")).ReadJsonAsync();

        ((int)deleted.StatusCode).Should().Be(204);
        var (status, error) = await again.ReadJsonAsync();
        status.Should().Be(404);
        error.Str("code").Should().Be("fault_not_found");
        list["count"]!.GetValue<int>().Should().Be(0);
        (await CreateIssuesAsync(session, 1)).Should().Equal(201);
    }

    [Theory]
    [InlineData("""{"clone":"github","operation":"issues/explode","effect":{"status":503}}""", "unknown_operation", "operation")]
    [InlineData("""{"clone":"github","path":"/nope","effect":{"status":503}}""", "unknown_path", "path")]
    [InlineData("""{"clone":"slack","operation":"chat.postMessage","effect":{"status":503}}""", "unknown_clone", "clone")]
    [InlineData("""{"operation":"issues/create","effect":{"status":503}}""", "missing_field", "clone")]
    [InlineData("""{"clone":"github","operation":"issues/create","trigger":{"firstCalls":0},"effect":{"status":503}}""", "out_of_range", "trigger.firstCalls")]
    [InlineData("""{"clone":"github","operation":"issues/create","trigger":{"calls":[4,2]},"effect":{"status":503}}""", "out_of_range", "trigger.calls")]
    [InlineData("""{"clone":"github","operation":"issues/create","trigger":{"probability":1.5},"effect":{"status":503}}""", "out_of_range", "trigger.probability")]
    [InlineData("""{"clone":"github","operation":"issues/create","trigger":{"firstCalls":1,"everyNth":2},"effect":{"status":503}}""", "invalid_value", "trigger")]
    [InlineData("""{"clone":"github","operation":"issues/create","trigger":{"sometimes":1},"effect":{"status":503}}""", "unknown_field", "trigger.sometimes")]
    [InlineData("""{"clone":"github","operation":"issues/create"}""", "missing_field", "effect")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{}}""", "invalid_value", "effect")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{"status":200}}""", "invalid_value", "effect.status")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{"status":403,"code":"tertiary_rate_limit"}}""", "invalid_value", "effect.code")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{"status":503,"drop":true}}""", "invalid_value", "effect.drop")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{"latencyMs":-1}}""", "out_of_range", "effect.latencyMs")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{"status":503},"extra":1}""", "unknown_field", "extra")]
    [InlineData("""{"clone":"github","delivery":"issues","operation":"issues/create","effect":{"duplicate":true}}""", "invalid_value", "operation")]
    [InlineData("""{"clone":"github","delivery":"issues","when":{"method":"POST"},"effect":{"duplicate":true}}""", "invalid_value", "when")]
    [InlineData("""{"clone":"github","delivery":"","effect":{"duplicate":true}}""", "invalid_type", "delivery")]
    [InlineData("""{"clone":"github","delivery":"issues opened","effect":{"duplicate":true}}""", "invalid_value", "delivery")]
    [InlineData("""{"clone":"github","delivery":"issues"}""", "missing_field", "effect")]
    [InlineData("""{"clone":"github","delivery":"issues","effect":{"duplicate":false}}""", "invalid_value", "effect")]
    [InlineData("""{"clone":"github","delivery":"issues","effect":{"duplicate":"yes"}}""", "invalid_type", "effect.duplicate")]
    [InlineData("""{"clone":"github","delivery":"issues","effect":{"status":503}}""", "invalid_value", "effect.status")]
    [InlineData("""{"clone":"github","delivery":"issues","trigger":{"everyNth":0},"effect":{"reorder":true}}""", "out_of_range", "trigger.everyNth")]
    [InlineData("""{"clone":"github","operation":"issues/create","effect":{"reorder":true}}""", "invalid_value", "effect.reorder")]
    [InlineData("""{"clone":"github","delivery":"issues","effect":{"reorder":true,"shuffle":true}}""", "unknown_field", "effect.shuffle")]
    public async Task Invalid_rule_returns_400_naming_the_field(string rule, string code, string field)
    {
        await using var session = await GitHubAsync();
        using var client = fixture.Host.CreateClient(session.RouteToken);

        using var response = await client.PostAsync($"/api/sessions/{session.Id}/faults", new StringContent(rule, System.Text.Encoding.UTF8, "application/json"));
        var (status, body) = await response.ReadJsonAsync();

        status.Should().Be(400);
        body.Str("error").Should().Be("invalid_request");
        body.Str("code").Should().Be(code);
        body.Str("field").Should().Be(field);
        body.Str("detail").Should().Be($"field: {field}");
        body.Str("message").Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Invalid_rule_in_runConfig_faults_refuses_the_session()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/sessions", new
        {
            clones = new[] { "github" },
            runConfig = new { faults = new object[] { new { clone = "github", operation = "issues/create", effect = new { status = 503 } }, new { clone = "github", operation = "nope", effect = new { status = 503 } } } },
        });
        var (status, body) = await response.ReadJsonAsync();

        status.Should().Be(400);
        body.Str("code").Should().Be("unknown_operation");
        body.Str("field").Should().Be("runConfig.faults[1].operation");
    }

    [Fact]
    public async Task Csharp_rule_with_an_unknown_operation_throws_naming_the_field()
    {
        await using var session = await GitHubAsync();

        var act = () => session.Faults.Add(new FaultRule("github", "issues/explode", null, FaultEffect.Status(500)));

        act.Should().Throw<ArgumentException>().WithMessage("The github clone has no operation 'issues/explode'*field operation*");
    }

    [Fact]
    public async Task Injected_calls_are_marked_in_the_run_record_and_the_HAR()
    {
        await using var session = await GitHubAsync(new SessionRequest("github").WithSeed("github", "small-project")
            .WithFault(new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(1), FaultEffect.Status(500))));

        await CreateIssuesAsync(session, 2);
        var record = await session.GetRunRecordAsync();
        var calls = record["trace"]!["entries"]!.AsArray();
        var har = session.ToHar()["log"]!["entries"]!.AsArray();

        calls[0]!["injected"]!.GetValue<bool>().Should().BeTrue();
        calls[0].Str("faultId").Should().Be("flt-1");
        calls[1]!["injected"].Should().BeNull();
        har[0]!["_archal"]!.Str("faultId").Should().Be("flt-1");
        har[1]!["_archal"]!["faultId"].Should().BeNull();
        session.Trace.Entries[0].ToString().Should().EndWith("[injected flt-1]");
        record["faults"]!.AsArray().Single()!.ToJsonString().Should().Be(
            """{"id":"flt-1","clone":"github","operation":"issues/create","trigger":{"firstCalls":1},"effect":{"status":500},"calls":2,"injected":1}""");
    }

    [Fact]
    public async Task Drop_in_process_fails_the_call_without_a_response_and_traces_status_0()
    {
        await using var session = await GitHubAsync(new SessionRequest("github").WithSeed("github", "small-project")
            .WithFault(new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(1), FaultEffect.DropConnection())));
        using var github = session.CreateClient("github");

        var act = async () => await github.PostAsJsonAsync("repos/acme/webapp/issues", NewIssue);

        // TestServer has no socket to drop: HttpContext.Abort() fails the in-memory call with this exception.
        (await act.Should().ThrowAsync<OperationCanceledException>()).WithMessage("The application aborted the request.");
        (await CreateIssuesAsync(session, 1)).Should().Equal(201);
        session.Trace.Entries[0].Status.Should().Be(0);
        session.Trace.Entries[0].FaultId.Should().Be("flt-1");
    }
}

/// <summary>Slack and Stripe render injected errors in their own shapes.</summary>
public class CloneFaultShapeTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Slack_rate_limit_is_429_ratelimited_with_Retry_After_and_method_errors_are_200_ok_false()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("slack")
            .WithFault(new FaultRule("slack", "chat.postMessage", FaultTrigger.FirstCalls(1), FaultEffect.Status(429)))
            .WithFault(new FaultRule("slack", "conversations.list", null, FaultEffect.Error("fatal_error"))));
        using var slack = session.CreateClient("slack");

        using var limited = await slack.PostAsJsonAsync("chat.postMessage", new { channel = "C0", text = "hi" });
        using var fatal = await slack.PostAsync("conversations.list", null);

        ((int)limited.StatusCode).Should().Be(429);
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
        (await limited.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString().Should().Be("""{"ok":false,"error":"ratelimited"}""");
        ((int)fatal.StatusCode).Should().Be(200);
        (await fatal.Content.ReadFromJsonAsync<JsonObject>())!.ToJsonString().Should().Be("""{"ok":false,"error":"fatal_error"}""");
    }

    [Fact]
    public async Task Stripe_lock_timeout_is_a_429_invalid_request_error_that_says_retry()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("stripe")
            .WithFault(new FaultRule("stripe", "customers/create", null, FaultEffect.Error("lock_timeout"))));
        using var stripe = session.CreateClient("stripe");

        using var response = await stripe.PostAsync("v1/customers", new FormUrlEncodedContent([]));
        var (status, body) = await response.ReadJsonAsync();

        status.Should().Be(429);
        response.Headers.GetValues("Stripe-Should-Retry").Should().Equal("true");
        response.Headers.GetValues("Request-Id").Single().Should().StartWith("req_");
        body["error"].Str("type").Should().Be("invalid_request_error");
        body["error"].Str("code").Should().Be("lock_timeout");
        session.ReadState((Archal.Testing.Clones.Stripe.StripeState s) => s.Customers.Count, "stripe").Should().Be(0, "the handler did not run");
    }
}
