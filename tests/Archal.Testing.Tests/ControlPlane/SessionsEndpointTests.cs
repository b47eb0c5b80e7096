using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.ControlPlane;

public class SessionsEndpointTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] RequiredSummaryFields = ["sessionId", "status", "cloneIds", "endpoints", "apiBaseUrls", "createdAt", "expiresAt"];

    private async Task<(int Status, JsonObject Body)> PostRawAsync(string body, string? idempotencyKey = null)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        return await response.ReadJsonAsync();
    }

    private static void ShouldBeError(int status, JsonObject body, int expectedStatus, string code, string? field = null)
    {
        status.Should().Be(expectedStatus, body.ToJsonString());
        body.Str("code").Should().Be(code);
        foreach (var name in new[] { "error", "code", "message", "detail" })
        {
            body[name].Should().NotBeNull($"every control-plane error carries '{name}'");
            body.Str(name).Should().NotBeNullOrWhiteSpace();
        }

        if (field is not null)
        {
            body.Str("field").Should().Be(field);
            body.Str("message").Should().Contain(field.Split('.')[0]);
        }
    }

    [Fact]
    public async Task Create_session_returns_201_with_every_summary_field()
    {
        var (status, body) = await PostRawAsync("""{"clones":["github","slack"]}""");

        status.Should().Be(201);
        foreach (var field in RequiredSummaryFields)
        {
            body[field].Should().NotBeNull($"'{field}' is required by SessionSummary");
        }

        var id = body.Str("sessionId")!;
        id.Should().StartWith("ses-");
        body.Str("status").Should().Be("running");
        body["alive"]!.GetValue<bool>().Should().BeTrue();
        body["cloneIds"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("github", "slack");
        body["apiBaseUrls"].Str("github").Should().Be($"http://localhost/runtime/{id}/github/api");
        body["endpoints"].Str("slack").Should().Be($"http://localhost/runtime/{id}/slack");
        body["resolvedSeeds"].Str("github").Should().Be("empty");
        body["evidence"].Str("runId").Should().Be("run-" + id["ses-".Length..]);
        foreach (var field in new[] { "mcp", "runtimeProvider", "scenarioId", "batchId", "endedAt", "lastError" })
        {
            body.ContainsKey(field).Should().BeTrue($"'{field}' is part of the summary");
        }

        var created = DateTimeOffset.Parse(body.Str("createdAt")!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse(body.Str("expiresAt")!, System.Globalization.CultureInfo.InvariantCulture);
        (expires - created).Should().Be(TimeSpan.FromMinutes(30), "the hosted default TTL is 30 minutes");
    }

    [Fact]
    public async Task Create_session_with_ttl_sets_expiry()
    {
        var (_, body) = await PostRawAsync("""{"clones":["github"],"ttlSeconds":60}""");

        var created = DateTimeOffset.Parse(body.Str("createdAt")!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse(body.Str("expiresAt")!, System.Globalization.CultureInfo.InvariantCulture);
        (expires - created).Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Create_session_accepts_every_documented_field()
    {
        var (status, body) = await PostRawAsync("""
            {"clones":["github"],"scenarioId":"close-stale","preflightOnly":false,"transport":"cloud","ttlSeconds":43200,
             "scenarioRunCount":3,"rateLimit":50000,"routing":{},"seeds":{"github":"empty"},"source":{},"credential":{},
             "runConfig":{"seed":7},"scenarioDraft":{},"runProject":{}}
            """);

        status.Should().Be(201, body.ToJsonString());
        body.Str("scenarioId").Should().Be("close-stale");
    }

    [Theory]
    [InlineData("""{}""", "missing_field", "clones")]
    [InlineData("""{"clones":null}""", "missing_field", "clones")]
    [InlineData("""{"clones":[]}""", "invalid_value", "clones")]
    [InlineData("""{"clones":"github"}""", "invalid_type", "clones")]
    [InlineData("""{"clones":[1]}""", "invalid_type", "clones")]
    [InlineData("""{"clones":["gitlab"]}""", "unknown_clone", "clones")]
    [InlineData("""{"clones":["github","github"]}""", "invalid_value", "clones")]
    [InlineData("""{"clones":["github"],"colour":"red"}""", "unknown_field", "colour")]
    [InlineData("""{"clones":["github"],"ttlSeconds":0}""", "out_of_range", "ttlSeconds")]
    [InlineData("""{"clones":["github"],"ttlSeconds":86401}""", "out_of_range", "ttlSeconds")]
    [InlineData("""{"clones":["github"],"ttlSeconds":1.5}""", "invalid_type", "ttlSeconds")]
    [InlineData("""{"clones":["github"],"ttlSeconds":"60"}""", "invalid_type", "ttlSeconds")]
    [InlineData("""{"clones":["github"],"scenarioRunCount":0}""", "out_of_range", "scenarioRunCount")]
    [InlineData("""{"clones":["github"],"scenarioRunCount":1001}""", "out_of_range", "scenarioRunCount")]
    [InlineData("""{"clones":["github"],"rateLimit":0}""", "out_of_range", "rateLimit")]
    [InlineData("""{"clones":["github"],"rateLimit":100001}""", "out_of_range", "rateLimit")]
    [InlineData("""{"clones":["github"],"preflightOnly":"yes"}""", "invalid_type", "preflightOnly")]
    [InlineData("""{"clones":["github"],"transport":5}""", "invalid_type", "transport")]
    [InlineData("""{"clones":["github"],"scenarioId":[]}""", "invalid_type", "scenarioId")]
    [InlineData("""{"clones":["github"],"routing":[]}""", "invalid_type", "routing")]
    [InlineData("""{"clones":["github"],"runProject":"x"}""", "invalid_type", "runProject")]
    [InlineData("""{"clones":["github"],"seeds":{"github":"nope"}}""", "unknown_seed", "seeds.github")]
    [InlineData("""{"clones":["github"],"seeds":{"slack":"empty"}}""", "invalid_value", "seeds.slack")]
    [InlineData("""{"clones":["github"],"seeds":{"github":3}}""", "invalid_type", "seeds.github")]
    [InlineData("""{"clones":["github"],"runConfig":{"seed":"x"}}""", "invalid_type", "runConfig.seed")]
    public async Task Create_session_with_bad_field_returns_400_naming_it(string body, string code, string field)
    {
        var (status, error) = await PostRawAsync(body);

        ShouldBeError(status, error, 400, code, field);
    }

    [Theory]
    [InlineData("""{"clones":["github"],"seeds":{"github":{"data":{"issues":[{"repo":"acme/webapp","title":5}]}}}}""")]
    [InlineData("""{"clones":["github"],"seeds":{"github":{"data":{"repos":"acme/webapp"}}}}""")]
    [InlineData("""{"clones":["github"],"seeds":{"github":{"data":{"issues":[{"repo":"nobody/nothing","title":"x"}]}}}}""")]
    [InlineData("""{"clones":["slack"],"seeds":{"slack":{"data":{"channels":[{"name":7}]}}}}""")]
    [InlineData("""{"clones":["slack"],"seeds":{"slack":{"data":{"messages":[{"channel":"#nope","text":"hi"}]}}}}""")]
    [InlineData("""{"clones":["stripe"],"seeds":{"stripe":{"data":{"charges":[{"customer":"ghost@example.com","amount":"lots"}]}}}}""")]
    [InlineData("""{"clones":["stripe"],"seeds":{"stripe":{"data":{"customers":{"email":"x"}}}}}""")]
    public async Task Seed_data_of_the_wrong_shape_returns_400_seed_error_never_500(string body)
    {
        var (status, error) = await PostRawAsync(body);

        ShouldBeError(status, error, 400, "seed_error");
    }

    [Theory]
    [InlineData("""{"clones":["github"]""", "invalid_json")]
    [InlineData("""not json""", "invalid_json")]
    [InlineData("""["github"]""", "invalid_body")]
    [InlineData("", "missing_body")]
    public async Task Create_session_with_malformed_body_returns_400(string body, string code)
    {
        var (status, error) = await PostRawAsync(body);

        ShouldBeError(status, error, 400, code);
    }

    [Fact]
    public async Task Preflight_validates_and_resolves_without_starting()
    {
        var (status, body) = await PostRawAsync("""{"clones":["github"],"preflightOnly":true}""");

        status.Should().Be(200);
        body.Str("status").Should().Be("preflight");
        body["alive"]!.GetValue<bool>().Should().BeFalse();
        body["resolvedSeeds"].Str("github").Should().Be("empty");
        using var client = fixture.Host.CreateClient();
        using var get = await client.GetAsync($"/api/sessions/{body.Str("sessionId")}");
        ((int)get.StatusCode).Should().Be(404, "a preflight creates nothing");
    }

    [Fact]
    public async Task Preflight_still_rejects_bad_input()
    {
        var (status, error) = await PostRawAsync("""{"clones":["github"],"preflightOnly":true,"seeds":{"github":"nope"}}""");

        ShouldBeError(status, error, 400, "unknown_seed", "seeds.github");
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_returns_the_same_session()
    {
        var key = "key-" + Guid.NewGuid();
        var first = await PostRawAsync("""{"clones":["github"],"ttlSeconds":600}""", key);
        var second = await PostRawAsync("""{ "clones": ["github"], "ttlSeconds": 600 }""", key);

        first.Status.Should().Be(201);
        second.Status.Should().Be(201);
        second.Body.Str("sessionId").Should().Be(first.Body.Str("sessionId"));
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_body_returns_409()
    {
        var key = "key-" + Guid.NewGuid();
        await PostRawAsync("""{"clones":["github"]}""", key);

        var (status, error) = await PostRawAsync("""{"clones":["slack"]}""", key);

        ShouldBeError(status, error, 409, "idempotency_key_reused");
    }

    [Fact]
    public async Task Idempotency_key_over_200_characters_returns_400()
    {
        var (status, error) = await PostRawAsync("""{"clones":["github"]}""", new string('k', 201));

        ShouldBeError(status, error, 400, "invalid_idempotency_key");
    }

    [Fact]
    public async Task Failed_create_does_not_burn_the_idempotency_key()
    {
        var key = "key-" + Guid.NewGuid();
        var bad = await PostRawAsync("""{"clones":["gitlab"]}""", key);
        var good = await PostRawAsync("""{"clones":["github"]}""", key);

        bad.Status.Should().Be(400);
        good.Status.Should().Be(201);
    }

    [Fact]
    public async Task Get_session_returns_the_summary()
    {
        var created = await fixture.CreateSessionAsync(new { clones = new[] { "stripe" } });
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync($"/api/sessions/{created.Str("sessionId")}")).ReadJsonAsync();

        status.Should().Be(200);
        body.Str("sessionId").Should().Be(created.Str("sessionId"));
        body["apiBaseUrls"].Str("stripe").Should().Be(created["apiBaseUrls"].Str("stripe"));
    }

    [Fact]
    public async Task Get_unknown_session_returns_404()
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync("/api/sessions/ses-doesnotexist")).ReadJsonAsync();

        ShouldBeError(status, body, 404, "session_not_found");
    }

    [Fact]
    public async Task Delete_session_ends_it_and_keeps_it_readable()
    {
        var created = await fixture.CreateSessionAsync(new { clones = new[] { "github" } });
        var id = created.Str("sessionId");
        using var client = fixture.Host.CreateClient();

        using var delete = await client.DeleteAsync($"/api/sessions/{id}");
        var (status, body) = await (await client.GetAsync($"/api/sessions/{id}")).ReadJsonAsync();

        ((int)delete.StatusCode).Should().Be(204);
        status.Should().Be(200);
        body.Str("status").Should().Be("ended");
        body["alive"]!.GetValue<bool>().Should().BeFalse();
        body.Str("endedAt").Should().NotBeNull();
    }

    [Fact]
    public async Task List_sessions_returns_only_the_callers_sessions()
    {
        var other = fixture.Host.Tokens.IssuePersonalToken("someone-else-" + Guid.NewGuid());
        var mine = await fixture.CreateSessionAsync(new { clones = new[] { "github" } });
        var theirs = await fixture.CreateSessionAsync(new { clones = new[] { "github" } }, other.Value);
        using var client = fixture.Host.CreateClient(other.Value);

        var (status, body) = await (await client.GetAsync("/api/sessions")).ReadJsonAsync();

        status.Should().Be(200);
        var ids = body["sessions"]!.AsArray().Select(s => s.Str("sessionId")).ToList();
        ids.Should().Equal(theirs.Str("sessionId"));
        ids.Should().NotContain(mine.Str("sessionId"));
    }

    [Fact]
    public async Task Get_run_returns_the_run_record_named_by_evidence()
    {
        var created = await fixture.CreateSessionAsync(new { clones = new[] { "github" } });
        using var client = fixture.Host.CreateClient();

        var (status, run) = await (await client.GetAsync($"/api/runs/{created["evidence"].Str("runId")}")).ReadJsonAsync();

        status.Should().Be(200);
        run.Str("runId").Should().Be(created["evidence"].Str("runId"));
        run.Str("sessionId").Should().Be(created.Str("sessionId"));
        run["resolvedSeeds"].Str("github").Should().Be("empty");
        run["requests"]!["total"]!.GetValue<long>().Should().Be(0);
        run["timings"]!["createdAt"].Should().NotBeNull();
    }

    [Fact]
    public async Task Get_unknown_run_returns_404()
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync("/api/runs/run-nope")).ReadJsonAsync();

        ShouldBeError(status, body, 404, "run_not_found");
    }

    [Fact]
    public async Task Catalog_lists_every_clone_with_its_seeds()
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync("/api/clones")).ReadJsonAsync();

        status.Should().Be(200);
        var clones = body["clones"]!.AsArray();
        clones.Select(c => c.Str("id")).Should().Contain(["github", "slack", "stripe"]);
        var github = clones.Single(c => c.Str("id") == "github")!;
        github.Str("name").Should().Be("GitHub");
        github["seeds"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Contain("empty");
    }

    [Fact]
    public async Task Operations_catalog_lists_the_clones_operation_table()
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync("/api/clones/github/operations")).ReadJsonAsync();

        status.Should().Be(200);
        var create = body["operations"]!.AsArray().Single(o => o.Str("id") == "issues/create")!;
        create.Str("method").Should().Be("POST");
        create.Str("template").Should().Be("/repos/{owner}/{repo}/issues");
        create.Str("summary").Should().Be("Create an issue");
        create["mutates"]!.GetValue<bool>().Should().BeTrue();
        create.Str("docUrl").Should().Be("https://docs.github.com/rest/issues/issues#create-an-issue");
        body["operations"]!.AsArray().Single(o => o.Str("id") == "issues/get")!["mutates"]!.GetValue<bool>().Should().BeFalse();
    }

    [Theory]
    [InlineData("slack", "chat.postMessage", "POST", "/chat.postMessage", true)]
    [InlineData("slack", "conversations.history", "POST", "/conversations.history", false)]
    [InlineData("stripe", "payment_intents/confirm", "POST", "/v1/payment_intents/{id}/confirm", true)]
    [InlineData("stripe", "customers/list", "GET", "/v1/customers", false)]
    public async Task Operations_catalog_covers_every_clone(string clone, string id, string method, string template, bool mutates)
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync($"/api/clones/{clone}/operations")).ReadJsonAsync();

        status.Should().Be(200);
        var operation = body["operations"]!.AsArray().Single(o => o.Str("id") == id)!;
        operation.Str("method").Should().Be(method);
        operation.Str("template").Should().Be(template);
        operation["mutates"]!.GetValue<bool>().Should().Be(mutates);
        operation.Str("summary").Should().NotBeEmpty();
    }

    [Fact]
    public async Task Operations_catalog_of_an_unknown_clone_is_404()
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync("/api/clones/jira/operations")).ReadJsonAsync();

        ShouldBeError(status, body, 404, "clone_not_found");
    }

    [Fact]
    public async Task Auth_me_describes_the_token()
    {
        var key = fixture.Host.Tokens.IssueWorkspaceKey("ws-acme", "ci", ["sessions:read"]);
        using var client = fixture.Host.CreateClient(key.Value);

        var (status, body) = await (await client.GetAsync("/auth/me")).ReadJsonAsync();

        status.Should().Be(200);
        body.Str("id").Should().Be("ws-acme");
        body.Str("type").Should().Be("workspace");
        body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("sessions:read");
    }

    [Fact]
    public async Task Unknown_control_plane_route_returns_404_error_body()
    {
        using var client = fixture.Host.CreateClient();

        var (status, body) = await (await client.GetAsync("/api/nothing-here")).ReadJsonAsync();

        ShouldBeError(status, body, 404, "not_found");
    }
}
