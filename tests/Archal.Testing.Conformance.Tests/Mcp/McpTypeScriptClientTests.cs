using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.Mcp;

/// <summary>The official MCP TypeScript SDK client (@modelcontextprotocol/sdk from npm, unmodified) drives the clones' MCP endpoints.</summary>
[Collection(KestrelCollection.Name)]
public class McpTypeScriptClientTests(KestrelHostFixture fixture)
{
    [Fact]
    public async Task Typescript_client_lists_tools_calls_tools_that_change_state_and_the_calls_are_in_the_run_record()
    {
        var (session, environment) = await fixture.StartAsync(new SessionRequest("github", "slack", "stripe")
            .WithSeed("github", "small-project").WithSeed("slack", "engineering-team"));
        await using var _ = session;

        var result = await NodeScript.RunAsync("mcp/tools.mjs", environment);

        result.ExitCode.Should().Be(0, result.ToString());
        var record = await session.GetRunRecordAsync();
        var calls = record["trace"]!["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        calls.Where(e => e["transport"]!.GetValue<string>() == "mcp").Select(e => $"{e["clone"]} {e["tool"]} {e["operation"]} {e["response"]!["status"]}")
            .Should().Equal(
                "github issue_write issues/create 201",
                "github add_issue_comment issues/create-comment 201",
                "github issue_read issues/list-comments 200",
                "github issue_read issues/get 404",
                "slack slack_list_channels conversations.list 200",
                "slack slack_post_message chat.postMessage 200",
                "stripe create_customer customers/create 200");
        calls.Where(e => e["transport"]!.GetValue<string>() == "rest").Should().HaveCount(3, "the script read each change back through REST");
    }
}
