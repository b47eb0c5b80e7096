using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Archal.Testing.Cli;

/// <summary>
/// A minimal IChatClient for OpenAI-compatible <c>/chat/completions</c> endpoints, so <c>run --api-key</c> can judge
/// [P] criteria without extra packages. Libraries should plug in any IChatClient through ChatClientJudge instead.
/// </summary>
internal sealed class OpenAiChatClient(HttpClient http, string model) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? model,
            ["temperature"] = 0,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text })]),
        };
        using var response = await http.PostAsJsonAsync("chat/completions", body, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The judge endpoint answered {(int)response.StatusCode}: {json?["error"]?["message"] ?? json?.ToJsonString()}");
        }

        var text = json?["choices"]?[0]?["message"]?["content"]?.ToString() ?? "";
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => http.Dispose();
}
