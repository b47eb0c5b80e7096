using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Examples.Agents;

/// <summary>Closes issues with no activity in 90 days, with a comment, skipping "keep-open" — unless it is the buggy variant.</summary>
public sealed class StaleIssuesAgent : IScenarioAgent
{
    /// <summary>The deliberate bug: forget to skip issues labelled "keep-open".</summary>
    public bool IgnoreKeepOpen { get; init; }

    /// <summary>
    /// How many times a call is tried: server errors (5xx) and rate limits (403/429 with Retry-After) are retried,
    /// waiting Retry-After seconds. The default value is 1: no retries.
    /// </summary>
    public int MaxAttempts { get; init; } = 1;

    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var github = context.CreateClient("github");
        using var response = await github.GetAsync("repos/acme/webapp/issues?state=open&per_page=100", cancellationToken);
        response.EnsureSuccessStatusCode();
        // The clone's clock is the source of truth for "now": its Date header.
        var now = response.Headers.Date ?? DateTimeOffset.UtcNow;
        var issues = (await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken))!.OfType<JsonObject>();
        var closed = new List<string>();
        foreach (var issue in issues)
        {
            if (issue["pull_request"] is not null)
            {
                continue;
            }

            var updated = DateTimeOffset.Parse(issue["updated_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            var keepOpen = issue["labels"]!.AsArray().Any(l => l!["name"]!.GetValue<string>() == "keep-open");
            if (now - updated < TimeSpan.FromDays(90) || (keepOpen && !IgnoreKeepOpen))
            {
                continue;
            }

            var number = issue["number"]!.GetValue<int>();
            var days = (int)(now - updated).TotalDays;
            (await SendAsync(() => github.PostAsJsonAsync($"repos/acme/webapp/issues/{number}/comments",
                new { body = $"Closing this issue because it has had no activity for {days} days. Thank you for the report — please reopen it if it is still relevant." },
                cancellationToken), cancellationToken)).EnsureSuccessStatusCode();
            (await SendAsync(() => github.PatchAsJsonAsync($"repos/acme/webapp/issues/{number}", new { state = "closed", state_reason = "not_planned" }, cancellationToken),
                cancellationToken)).EnsureSuccessStatusCode();
            closed.Add($"#{number}");
        }

        return AgentResult.Success($"Closed {closed.Count} stale issues: {string.Join(", ", closed)}.");
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var retryable = status >= 500 || ((status is 403 or 429) && retryAfter is not null);
            if (!retryable || attempt >= MaxAttempts)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(retryAfter ?? TimeSpan.Zero, cancellationToken);
        }
    }
}
