using System.Collections.Concurrent;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>The kind of an Archal token.</summary>
public enum ArchalTokenKind
{
    /// <summary>A personal token (<c>arc_…</c>), as from <c>archal login</c>.</summary>
    Personal,

    /// <summary>A workspace API key (<c>archal_ws_…</c>), as for CI.</summary>
    Workspace,
}

/// <summary>Token scopes understood by the control plane.</summary>
public static class ArchalScopes
{
    /// <summary>Read sessions, runs and traces; call clones.</summary>
    public const string SessionsRead = "sessions:read";

    /// <summary>Create and end sessions (implies <see cref="SessionsRead"/>).</summary>
    public const string SessionsWrite = "sessions:write";

    /// <summary>Every scope.</summary>
    public static IReadOnlyList<string> All { get; } = [SessionsRead, SessionsWrite];
}

/// <summary>An Archal token the host has minted.</summary>
/// <param name="Value">The bearer value.</param>
/// <param name="OwnerId">The user or workspace that owns the sessions the token creates.</param>
/// <param name="Kind">Personal token or workspace key.</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="ExpiresAt">When the token stops working; null for never.</param>
/// <param name="Label">A human label (workspace keys).</param>
public sealed record ArchalToken(
    string Value,
    string OwnerId,
    ArchalTokenKind Kind,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt,
    string? Label)
{
    /// <summary>Whether the token grants <paramref name="scope"/> (write implies read).</summary>
    public bool HasScope(string scope) =>
        Scopes.Contains(scope) || (scope == ArchalScopes.SessionsRead && Scopes.Contains(ArchalScopes.SessionsWrite));
}

/// <summary>Mints and validates Archal tokens: personal tokens and workspace keys with scopes and expiry.</summary>
public sealed class ArchalTokenStore
{
    private readonly ConcurrentDictionary<string, ArchalToken> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    internal ArchalTokenStore(TimeProvider time) => _time = time;

    /// <summary>Mints a personal token (<c>arc_…</c>) for <paramref name="userId"/>.</summary>
    /// <param name="userId">The owner.</param>
    /// <param name="scopes">Granted scopes; all scopes when null.</param>
    /// <param name="expiresAt">Expiry; never when null.</param>
    public ArchalToken IssuePersonalToken(string userId, IEnumerable<string>? scopes = null, DateTimeOffset? expiresAt = null) =>
        Register(new ArchalToken("arc_" + NextSecret(), Require(userId), ArchalTokenKind.Personal, Scopes(scopes), expiresAt, null));

    /// <summary>Mints a workspace API key (<c>archal_ws_…</c>) for <paramref name="workspaceId"/>.</summary>
    /// <param name="workspaceId">The owning workspace.</param>
    /// <param name="label">A label for the key.</param>
    /// <param name="scopes">Granted scopes; all scopes when null.</param>
    /// <param name="expiresAt">Expiry; never when null.</param>
    public ArchalToken IssueWorkspaceKey(string workspaceId, string label, IEnumerable<string>? scopes = null, DateTimeOffset? expiresAt = null) =>
        Register(new ArchalToken("archal_ws_" + NextSecret(), Require(workspaceId), ArchalTokenKind.Workspace, Scopes(scopes), expiresAt, label));

    /// <summary>Revokes a token. Returns false when it was unknown.</summary>
    public bool Revoke(string value) => _tokens.TryRemove(value, out _);

    internal ArchalToken Register(ArchalToken token)
    {
        if (!_tokens.TryAdd(token.Value, token))
        {
            throw new InvalidOperationException("A token with this value already exists.");
        }

        return token;
    }

    internal static bool HasTokenShape(string value) =>
        (value.StartsWith("arc_", StringComparison.Ordinal) && value.Length >= 12)
        || (value.StartsWith("archal_ws_", StringComparison.Ordinal) && value.Length >= 18);

    internal TokenCheck Check(string? bearer)
    {
        if (string.IsNullOrWhiteSpace(bearer))
        {
            return new TokenCheck(null, TokenFailure.Missing);
        }

        if (!_tokens.TryGetValue(bearer, out var token))
        {
            return new TokenCheck(null, TokenFailure.Invalid);
        }

        return token.ExpiresAt is { } expiresAt && _time.GetUtcNow() >= expiresAt
            ? new TokenCheck(token, TokenFailure.Expired)
            : new TokenCheck(token, TokenFailure.None);
    }

    // Tokens are secrets: a cryptographic random source, never the host's seed.
    private static string NextSecret() => System.Security.Cryptography.RandomNumberGenerator.GetString(Alphanumeric, 32);

    private static string Require(string owner) =>
        string.IsNullOrWhiteSpace(owner) ? throw new ArgumentException("The owner must not be empty.", nameof(owner)) : owner;

    private static string[] Scopes(IEnumerable<string>? scopes)
    {
        var list = scopes?.Distinct(StringComparer.Ordinal).ToArray() ?? [.. ArchalScopes.All];
        foreach (var scope in list)
        {
            if (!ArchalScopes.All.Contains(scope))
            {
                throw new ArgumentException($"Unknown scope '{scope}'. Known scopes: {string.Join(", ", ArchalScopes.All)}.", nameof(scopes));
            }
        }

        return list;
    }
}

internal enum TokenFailure
{
    None,
    Missing,
    Invalid,
    Expired,
}

internal readonly record struct TokenCheck(ArchalToken? Token, TokenFailure Failure);
