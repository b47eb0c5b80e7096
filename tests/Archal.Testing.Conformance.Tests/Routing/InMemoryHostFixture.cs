using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests.Routing;

/// <summary>One in-memory ArchalHost (no socket) for the routed .NET SDK tests.</summary>
public sealed class InMemoryHostFixture : IAsyncLifetime
{
    public ArchalHost Host { get; } = new();

    public Task InitializeAsync() => Host.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    public string ServiceToken(string cloneId) => Host.Options.Clones.Single(c => c.Id == cloneId).DefaultServiceToken;
}
