namespace Archal.Testing.Runtime;

/// <summary>
/// The routing handler refused a request: no clone in the session serves its host and the host is not on
/// the pass-through list. Deliberately not an <see cref="HttpRequestException"/>, so retry and resilience
/// handlers fail at once instead of retrying a request that can never be routed.
/// </summary>
public sealed class ArchalRoutingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ArchalRoutingException() { }

    /// <summary>Creates the exception.</summary>
    public ArchalRoutingException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ArchalRoutingException(string message, Exception innerException) : base(message, innerException) { }

    internal ArchalRoutingException(string message, Uri? requestUri) : base(message) => RequestUri = requestUri;

    /// <summary>The refused request's URI.</summary>
    public Uri? RequestUri { get; }
}
