using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Examples.Agents;

/// <summary>Finds a customer's duplicate charge (same amount and description) and refunds the newer one.</summary>
public sealed class RefundDuplicateChargeAgent : IScenarioAgent
{
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var stripe = context.CreateClient("stripe");
        var customers = await stripe.GetFromJsonAsync<JsonObject>("v1/customers?email=jane%40example.com&limit=10", cancellationToken);
        var customer = customers!["data"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var charges = await stripe.GetFromJsonAsync<JsonObject>($"v1/charges?customer={customer}&limit=100", cancellationToken);
        var duplicate = charges!["data"]!.AsArray().OfType<JsonObject>()
            .Where(c => c["refunded"]?.GetValue<bool>() != true)
            .GroupBy(c => (Amount: c["amount"]!.GetValue<long>(), Description: c["description"]?.GetValue<string>()))
            .Where(g => g.Count() > 1)
            .Select(g => g.OrderBy(c => c["created"]!.GetValue<long>()).ThenBy(c => c["id"]!.GetValue<string>(), StringComparer.Ordinal).Last())
            .FirstOrDefault();
        if (duplicate is null)
        {
            return AgentResult.Success("No duplicate charge found.");
        }

        var id = duplicate["id"]!.GetValue<string>();
        using var refund = await stripe.PostAsync("v1/refunds", new FormUrlEncodedContent([new("charge", id), new("reason", "duplicate")]), cancellationToken);
        refund.EnsureSuccessStatusCode();
        return AgentResult.Success($"Refunded duplicate charge {id} ({duplicate["description"]}).");
    }
}
