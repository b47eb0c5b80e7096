using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>What a clone handler knows about the request it serves: session, state and its own base URL.</summary>
/// <param name="SessionId">The session being served.</param>
/// <param name="Definition">The clone definition.</param>
/// <param name="State">This session's state for the clone.</param>
/// <param name="ApiBaseUrl">
/// The clone's api base URL as the caller reached it, without a trailing slash
/// (for example <c>http://localhost/runtime/ses-x/github/api</c>). Use it for <c>url</c> fields.
/// </param>
/// <param name="RequestId">A deterministic id for this request within the session.</param>
public sealed record CloneRequestContext(
    string SessionId,
    CloneDefinition Definition,
    CloneState State,
    string ApiBaseUrl,
    string RequestId)
{
    /// <summary>The operation of the matched endpoint, or null when no operation matched.</summary>
    public CloneOperation? Operation { get; init; }

    /// <summary>The request body, read once by the runtime (empty for requests without one).</summary>
    public CloneRequestBody Body { get; init; } = CloneRequestBody.Empty;
}

/// <summary>Access to the clone context from inside a clone's endpoint.</summary>
public static class CloneHttpContextExtensions
{
    /// <summary>The context of the clone request being served.</summary>
    /// <exception cref="InvalidOperationException">The request did not come through the runtime proxy.</exception>
    public static CloneRequestContext GetCloneContext(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Features.Get<CloneRequestContext>()
            ?? throw new InvalidOperationException("This request did not come through the Archal runtime proxy.");
    }

    /// <summary>This session's state for the clone, typed.</summary>
    public static TState GetCloneState<TState>(this HttpContext http) where TState : CloneState =>
        (TState)http.GetCloneContext().State;

    /// <summary>The bearer (or <c>token</c>-scheme) credential in <c>Authorization</c>, or null when absent or empty.</summary>
    public static string? GetServiceToken(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return header.Trim();
        }

        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            // Basic auth carries the key as the user name (Stripe's "sk_test_...:" form) or the password.
            try
            {
                var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                var user = colon < 0 ? decoded : decoded[..colon];
                var password = colon < 0 ? "" : decoded[(colon + 1)..];
                value = user.Length > 0 ? user : password;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return value.Length == 0 ? null : value;
    }
}
