namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// An error the harness injects in place of a call (a fault rule's <c>effect</c>): the clone renders it with the
/// service's own status, headers and body (<see cref="CloneDefinition.WriteFaultAsync"/>).
/// </summary>
/// <param name="Status">The HTTP status asked for, or null to let the clone pick the status of <paramref name="Code"/>.</param>
/// <param name="Code">
/// A service error code, or null for the service's usual error of <paramref name="Status"/>: for example GitHub
/// <c>secondary_rate_limit</c>, Slack <c>fatal_error</c>, Stripe <c>lock_timeout</c> or a decline code such as
/// <c>insufficient_funds</c>.
/// </param>
public sealed record CloneFault(int? Status, string? Code)
{
    /// <summary>
    /// The wait a rate-limit answer asks for in <c>Retry-After</c>, in seconds; null for the service's usual value
    /// (GitHub's secondary limit 60, Slack 30).
    /// </summary>
    public int? RetryAfterSeconds { get; init; }
}
