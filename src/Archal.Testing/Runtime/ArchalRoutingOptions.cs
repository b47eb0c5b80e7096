namespace Archal.Testing.Runtime;

/// <summary>Options of an <see cref="ArchalRoutingHandler"/>.</summary>
public sealed class ArchalRoutingOptions
{
    /// <summary>
    /// Hosts that may reach the real network, as <c>host</c> (any port) or <c>host:port</c>, case-insensitive
    /// (for example <c>localhost</c> for the app's own host). Everything else that no clone serves is refused.
    /// </summary>
    /// <value>The default value is an empty set: nothing leaves the process.</value>
    public ISet<string> PassThroughHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Creates the handler that sends pass-through requests. It is created on the first such request and
    /// disposed with the routing handler.
    /// </summary>
    /// <value>The default value is null: a <see cref="SocketsHttpHandler"/>.</value>
    public Func<HttpMessageHandler>? PassThroughHandlerFactory { get; set; }

    internal bool AllowsPassThrough(Uri uri) =>
        PassThroughHosts.Contains(uri.Host) || PassThroughHosts.Contains($"{uri.Host}:{uri.Port}");

    internal ArchalRoutingOptions Validate()
    {
        foreach (var host in PassThroughHosts)
        {
            if (string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Pass-through hosts are 'host' or 'host:port'; '{host}' is not.", nameof(PassThroughHosts));
            }
        }

        return this;
    }
}
