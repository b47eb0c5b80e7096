using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli;

/// <summary>
/// A disk cache of [P] verdicts (<c>run --judge-cache</c>): a rerun with the same trace and criterion asks the judge nothing.
/// The key hashes the model, the scenario text the judge sees, the criterion, the agent's answer, the run record and the
/// final state, with what differs between identical runs left out (session and run ids, timings, ISO-8601 and Unix times, Slack pagination cursors).
/// Only pass/fail verdicts are kept: a judge error is asked again next time.
/// </summary>
internal sealed partial class JudgeVerdictCache(IScenarioJudge inner, string folder, string model) : IScenarioJudge
{
    // Keys that name this session or time this run rather than describe what the agent did.
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal)
    {
        "runId", "sessionId", "timings", "createdAt", "endedAt", "expiresAt", "startedAt", "durationMs", "rootTraceId", "spanId",
        "runUrl", "apiBaseUrls", "endpoints", "headers", "url",
    };

    public async Task<CriterionOutcome> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Path.Combine(folder, Key(request, model) + ".json");
        if (File.Exists(path))
        {
            try
            {
                if (JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)) is JsonObject cached
                    && cached["passed"]?.GetValue<bool>() is { } passed)
                {
                    var evidence = cached["evidence"]?.GetValue<string>() ?? "";
                    return passed ? CriterionOutcome.Pass(evidence) : CriterionOutcome.Fail(evidence);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // A torn or foreign file: ask the judge and write it again.
            }
        }

        var outcome = await inner.JudgeAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Status is CriterionStatus.Passed or CriterionStatus.Failed)
        {
            Directory.CreateDirectory(folder);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllTextAsync(temp, new JsonObject { ["passed"] = outcome.Passed, ["evidence"] = outcome.Evidence }.ToJsonString(), cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }

        return outcome;
    }

    /// <summary>The cache key: a SHA-256 over what the judge is asked, without what differs between identical runs.</summary>
    internal static string Key(JudgeRequest request, string model) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KeyText(request, model))));

    /// <summary>What <see cref="Key"/> hashes.</summary>
    internal static string KeyText(JudgeRequest request, string model)
    {
        var state = new JsonObject();
        foreach (var (clone, snapshot) in request.FinalState.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            state[clone] = Normalize(snapshot);
        }

        var key = new JsonObject
        {
            ["v"] = 1,
            ["model"] = request.Scenario.Config.Model ?? model,
            ["setup"] = request.Scenario.Setup,
            ["prompt"] = request.Scenario.Prompt,
            ["expected"] = request.Scenario.ExpectedBehavior,
            ["criterion"] = request.Criterion.Text,
            ["output"] = request.AgentOutput,
            ["runRecord"] = request.RunRecord is null ? null : Normalize(request.RunRecord),
            ["finalState"] = state,
        }.ToJsonString(KeyJson);
        foreach (var id in new[] { request.RunRecord?["sessionId"]?.ToString(), request.RunRecord?["runId"]?.ToString() })
        {
            if (id is { Length: > 0 })
            {
                key = key.Replace(id, "<id>", StringComparison.Ordinal);
            }
        }

        key = Cursor().Replace(key, "$1<cursor>");
        return UnixTime().Replace(IsoTime().Replace(key, "<time>"), "<time>");
    }

    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(p => !Volatile.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Normalize)]),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")]
    private static partial Regex IsoTime();

    // Unix times in seconds (Stripe "created", Slack "ts" = seconds.micros), 2001–2033: the seeds are relative to now.
    [GeneratedRegex(@"(?<![\d.])1\d{9}(\.\d{1,6})?(?!\d)")]
    private static partial Regex UnixTime();

    // Slack's cursors encode a ts; bodies are JSON text inside the trace, hence the escaped quotes.
    [GeneratedRegex(@"(""next_cursor\\?""\s*:\s*\\?"")[A-Za-z0-9+/=_-]+")]
    private static partial Regex Cursor();

    // Unescaped, so a quote before a number stays a quote and the time patterns see it.
    private static readonly System.Text.Json.JsonSerializerOptions KeyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
