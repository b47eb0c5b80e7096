using System.Runtime.ExceptionServices;

namespace Archal.Testing.Hosting;

/// <summary>
/// A host started on behalf of a test fixture. A startup failure is kept and rethrown, with its real
/// cause, to every test that touches <see cref="Host"/> — instead of an unrelated error later.
/// The xUnit and NUnit adapters are thin wrappers over this.
/// </summary>
public sealed class ArchalHostLease : IAsyncDisposable
{
    private readonly ArchalHost _host;
    private ExceptionDispatchInfo? _failure;

    private ArchalHostLease(ArchalHost host) => _host = host;

    /// <summary>Starts a host; never throws (a failure is reported by <see cref="Host"/>).</summary>
    public static async Task<ArchalHostLease> StartAsync(ArchalHostOptions options, CancellationToken cancellationToken = default)
    {
        var lease = new ArchalHostLease(new ArchalHost(options));
        try
        {
            await lease._host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Do not catch general exception types: every failure is rethrown by Host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lease._failure = ExceptionDispatchInfo.Capture(ex);
        }

        return lease;
    }

    /// <summary>The started host.</summary>
    /// <exception cref="ArchalStartupException">The host failed to start; the inner exception is the cause.</exception>
    public ArchalHost Host => _failure is null
        ? _host
        : throw new ArchalStartupException($"The Archal host failed to start: {_failure.SourceException.Message}", _failure.SourceException);

    /// <summary>Whether the host started.</summary>
    public bool Started => _failure is null;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>The Archal host a fixture uses could not start. <see cref="Exception.InnerException"/> is the cause.</summary>
public sealed class ArchalStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArchalStartupException() { }

    /// <summary>Creates the exception.</summary>
    public ArchalStartupException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ArchalStartupException(string message, Exception innerException) : base(message, innerException) { }
}
