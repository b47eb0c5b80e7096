using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones;

/// <summary>The clones that ship with Archal.Testing.</summary>
public static class BuiltInClones
{
    /// <summary>New instances of every built-in clone definition: GitHub, Slack and Stripe.</summary>
    public static IReadOnlyList<CloneDefinition> Create() => [new GitHubClone(), new SlackClone(), new StripeClone()];
}
