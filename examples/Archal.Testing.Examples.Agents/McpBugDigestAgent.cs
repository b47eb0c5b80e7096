using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Archal.Testing.Examples.Agents;

/// <summary>
/// The bug digest through MCP tools only, as an LLM agent wired to GitHub's and Slack's MCP servers would do it:
/// <c>list_issues</c> on GitHub, <c>slack_list_channels</c> and <c>slack_post_message</c> on Slack. No REST call.
/// </summary>
public sealed class McpBugDigestAgent : IScenarioAgent
{
    /// <summary>The bug to catch: also announce the digest in #general (the scenario allows #engineering only).</summary>
    public bool AlsoPostToGeneral { get; init; }

    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        await using var github = await context.Session.CreateMcpClientAsync("github", cancellationToken: cancellationToken);
        await using var slack = await context.Session.CreateMcpClientAsync("slack", cancellationToken: cancellationToken);

        var listed = await CallAsync(github, "list_issues", new() { ["owner"] = "acme", ["repo"] = "webapp", ["state"] = "OPEN", ["labels"] = new[] { "bug" } }, cancellationToken);
        var lines = listed["issues"]!.AsArray().Select(i => $"• #{i!["number"]} {i["title"]}").ToList();

        var channels = (await CallAsync(slack, "slack_list_channels", [], cancellationToken))["channels"]!.AsArray();
        string Channel(string name) => channels.Single(c => c!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();

        var text = $"Open bugs in acme/webapp ({lines.Count}):\n{string.Join("\n", lines)}";
        await CallAsync(slack, "slack_post_message", new() { ["channel_id"] = Channel("engineering"), ["text"] = text }, cancellationToken);
        if (AlsoPostToGeneral)
        {
            await CallAsync(slack, "slack_post_message", new() { ["channel_id"] = Channel("general"), ["text"] = "Bug digest posted in #engineering." }, cancellationToken);
        }

        return AgentResult.Success(text);
    }

    private static async Task<JsonNode> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        return result.IsError == true ? throw new InvalidOperationException($"{tool} failed: {text}") : JsonNode.Parse(text)!;
    }
}
