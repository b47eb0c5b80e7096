using Archal.Testing.Hosting;
using NUnit.Framework;

namespace Archal.Testing.NUnit;

/// <summary>
/// Base class for NUnit fixtures: one Archal host per fixture, started in <c>[OneTimeSetUp]</c> and
/// stopped in <c>[OneTimeTearDown]</c>. Tests start cheap sessions on it.
/// </summary>
/// <remarks>
/// Override <see cref="Configure"/> to change options. If the host fails to start, every test fails
/// with <see cref="ArchalStartupException"/> carrying the cause.
/// </remarks>
public abstract class ArchalTestFixture
{
    private ArchalHostLease? _lease;

    /// <summary>The host.</summary>
    /// <exception cref="ArchalStartupException">The host failed to start.</exception>
    protected ArchalHost Host => (_lease ?? throw new InvalidOperationException("OneTimeSetUp has not run.")).Host;

    /// <summary>Starts a session on the host.</summary>
    protected Task<ArchalSession> StartSessionAsync(SessionRequest request, CancellationToken cancellationToken = default) =>
        Host.CreateSessionAsync(request, cancellationToken);

    /// <summary>Adjusts the host options before start. The default leaves them as they are.</summary>
    protected virtual void Configure(ArchalHostOptions options) { }

    /// <summary>Starts the host (NUnit calls this once per fixture).</summary>
    [OneTimeSetUp]
    public async Task StartArchalHostAsync()
    {
        var options = new ArchalHostOptions();
        Configure(options);
        _lease = await ArchalHostLease.StartAsync(options).ConfigureAwait(false);
    }

    /// <summary>Stops the host (NUnit calls this once per fixture).</summary>
    [OneTimeTearDown]
    public async Task StopArchalHostAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}
