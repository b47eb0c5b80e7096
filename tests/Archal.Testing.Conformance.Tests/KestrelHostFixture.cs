using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests;

/// <summary>One Kestrel-hosted ArchalHost shared by the conformance suite (node reaches it over loopback).</summary>
public sealed class KestrelHostFixture : IAsyncLifetime
{
    public ArchalHost Host { get; } = new(new ArchalHostOptions { UseKestrel = true });

    public Task InitializeAsync() => Host.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    /// <summary>Starts a session and returns the environment a node script needs.</summary>
    public async Task<(ArchalSession Session, Dictionary<string, string> Environment)> StartAsync(SessionRequest request)
    {
        var session = await Host.CreateSessionAsync(request);
        // The scripts read clone URLs, route headers and service tokens from the agent environment alone.
        return (session, new Dictionary<string, string>(session.AgentEnvironment));
    }
}

[CollectionDefinition(Name)]
public sealed class KestrelCollection : ICollectionFixture<KestrelHostFixture>
{
    public const string Name = "kestrel";
}
