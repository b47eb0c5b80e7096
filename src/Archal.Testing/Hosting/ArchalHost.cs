using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.ControlPlane;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Archal.Testing.Hosting;

/// <summary>
/// One in-process host serving Archal's control plane and every clone emulator. Start it once per
/// test fixture, then create cheap sessions on it.
/// </summary>
/// <example>
/// <code>
/// await using var host = new ArchalHost();
/// await host.StartAsync();
/// await using var session = await host.StartSessionAsync(new SessionRequest("github"));
/// using var github = session.CreateClient("github");
/// var me = await github.GetStringAsync("user");
/// </code>
/// </example>
public sealed class ArchalHost : IAsyncDisposable
{
    private readonly ArchalHostOptions _options;
    private ArchalRuntime? _runtime;
    private IArchalApplicationFactory? _factory;
    private HttpMessageHandler? _handler;
    private Uri? _baseAddress;
    private int _started;
    private bool _disposed;

    /// <summary>Creates a host; nothing starts until <see cref="StartAsync"/>.</summary>
    public ArchalHost(ArchalHostOptions? options = null) => _options = options ?? new ArchalHostOptions();

    /// <summary>The options the host was created with.</summary>
    public ArchalHostOptions Options => _options;

    /// <summary>
    /// The host's origin: <c>http://localhost</c> for the in-memory server, or the bound loopback
    /// address (for example <c>http://127.0.0.1:51234</c>) with Kestrel.
    /// </summary>
    public Uri BaseAddress => _baseAddress ?? throw NotStarted();

    /// <summary>The default owner's Archal token (all scopes, never expires).</summary>
    public string Token => Runtime.DefaultToken.Value;

    /// <summary>Mints further personal tokens and workspace keys (other owners, scopes, expiry).</summary>
    public ArchalTokenStore Tokens => Runtime.Tokens;

    /// <summary>Whether the host listens on a real socket.</summary>
    public bool IsKestrel => _options.UseKestrel;

    /// <summary>The host's services (after start).</summary>
    public IServiceProvider Services => (_factory ?? throw NotStarted()).Services;

    internal ArchalRuntime Runtime => _runtime ?? throw NotStarted();

    /// <summary>The handler every host client sends through: the TestServer's in memory, or a socket handler with Kestrel.</summary>
    internal HttpMessageHandler Handler
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handler ?? throw NotStarted();
        }
    }

    /// <summary>Starts the host. Call once.</summary>
    /// <exception cref="InvalidOperationException">The host was already started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The host has already been started.");
        }

        _options.Validate();
        var runtime = new ArchalRuntime(new RuntimeSettings(
            [.. _options.Clones], _options.TimeProvider, _options.RandomSeed, _options.Token, _options.DefaultOwner, _options.DefaultSessionTtl,
            _options.RecordTraces, _options.MaxTraceEntriesPerSession, _options.MaxTraceBodyBytes, _options.MaxRequestBodyBytes)
        {
            MaxTraceBytesPerSession = _options.MaxTraceBytesPerSession,
            EndedSessionRetention = _options.EndedSessionRetention,
            RunRecordDirectory = _options.RunRecordDirectory,
        });
        var factory = ArchalApplicationFactory.Create(runtime, _options);
        if (_options.UseKestrel)
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _options.Port));
        }

        // StartServer blocks while the host builds; keep it off the caller's thread.
        await Task.Run(factory.StartServer, cancellationToken).ConfigureAwait(false);
        if (_options.UseKestrel)
        {
            var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            _baseAddress = new Uri(addresses.First());
            _handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        }
        else
        {
            _baseAddress = new Uri("http://localhost");
            _handler = factory.Server.CreateHandler();
        }

        runtime.Origin = _baseAddress.ToString().TrimEnd('/');
        _factory = factory;
        _runtime = runtime;
    }

    /// <summary>An HttpClient for the control plane, authenticated with <paramref name="token"/> (default: <see cref="Token"/>).</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = CreateRawClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token ?? Token);
        return client;
    }

    /// <summary>An HttpClient for the host with no headers preset.</summary>
    public HttpClient CreateRawClient()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new HttpClient(_handler ?? throw NotStarted(), disposeHandler: false) { BaseAddress = BaseAddress };
    }

    /// <summary>
    /// Starts a session through the control plane (<c>POST /api/sessions</c>) with the default token: the same
    /// verb as the test fixtures' <c>StartSessionAsync</c>.
    /// </summary>
    /// <exception cref="ArchalApiException">The control plane rejected the request.</exception>
    public Task<ArchalSession> StartSessionAsync(SessionRequest request, CancellationToken cancellationToken = default) =>
        CreateSessionAsync(request, cancellationToken);

    /// <summary>The former name of <see cref="StartSessionAsync"/>; prefer that.</summary>
    /// <exception cref="ArchalApiException">The control plane rejected the request.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public async Task<ArchalSession> CreateSessionAsync(SessionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/sessions", request.ToJson(), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || body is null)
        {
            throw ArchalApiException.From(response.StatusCode, body);
        }

        return new ArchalSession(this, body, Token);
    }

    /// <summary>Stops the host and ends every session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _handler?.Dispose();
        _runtime?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync().ConfigureAwait(false);
        }
    }

    private InvalidOperationException NotStarted() =>
        _disposed ? new InvalidOperationException("The host has been disposed.") : new InvalidOperationException("The host has not been started; call StartAsync first.");
}

/// <summary>The control plane answered with an error (<c>{ error, code, message, detail }</c>).</summary>
public sealed class ArchalApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArchalApiException(HttpStatusCode status, string code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    /// <summary>Creates the exception.</summary>
    public ArchalApiException() { }

    /// <summary>Creates the exception.</summary>
    public ArchalApiException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ArchalApiException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The error code, for example <c>unknown_seed</c>.</summary>
    public string Code { get; } = "";

    internal static ArchalApiException From(HttpStatusCode status, JsonObject? body) =>
        new(status, body?["code"]?.GetValue<string>() ?? "unknown",
            $"{(int)status} {body?["code"]?.GetValue<string>()}: {body?["message"]?.GetValue<string>() ?? "no error body"}");
}
