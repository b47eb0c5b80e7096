using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archal.Testing.Cli;
using Archal.Testing.Hosting;

namespace Archal.Testing.Cli.Tests;

public partial class ArchalCliTests
{
    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    private static async Task<string> WaitForOutputAsync(StringWriter output, string marker)
    {
        for (var i = 0; i < 600; i++)
        {
            var text = output.ToString();
            if (text.Contains(marker, StringComparison.Ordinal))
            {
                return text;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"'{marker}' never appeared. Output so far:\n{output}");
    }

    [Fact]
    public async Task Serve_prints_url_and_token_and_serves_the_control_plane_until_stopped()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = ArchalCli.RunAsync(["serve", "--port", "0", "--token", "arc_clitesttoken1234", "--clones", "github"], TextWriter.Synchronized(output), stop.Token);

        var text = await WaitForOutputAsync(output, "Clones:");
        var baseUrl = ListeningLine().Match(text).Groups[1].Value;
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", "arc_clitesttoken1234");
        var created = await (await client.PostAsJsonAsync("/api/sessions", new { clones = new[] { "github" } })).Content.ReadFromJsonAsync<JsonObject>();
        var refused = await client.PostAsJsonAsync("/api/sessions", new { clones = new[] { "slack" } });
        await stop.CancelAsync();
        var exit = await run;

        text.Should().Contain("Token: arc_clitesttoken1234");
        created!["sessionId"]!.GetValue<string>().Should().StartWith("ses-");
        ((int)refused.StatusCode).Should().Be(400, "--clones github serves only GitHub");
        exit.Should().Be(0);
    }

    [Fact]
    public async Task Serve_with_no_retention_frees_a_deleted_session_and_keeps_its_run_record_on_disk()
    {
        var records = Path.Combine(Path.GetTempPath(), "archal-cli-runs-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = ArchalCli.RunAsync(["serve", "--port", "0", "--token", "arc_clitesttoken5678", "--retention", "0", "--run-records", records],
            TextWriter.Synchronized(output), stop.Token);
        try
        {
            var text = await WaitForOutputAsync(output, "Clones:");
            using var client = new HttpClient { BaseAddress = new Uri(ListeningLine().Match(text).Groups[1].Value) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", "arc_clitesttoken5678");
            var created = (await (await client.PostAsJsonAsync("/api/sessions", new { clones = new[] { "github" } })).Content.ReadFromJsonAsync<JsonObject>())!;
            var runId = created["evidence"]!["runId"]!.GetValue<string>();

            (await client.DeleteAsync($"/api/sessions/{created["sessionId"]!.GetValue<string>()}")).Dispose();
            var record = (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{runId}"))!;

            File.Exists(Path.Combine(records, $"{runId}.json")).Should().BeTrue();
            record["final"]!.GetValue<bool>().Should().BeTrue();
        }
        finally
        {
            await stop.CancelAsync();
            (await run).Should().Be(0);
            if (Directory.Exists(records))
            {
                Directory.Delete(records, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Serve_with_a_malformed_token_is_a_one_line_error_that_exits_2()
    {
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["serve", "--port", "0", "--token", "bad"], output);

        exit.Should().Be(2);
        output.ToString().TrimEnd().Should().StartWith("error: Token must start with 'arc_' or 'archal_ws_'").And.NotContain("\n").And.NotContain("   at ");
    }

    [Fact]
    public async Task Serve_on_a_busy_port_is_a_one_line_error_that_exits_2()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], output);

        exit.Should().Be(2);
        output.ToString().TrimEnd().Should().StartWith($"error: cannot listen on 127.0.0.1:{port}:").And.EndWith("(pick another --port, or 0 for a free one)").And.NotContain("\n");
    }

    [Fact]
    public async Task Serve_with_unknown_clone_exits_2()
    {
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["serve", "--port", "0", "--clones", "gitlab"], output);

        exit.Should().Be(2);
        output.ToString().Should().Contain("unknown clone(s): gitlab");
    }

    [Fact]
    public async Task Clone_start_against_a_server_prints_session_and_clone_urls()
    {
        await using var host = new ArchalHost(new ArchalHostOptions { UseKestrel = true });
        await host.StartAsync();
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(
            ["clone", "start", "github", "slack", "--server", host.BaseAddress.ToString(), "--token", host.Token], output);

        exit.Should().Be(0, output.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().MatchRegex("^Session: ses-[a-z0-9]+$");
        var sessionId = lines[0]["Session: ".Length..];
        lines.Should().Contain($"github clone ready: {host.BaseAddress.ToString().TrimEnd('/')}/runtime/{sessionId}/github/api");
        lines.Should().Contain(l => l.StartsWith("slack clone ready: "));
        lines.Should().Contain($"github mcp: {host.BaseAddress.ToString().TrimEnd('/')}/runtime/{sessionId}/github/mcp");
    }

    [Fact]
    public async Task Clone_tools_lists_the_catalog_without_a_session()
    {
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["clone", "tools", "slack"], output);

        exit.Should().Be(0, output.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().Be("Slack MCP tools (8), served per session at /runtime/{sessionId}/slack/mcp");
        lines.Should().Contain(l => l.StartsWith("slack_post_message ") && l.Contains("write  chat.postMessage  Post a new message to a Slack channel"));
    }

    [Fact]
    public async Task Clone_tools_json_is_the_catalog_the_control_plane_serves()
    {
        await using var host = new ArchalHost(new ArchalHostOptions());
        await host.StartAsync();
        using var client = host.CreateClient();
        var served = await client.GetStringAsync("/api/clones/stripe/tools");
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["clone", "tools", "stripe", "--json"], output);

        exit.Should().Be(0);
        var printed = JsonNode.Parse(output.ToString())!;
        JsonNode.DeepEquals(printed, JsonNode.Parse(served)).Should().BeTrue();
        printed["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Should().Contain(["create_customer", "create_refund", "cancel_subscription"]);
        printed["tools"]![0]!["inputSchema"]!["required"]![0]!.GetValue<string>().Should().Be("name");
    }

    [Fact]
    public async Task Clone_tools_with_an_unknown_clone_exits_2()
    {
        var output = new StringWriter();

        (await ArchalCli.RunAsync(["clone", "tools", "gitlab"], output)).Should().Be(2);
        output.ToString().Should().Contain("unknown clone 'gitlab'");
    }

    [Fact]
    public async Task Clone_start_with_a_bad_token_reports_the_control_plane_error()
    {
        await using var host = new ArchalHost(new ArchalHostOptions { UseKestrel = true });
        await host.StartAsync();
        var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["clone", "start", "github", "--server", host.BaseAddress.ToString(), "--token", "arc_wrongwrongwrong"], output);

        exit.Should().Be(1);
        output.ToString().Should().Contain("401 invalid_token");
    }

    [Fact]
    public async Task Clone_start_without_server_hosts_the_session_itself()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = ArchalCli.RunAsync(["clone", "start", "github", "--seed", "github=empty"], TextWriter.Synchronized(output), stop.Token);

        var text = await WaitForOutputAsync(output, "Serving until stopped");
        var url = Regex.Match(text, @"github clone ready: (\S+)").Groups[1].Value;
        var token = Regex.Match(text, @"Token: (\S+)").Groups[1].Value;
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("x-route-authorization", $"Bearer {token}");
        client.DefaultRequestHeaders.Add("Authorization", "Bearer ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt");
        var user = await client.GetFromJsonAsync<JsonObject>($"{url}/user");
        await stop.CancelAsync();

        user!["login"]!.GetValue<string>().Should().Be("octocat");
        (await run).Should().Be(0);
    }
}
