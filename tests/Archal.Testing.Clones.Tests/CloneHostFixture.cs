using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests;

/// <summary>One in-memory ArchalHost shared by the clone tests; each test starts its own session.</summary>
public sealed class CloneHostFixture : IAsyncLifetime
{
    public ArchalHost Host { get; } = new();

    public Task InitializeAsync() => Host.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();

    /// <summary>Starts a session with one clone (optionally a named seed) and returns it with a preset client.</summary>
    public async Task<(ArchalSession Session, HttpClient Client)> StartAsync(string cloneId, string? seed = null, string? serviceToken = null)
    {
        var request = new SessionRequest(cloneId);
        if (seed is not null)
        {
            request = request.WithSeed(cloneId, seed);
        }

        var session = await Host.CreateSessionAsync(request);
        return (session, session.CreateClient(cloneId, serviceToken));
    }
}

[CollectionDefinition(Name)]
public sealed class CloneHostCollection : ICollectionFixture<CloneHostFixture>
{
    public const string Name = "clone-host";
}
