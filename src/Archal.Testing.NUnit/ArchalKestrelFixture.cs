using Archal.Testing.Hosting;

namespace Archal.Testing.NUnit;

/// <summary>
/// An <see cref="ArchalTestFixture"/> whose host listens on a real loopback port, for agents that run as
/// subprocesses: pass <see cref="ArchalSession.AgentEnvironment"/> to the process.
/// </summary>
public abstract class ArchalKestrelFixture : ArchalTestFixture
{
    /// <summary>Turns on Kestrel (<see cref="ArchalHostOptions.UseKestrel"/>). Overrides should call the base.</summary>
    protected override void Configure(ArchalHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseKestrel = true;
    }
}
