using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Archal.Testing.Scenarios;

/// <summary>Judges [P] criteria. Without one, [P] criteria are reported "not judged" and never count as passed.</summary>
public interface IScenarioJudge
{
    /// <summary>Decides whether one criterion holds for one run.</summary>
    Task<CriterionOutcome> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken);
}

/// <summary>What a judge sees: the criterion, the expected behavior, the agent's answer, the trace and the final state.</summary>
/// <param name="Scenario">The scenario (its Expected Behavior is the answer key).</param>
/// <param name="Criterion">The [P] criterion to judge.</param>
/// <param name="AgentOutput">The agent's final answer.</param>
/// <param name="RunRecord">The session's run record (with the trace when recorded).</param>
/// <param name="FinalState">Each clone's final snapshot.</param>
public sealed record JudgeRequest(
    Scenario Scenario,
    ScenarioCriterion Criterion,
    string? AgentOutput,
    JsonObject? RunRecord,
    IReadOnlyDictionary<string, JsonObject> FinalState);

/// <summary>A judge over any Microsoft.Extensions.AI <see cref="IChatClient"/>.</summary>
public sealed class ChatClientJudge : IScenarioJudge
{
    private readonly IChatClient _client;
    private readonly int _maxContextChars;

    /// <summary>Creates the judge.</summary>
    /// <param name="client">The chat client.</param>
    /// <param name="maxContextChars">How much trace and state to include. The default value is 60,000 characters.</param>
    public ChatClientJudge(IChatClient client, int maxContextChars = 60_000)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _maxContextChars = maxContextChars;
    }

    /// <inheritdoc />
    public async Task<CriterionOutcome> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = new JsonObject();
        foreach (var (clone, snapshot) in request.FinalState)
        {
            state[clone] = snapshot.DeepClone();
        }

        var prompt = new StringBuilder()
            .AppendLine("You evaluate one success criterion of an AI agent's run against service clones.")
            .AppendLine("Answer with ONE JSON object and nothing else: {\"pass\": true|false, \"reason\": \"<one or two sentences citing evidence>\"}.")
            .AppendLine().AppendLine("## Setup (starting state)").AppendLine(request.Scenario.Setup ?? "(not given)")
            .AppendLine().AppendLine("## Task given to the agent").AppendLine(request.Scenario.Prompt)
            .AppendLine().AppendLine("## Expected behavior (answer key)").AppendLine(request.Scenario.ExpectedBehavior ?? "(not given)")
            .AppendLine().AppendLine("## Criterion").AppendLine(request.Criterion.Text)
            .AppendLine().AppendLine("## Agent's final answer").AppendLine(request.AgentOutput ?? "(none)")
            .AppendLine().AppendLine("## Run record and trace").AppendLine(Clip(request.RunRecord?.ToJsonString() ?? "(none)"))
            .AppendLine().AppendLine("## Final state").AppendLine(Clip(state.ToJsonString()))
            .ToString();
        // Temperature 0: the same run should get the same verdict.
        var options = new ChatOptions { ModelId = request.Scenario.Config.Model, Temperature = 0 };
        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, cancellationToken).ConfigureAwait(false);
        return Parse(response.Text);
    }

    internal static CriterionOutcome Parse(string text)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start >= 0 && end > start)
        {
            try
            {
                if (JsonNode.Parse(text[start..(end + 1)]) is JsonObject verdict && verdict["pass"] is JsonValue pass
                    && pass.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    var reason = verdict["reason"]?.ToString() ?? "";
                    return pass.GetValue<bool>() ? CriterionOutcome.Pass("judge: " + reason) : CriterionOutcome.Fail("judge: " + reason);
                }
            }
            catch (JsonException)
            {
                // Fall through.
            }
        }

        return new CriterionOutcome(CriterionStatus.Error, $"the judge's answer is not {{\"pass\": bool, \"reason\": …}}: {(text.Length > 300 ? text[..300] + "…" : text)}");
    }

    private string Clip(string text) => text.Length <= _maxContextChars / 2 ? text : text[..(_maxContextChars / 2)] + "…(truncated)";
}
