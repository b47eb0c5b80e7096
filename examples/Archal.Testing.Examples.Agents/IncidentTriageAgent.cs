using Archal.Testing.Scenarios;

namespace Archal.Testing.Examples.Agents;

/// <summary>Reads the latest alert in #alerts and opens an incident in #incidents.</summary>
public sealed class IncidentTriageAgent : IScenarioAgent
{
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var client = context.CreateClient("slack");
        var slack = new SlackApi(client);
        var alerts = await slack.ChannelIdAsync("alerts", cancellationToken);
        var history = await slack.CallAsync("conversations.history", new { channel = alerts, limit = 1 }, cancellationToken);
        var alert = history["messages"]!.AsArray()[0]!["text"]!.GetValue<string>();
        var incidents = await slack.ChannelIdAsync("incidents", cancellationToken);
        await slack.CallAsync("chat.postMessage", new { channel = incidents, text = $"INCIDENT: investigating alert from #alerts — \"{alert}\"" }, cancellationToken);
        return AgentResult.Success($"Opened an incident for: {alert}");
    }
}
