using System.Diagnostics;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Xunit;

namespace Archal.Testing.Xunit.Tests;

public class AgentEnvironmentTests(ArchalKestrelFixture fixture) : IClassFixture<ArchalKestrelFixture>
{
    [Fact]
    public async Task Agent_environment_names_every_clone_and_the_route_headers()
    {
        await using var session = await fixture.StartSessionAsync(new SessionRequest("github", "slack", "stripe"));

        var environment = session.AgentEnvironment;

        var urls = JsonNode.Parse(environment["AGENT_CLONE_URLS"])!.AsObject();
        urls["github"]!.GetValue<string>().Should().Be(session.ApiBaseUrls["github"].ToString());
        urls["stripe"]!.GetValue<string>().Should().Be(session.ApiBaseUrls["stripe"].ToString());
        JsonNode.Parse(environment["AGENT_ROUTE_HEADERS"])!["x-route-authorization"]!.GetValue<string>().Should().Be($"Bearer {fixture.Host.Token}");
        environment["AGENT_SESSION_ID"].Should().Be(session.Id);
        environment["ARCHAL_GITHUB_REST_URL"].Should().Be(session.ApiBaseUrls["github"].ToString());
        environment["ARCHAL_STRIPE_URL"].Should().Be(session.Endpoints["stripe"].ToString());
        environment["GITHUB_TOKEN"].Should().StartWith("ghp_");
        environment["SLACK_BOT_TOKEN"].Should().StartWith("xoxb-");
        environment["SLACK_TOKEN"].Should().Be(environment["SLACK_BOT_TOKEN"]);
        environment["STRIPE_API_KEY"].Should().StartWith("sk_test_");
        session.ApiBaseUrls["github"].Host.Should().Be("127.0.0.1", "Kestrel listens on loopback");
    }

    [Fact]
    public async Task Curl_subprocess_reaches_the_clone_through_the_agent_environment()
    {
        await using var session = await fixture.StartSessionAsync(new SessionRequest("github"));
        // Only the environment: the script knows no URL, token or session of its own.
        const string script = """
            url=$(printf '%s' "$AGENT_CLONE_URLS" | sed -E 's/.*"github":"([^"]*)".*/\1/')
            route=$(printf '%s' "$AGENT_ROUTE_HEADERS" | sed -E 's/.*"x-route-authorization":"([^"]*)".*/\1/')
            curl -sS -H "x-route-authorization: $route" -H "Authorization: Bearer $GITHUB_TOKEN" "$url/user"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in session.AgentEnvironment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, stderr);
        JsonNode.Parse(stdout)!["login"]!.GetValue<string>().Should().Be("octocat", stdout);
        session.Trace.Entries.Should().ContainSingle(e => e.Path == "/user" && e.Status == 200);
    }
}
