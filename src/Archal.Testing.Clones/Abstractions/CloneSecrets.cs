namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// What a clone's traffic carries that a trace must not keep: its credential shapes and the names of
/// fields and parameters whose values are secret.
/// </summary>
public sealed class CloneSecrets
{
    /// <summary>A clone with no secrets of its own.</summary>
    public static CloneSecrets None { get; } = new();

    /// <summary>
    /// Regular expressions (.NET syntax, no anchors or captures needed) matching the service's tokens and keys
    /// wherever they appear, for example <c>gh[pousr]_[A-Za-z0-9]{20,}</c>. Each match is replaced.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> TokenPatterns { get; init; } = [];

    /// <summary>
    /// Field names whose values are secret in query strings, form bodies and JSON (<c>client_secret</c>);
    /// the harness always treats <c>token</c>, <c>password</c> and similar as secret.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Fields { get; init; } = [];
}
