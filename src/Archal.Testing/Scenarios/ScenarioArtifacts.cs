using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Scenarios;

/// <summary>
/// What a test adapter attaches when a scenario fails: one HTML report over all its runs, and for each failed run its
/// canonical run record and HAR. Read back from the host (<c>GET /api/runs/{runId}</c>), which keeps ended sessions readable.
/// </summary>
public static class ScenarioArtifacts
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the artifacts of <paramref name="result"/> into <paramref name="directory"/>.</summary>
    /// <returns>The files written: <c>report.html</c> first, then <c>{runId}.run.json</c> and <c>{runId}.har</c> per failed run.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(ArchalHost host, ScenarioResult result, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        using var client = host.CreateClient();
        var documents = new List<ScenarioRunDocument>();
        var written = new List<string>();
        foreach (var run in result.Runs)
        {
            var record = await client.GetFromJsonAsync<JsonObject>($"/api/runs/{run.RunId}", cancellationToken).ConfigureAwait(false);
            if (record is null || ScenarioRunDocument.FromJson(record) is not { } document)
            {
                continue;
            }

            documents.Add(document);
            if (run.Passed)
            {
                continue;
            }

            var recordPath = Path.Combine(directory, $"{run.RunId}.run.json");
            await File.WriteAllTextAsync(recordPath, record.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
            written.Add(recordPath);
            if (record["trace"]?["rootTraceId"]?.GetValue<string>() is { } traceId)
            {
                var har = await client.GetStringAsync($"/api/traces/{traceId}/har", cancellationToken).ConfigureAwait(false);
                var harPath = Path.Combine(directory, $"{run.RunId}.har");
                await File.WriteAllTextAsync(harPath, har, cancellationToken).ConfigureAwait(false);
                written.Add(harPath);
            }
        }

        var report = Path.Combine(directory, "report.html");
        await File.WriteAllTextAsync(report, ScenarioHtmlReport.Render(documents, $"{result.Scenario.Title}: scenario report"), cancellationToken).ConfigureAwait(false);
        written.Insert(0, report);
        return written;
    }
}
