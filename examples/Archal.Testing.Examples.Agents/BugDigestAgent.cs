using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Examples.Agents;

/// <summary>Reads open "bug" issues on GitHub and posts a digest to Slack #engineering.</summary>
public sealed class BugDigestAgent : IScenarioAgent
{
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var github = context.CreateClient("github");
        var issues = (await github.GetFromJsonAsync<JsonArray>("repos/acme/webapp/issues?state=open&labels=bug&per_page=100", cancellationToken))!
            .OfType<JsonObject>()
            .Where(i => i["pull_request"] is null)
            .Select(i => $"• #{i["number"]} {i["title"]}")
            .ToList();
        using var client = context.CreateClient("slack");
        var slack = new SlackApi(client);
        var channel = await slack.ChannelIdAsync("engineering", cancellationToken);
        var text = $"Open bugs in acme/webapp ({issues.Count}):\n{string.Join("\n", issues)}";
        await slack.CallAsync("chat.postMessage", new { channel, text }, cancellationToken);
        return AgentResult.Success(text);
    }
}
