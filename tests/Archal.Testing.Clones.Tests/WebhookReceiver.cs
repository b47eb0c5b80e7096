using System.Collections.Concurrent;
using System.Net;

namespace Archal.Testing.Clones.Tests;

/// <summary>An in-process webhook receiver: records every request and answers with <c>answer(callNumber, request)</c> (200 by default).</summary>
public sealed class WebhookReceiver(Func<int, ReceivedWebhook, HttpResponseMessage>? answer = null) : HttpMessageHandler
{
    private int _calls;

    public static readonly Uri App = new("https://app.test/");

    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.NonValidated.Concat(request.Content!.Headers.NonValidated)
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedWebhook(request.Method.Method, request.RequestUri!.AbsoluteUri, headers,
            await request.Content.ReadAsByteArrayAsync(cancellationToken));
        Requests.Enqueue(received);
        return answer?.Invoke(Interlocked.Increment(ref _calls), received) ?? new HttpResponseMessage(HttpStatusCode.OK);
    }
}

public sealed record ReceivedWebhook(string Method, string Url, IReadOnlyDictionary<string, string> Headers, byte[] BodyBytes)
{
    public string Body => System.Text.Encoding.UTF8.GetString(BodyBytes);

    public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(BodyBytes)!.AsObject();
}
