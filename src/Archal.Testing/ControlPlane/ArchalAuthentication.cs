using Microsoft.AspNetCore.Http;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// The authentication service of the control plane and the route hop: Archal tokens, scopes and session ownership,
/// each failure as the platform's <c>{error, code, message, detail}</c>.
/// </summary>
internal sealed class ArchalAuthentication(ArchalTokenStore tokens, SessionStore sessions)
{
    /// <summary>Checks the control-plane bearer token and scope.</summary>
    public ControlPlaneError? Authenticate(HttpRequest request, string scope, out ArchalToken token)
    {
        token = null!;
        var header = request.Headers.Authorization.ToString();
        string? bearer = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            bearer = header["Bearer ".Length..].Trim();
        }
        else if (header.Length > 0)
        {
            return ControlPlaneError.Unauthorized("invalid_token", "The Authorization header must be 'Bearer <archal token>'.", "authorization scheme is not Bearer");
        }

        return CheckToken(bearer, scope, "Authorization", out token);
    }

    public ControlPlaneError? CheckToken(string? bearer, string scope, string header, out ArchalToken token)
    {
        var check = tokens.Check(bearer);
        token = check.Token!;
        return check.Failure switch
        {
            TokenFailure.Missing => ControlPlaneError.Unauthorized("missing_token", "An Archal token is required.", $"send '{header}: Bearer <archal token>'"),
            TokenFailure.Invalid => ControlPlaneError.Unauthorized("invalid_token", "The Archal token is not valid.", $"the token in '{header}' is unknown or revoked"),
            TokenFailure.Expired => ControlPlaneError.Unauthorized("token_expired", "The Archal token has expired.", $"expired at {SessionSummary.Timestamp(check.Token!.ExpiresAt!.Value)}"),
            _ when !check.Token!.HasScope(scope) => ControlPlaneError.Forbidden("insufficient_scope", $"The token lacks the '{scope}' scope.", $"granted: {string.Join(", ", check.Token.Scopes)}"),
            _ => null,
        };
    }

    /// <summary>Finds a session the token may see: 404 when unknown, 403 when another owner's.</summary>
    public ControlPlaneError? FindOwnedSession(string sessionId, ArchalToken token, out SessionRecord session)
    {
        session = sessions.Find(sessionId)!;
        if (session is null)
        {
            return ControlPlaneError.NotFound("session_not_found", $"Session '{sessionId}' does not exist.", $"sessionId: {sessionId}");
        }

        return session.OwnerId == token.OwnerId
            ? null
            : ControlPlaneError.Forbidden("session_forbidden", $"Session '{sessionId}' belongs to another owner.", $"sessionId: {sessionId}");
    }
}
