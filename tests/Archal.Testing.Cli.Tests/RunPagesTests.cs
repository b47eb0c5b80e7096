using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Archal.Testing.Cli;

namespace Archal.Testing.Cli.Tests;

public sealed class RunPagesTests
{
    private static async Task<string> WaitForOutputAsync(StringWriter output, string marker)
    {
        for (var i = 0; i < 600; i++)
        {
            if (output.ToString() is var text && text.Contains(marker, StringComparison.Ordinal))
            {
                return text;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"'{marker}' never appeared. Output so far:\n{output}");
    }

    [Fact]
    public async Task Serve_shows_a_live_run_page_with_one_row_per_call_that_stops_reloading_when_the_session_ends()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var serve = ArchalCli.RunAsync(["serve", "--port", "0", "--token", "arc_runpagetoken1234", "--clones", "github"], TextWriter.Synchronized(output), stop.Token);
        var text = await WaitForOutputAsync(output, "Clones:");
        var baseUrl = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", "arc_runpagetoken1234");
        var session = (await (await client.PostAsJsonAsync("/api/sessions", new { clones = new[] { "github" }, seeds = new { github = "small-project" } })).Content.ReadFromJsonAsync<JsonObject>())!;
        var runId = session["evidence"]!["runId"]!.GetValue<string>();
        using var call = new HttpRequestMessage(HttpMethod.Post, $"/runtime/{session["sessionId"]}/github/api/repos/acme/webapp/issues")
        {
            Content = JsonContent.Create(new { title = "Seen on the page" }),
        };
        call.Headers.Add("x-route-authorization", "Bearer arc_runpagetoken1234");
        call.Headers.TryAddWithoutValidation("Authorization", "Bearer ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt");
        (await client.SendAsync(call)).StatusCode.Should().Be(HttpStatusCode.Created);
        using var browser = new HttpClient { BaseAddress = new Uri(baseUrl) };

        var live = await browser.GetStringAsync($"/runs/{runId}?token=arc_runpagetoken1234");
        var anonymous = await browser.GetAsync($"/runs/{runId}");
        var unknown = await browser.GetAsync("/runs/run-nosuchrun?token=arc_runpagetoken1234");
        await client.DeleteAsync($"/api/sessions/{session["sessionId"]}");
        var ended = await browser.GetStringAsync($"/runs/{runId}?token=arc_runpagetoken1234");
        await stop.CancelAsync();
        await serve;

        text.Should().Contain($"Run pages: {baseUrl}/runs/{{runId}}?token=arc_runpagetoken1234");
        var page = new HtmlParser().ParseDocument(live);
        page.QuerySelector("meta[http-equiv=refresh]").Should().NotBeNull("a running session's page reloads itself");
        page.QuerySelector("details.run .live").Should().NotBeNull();
        page.QuerySelectorAll("tr.call").Should().ContainSingle().Which.QuerySelector(".operation")!.TextContent.Should().Be("issues/create");
        page.QuerySelector("table.diff tr.mutation.created").Should().NotBeNull();
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        new HtmlParser().ParseDocument(ended).QuerySelector("meta[http-equiv=refresh]").Should().BeNull("an ended session's page is final");
    }
}
