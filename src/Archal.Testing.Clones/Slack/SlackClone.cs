using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Clones.Slack;

/// <summary>A stateful emulator of Slack's Web API (slack.com/api).</summary>
public sealed class SlackClone : CloneDefinition
{
    /// <inheritdoc />
    public override string Id => "slack";

    /// <inheritdoc />
    public override string DisplayName => "Slack";

    /// <inheritdoc />
    public override string Description => "Slack Web API: conversations, messages, threads, reactions, pins and users.";

    /// <inheritdoc />
    public override IReadOnlyList<string> SeedNames { get; } = ["empty"];

    /// <inheritdoc />
    public override string DefaultServiceToken => "xoxb-1000000000-1000000000000-AbCdEfGhIjKlMnOpQrStUvWx";

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.SeedName == "empty"
            ? new SlackState(context)
            : throw new CloneSeedException($"Slack has no seed named '{context.SeedName}'. Known seeds: {string.Join(", ", SeedNames)}.");
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapMethods("/api.test", ["GET", "POST"], () => CloneJson.Result(new { ok = true, args = new { } }));
        api.MapMethods("/auth.test", ["GET", "POST"], (HttpContext http) =>
            http.Request.GetServiceToken() is null
                ? CloneJson.Result(new { ok = false, error = "not_authed" })
                : CloneJson.Result(new { ok = true, url = "https://archal-testing.slack.com/", team = "Archal Testing", user = "archal-bot", team_id = "T00000001", user_id = "U00000001", bot_id = "B00000001", is_enterprise_install = false }));
    }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http) =>
        CloneJson.Result(new { ok = false, error = "unknown_method" }, StatusCodes.Status404NotFound).ExecuteAsync(http);
}

/// <summary>One session's Slack data.</summary>
public sealed class SlackState : CloneState
{
    internal SlackState(CloneSeedContext seed) : base("slack", seed) { }
}
