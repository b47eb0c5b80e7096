using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Tests.Support;

/// <summary>
/// A test-only clone that sends one callback per <c>POST /send</c> (<c>{"url", "event", "retries": [seconds…]}</c>),
/// so the delivery engine is tested through the clone contract alone.
/// </summary>
public sealed class HookClone : CloneDefinition
{
    public override string Id => "hooks";

    public override string DisplayName => "Hooks";

    public override string Description => "Sends the callbacks it is asked to.";

    public override IReadOnlyList<string> SeedNames { get; } = ["empty"];

    public override string DefaultServiceToken => "hooks-service-token";

    public override CloneState CreateState(CloneSeedContext context) => new HookState(context);

    public override IReadOnlyList<CloneOperation> Operations { get; } =
    [
        new("send", "POST", "/send", "Send a callback", (HttpContext http) =>
        {
            var state = http.GetCloneState<HookState>();
            var request = JsonNode.Parse(http.GetCloneContext().Body.Span)!.AsObject();
            var number = ++state.Sent;
            var eventType = request["event"]?.GetValue<string>() ?? "thing.happened";
            var retries = request["retries"]?.AsArray().Select(r => TimeSpan.FromSeconds(r!.GetValue<double>())).ToList() ?? [];
            state.Webhooks.Send(new WebhookMessage
            {
                CloneId = "hooks",
                EventType = eventType,
                EventId = $"evt_{number}",
                Url = new Uri(request["url"]!.GetValue<string>()),
                Body = Encoding.UTF8.GetBytes(new JsonObject { ["n"] = number, ["type"] = eventType }.ToJsonString()),
                RetryDelays = retries,
                Headers = attempt =>
                [
                    new("X-Hook-Attempt", attempt.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("X-Hook-Previous", attempt.PreviousFailure.ToString()),
                    new("User-Agent", "Hooks/1.0"),
                ],
            });
            return CloneJson.Result(new { sent = number });
        }),
    ];

    public override Task HandleUnmatchedAsync(HttpContext http) =>
        CloneJson.Result(new { message = "no such route" }, StatusCodes.Status404NotFound).ExecuteAsync(http);
}

public sealed class HookState(CloneSeedContext seed) : CloneState("hooks", seed)
{
    public int Sent { get; set; }
}
