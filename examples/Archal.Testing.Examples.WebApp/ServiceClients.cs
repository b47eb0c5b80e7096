using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Archal.Testing.Examples.WebApp;

/// <summary>The body of <c>POST /refunds</c>.</summary>
public sealed record RefundRequest(string ChargeId, string Reason);

/// <summary>A Stripe refund, as the app reads it.</summary>
public sealed record Refund(string Id, long Amount);

/// <summary>A GitHub issue, as the app reads it.</summary>
public sealed record Issue(int Number, [property: JsonPropertyName("html_url")] string HtmlUrl);

/// <summary>Stripe's refunds API (form-encoded, as Stripe expects).</summary>
public sealed class StripeRefunds(HttpClient http)
{
    /// <summary>Refunds a charge in full.</summary>
    public async Task<Refund> RefundAsync(string chargeId, string reason, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["charge"] = chargeId,
            ["reason"] = reason,
        });
        using var response = await http.PostAsync("v1/refunds", form, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Refund>(cancellationToken))!;
    }
}

/// <summary>GitHub's issues API.</summary>
public sealed class GitHubIssues(HttpClient http)
{
    /// <summary>Opens an issue in <paramref name="repository"/> (<c>owner/name</c>).</summary>
    public async Task<Issue> OpenAsync(string repository, string title, string body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"repos/{repository}/issues", new { title, body }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Issue>(cancellationToken))!;
    }
}

/// <summary>Slack's Web API.</summary>
public sealed class SlackNotifier(HttpClient http)
{
    /// <summary>Posts a message; Slack answers 200 with <c>ok: false</c> on failure.</summary>
    public async Task PostAsync(string channel, string text, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("chat.postMessage", new { channel, text }, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (body?["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"Slack chat.postMessage failed: {body?["error"]}");
        }
    }
}

/// <summary>A GitHub webhook delivery whose signature checked out.</summary>
public sealed record GitHubWebhook(string Event, JsonNode Payload)
{
    /// <summary>
    /// Reads a delivery and checks <c>X-Hub-Signature-256</c> as GitHub documents it (HMAC-SHA256 of the raw body with
    /// the webhook's secret, compared in constant time:
    /// https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries). Null when it does not verify.
    /// </summary>
    public static async Task<GitHubWebhook?> ReadAsync(HttpRequest request, string secret, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));
        var signature = request.Headers["X-Hub-Signature-256"].ToString();
        if (secret.Length == 0 || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(signature)))
        {
            return null;
        }

        return new GitHubWebhook(request.Headers["X-GitHub-Event"].ToString(), JsonNode.Parse(body)!);
    }
}

/// <summary>The app's own outgoing handler: stamps every call with a correlation id.</summary>
public sealed class CorrelationIdHandler(IHttpContextAccessor? accessor = null) : DelegatingHandler
{
    /// <summary>The header it adds.</summary>
    public const string Header = "X-Correlation-Id";

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(Header, accessor?.HttpContext?.TraceIdentifier ?? "support-desk");
        return base.SendAsync(request, cancellationToken);
    }
}
