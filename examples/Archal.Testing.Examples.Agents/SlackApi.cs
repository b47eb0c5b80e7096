using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Examples.Agents;

/// <summary>Just enough of the Slack Web API for the examples (JSON bodies, ok/error envelopes).</summary>
internal sealed class SlackApi(HttpClient client)
{
    public async Task<JsonObject> CallAsync(string method, object body, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync(method, body, cancellationToken);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
        if (result["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"Slack {method} failed: {result["error"]}");
        }

        return result;
    }

    public async Task<string> ChannelIdAsync(string name, CancellationToken cancellationToken)
    {
        var list = await CallAsync("conversations.list", new { limit = 200, types = "public_channel,private_channel" }, cancellationToken);
        return list["channels"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();
    }
}
