using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Cli;

/// <summary>
/// <c>GET /runs/{runId}</c> on <c>serve</c>: the HTML report page of one run, rendered from <c>GET /api/runs/{runId}</c> (so the
/// control plane's authentication and ownership rules apply unchanged) and reloading itself while the session runs.
/// A browser cannot send a bearer header, so the Archal token may come as <c>?token=</c>.
/// </summary>
internal static class RunPages
{
    /// <summary>How often a page of a running session reloads.</summary>
    public const int RefreshSeconds = 2;

    public static void Map(IEndpointRouteBuilder endpoints, Func<ArchalHost> host) =>
        endpoints.MapGet("/runs/{runId}", (HttpContext http, string runId) => RenderAsync(http, host(), runId));

    private static async Task<IResult> RenderAsync(HttpContext http, ArchalHost host, string runId)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = http.Request.Query["token"].ToString() is { Length: > 0 } query ? query
            : header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        if (token.Length == 0)
        {
            return Page(HttpStatusCode.Unauthorized, "An Archal token is required", "Open this page as /runs/{runId}?token=<archal token> (serve prints the token).");
        }

        using var client = host.CreateClient(token);
        using var response = await client.GetAsync($"/api/runs/{Uri.EscapeDataString(runId)}", http.RequestAborted).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(http.RequestAborted).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || body is null || ScenarioRunDocument.FromJson(body) is not { } run)
        {
            return Page(response.StatusCode, $"{(int)response.StatusCode} {body?["code"]}", body?["message"]?.ToString() ?? "The run record could not be read.");
        }

        var live = body["final"]?.GetValue<bool>() == false;
        return Results.Content(ScenarioHtmlReport.Render([run], $"Run {runId}", live ? RefreshSeconds : null), "text/html; charset=utf-8");
    }

    private static IResult Page(HttpStatusCode status, string title, string message) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>",
        "text/html; charset=utf-8", statusCode: (int)status);
}
