namespace Archal.Testing.Clones;

/// <summary>
/// The ids of the built-in clones, for <c>new SessionRequest(CloneIds.GitHub)</c>,
/// <c>session.CreateClient(CloneIds.Slack)</c> and seed maps. Seed names: <see cref="GitHub.GitHubSeeds"/>,
/// <see cref="Slack.SlackSeeds"/>, <see cref="Stripe.StripeSeeds"/>.
/// </summary>
public static class CloneIds
{
    /// <summary>The GitHub clone (REST API v3 at <c>…/github/api</c>).</summary>
    public const string GitHub = "github";

    /// <summary>The Slack clone (Web API at <c>…/slack/api</c>).</summary>
    public const string Slack = "slack";

    /// <summary>The Stripe clone (API at <c>…/stripe/api</c>).</summary>
    public const string Stripe = "stripe";
}
