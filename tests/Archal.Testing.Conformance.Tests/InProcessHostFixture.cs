using Archal.Testing.Hosting;

namespace Archal.Testing.Conformance.Tests;

/// <summary>One in-process ArchalHost (TestServer handler, no socket) shared by the .NET SDK suites.</summary>
public sealed class InProcessHostFixture : IAsyncLifetime
{
    public ArchalHost Host { get; } = new(new ArchalHostOptions());

    public Task InitializeAsync() => Host.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class InProcessCollection : ICollectionFixture<InProcessHostFixture>
{
    public const string Name = "in-process";
}

/// <summary>
/// The one thing an SDK's own HttpClient needs to reach a session: the route header. Adds it and forwards to the
/// host (the TestServer handler in-process, a socket over Kestrel). The SDK builds every URL from the clone's api
/// base URL passed to it explicitly.
/// </summary>
public sealed class RouteHeaderHandler(ArchalHost host, ArchalSession session) : HttpMessageHandler
{
    // In-process: the host's raw client (no service token preset, so the SDK's own Authorization, or none, is what
    // the clone sees). Over Kestrel: a socket handler that leaves redirects to the SDK, as its own transport would
    // (SocketsHttpHandler follows them itself and drops Authorization on the way).
    private readonly HttpMessageInvoker _host = host.Options.UseKestrel
        ? new HttpMessageInvoker(new SocketsHttpHandler { AllowAutoRedirect = false })
        : host.CreateRawClient();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The SDK's HttpClient has already marked its message as sent, so the host's client gets a copy.
        using var forward = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
        foreach (var (name, values) in request.Headers)
        {
            forward.Headers.TryAddWithoutValidation(name, values);
        }

        foreach (var (name, value) in session.RouteHeaders)
        {
            forward.Headers.Remove(name);
            forward.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await _host.SendAsync(forward, cancellationToken).ConfigureAwait(false);
        response.RequestMessage = request;
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _host.Dispose();
        }

        base.Dispose(disposing);
    }
}
