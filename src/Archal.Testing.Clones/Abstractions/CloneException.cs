using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// A service error a clone raises from anywhere in a handler: the runtime catches it and lets the exception
/// render itself in the service's own shape (GitHub's <c>{message, documentation_url}</c>, Slack's
/// <c>{ok: false, error}</c>, Stripe's <c>{error: {type, code, message}}</c>). One model for every clone.
/// </summary>
public abstract class CloneException : Exception
{
    /// <summary>Creates the exception with a message for logs and the trace.</summary>
    protected CloneException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>Writes the service's error response.</summary>
    public abstract Task WriteAsync(HttpContext http);
}
