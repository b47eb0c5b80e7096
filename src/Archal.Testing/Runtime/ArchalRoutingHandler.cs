using System.Text;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Runtime;

/// <summary>
/// Route mode, in-process: an <see cref="HttpMessageHandler"/> that sends requests for the services'
/// production hosts (<c>https://api.github.com/…</c>, <c>https://slack.com/api/…</c>,
/// <c>https://api.stripe.com/…</c>, as each clone declares in <c>CloneDefinition.ProductionBaseUrls</c>)
/// to one session's clones. It adds the route hop (<c>x-route-authorization</c>) and keeps the app's own
/// <c>Authorization</c>; method, path, query, other headers and the body reach the clone unchanged.
/// Requests go through the host's own handler: in memory (no socket), or over loopback when the host
/// uses Kestrel. A request for any other host is refused with an <see cref="ArchalRoutingException"/>
/// unless <see cref="ArchalRoutingOptions.PassThroughHosts"/> allows it.
/// </summary>
/// <remarks>
/// Create it with <c>ArchalSession.CreateRoutingHandler</c>; dispose it when done (the host's
/// handler is shared and stays open). Links the clones render (pagination, <c>url</c> fields) point at
/// the host's <c>/runtime/…</c> URLs, which this handler also forwards, so following them works.
/// </remarks>
public sealed class ArchalRoutingHandler : HttpMessageHandler
{
    private readonly HttpMessageInvoker _host;
    private readonly Uri _hostOrigin;
    private readonly string _sessionId;
    private readonly string _routeAuthorization;
    private readonly Route[] _routes;
    private readonly ArchalRoutingOptions _options;
    private readonly Lock _passThroughLock = new();
    private HttpMessageInvoker? _passThrough;
    private bool _disposed;

    /// <param name="sessionId">The session whose clones answer.</param>
    /// <param name="routeToken">The Archal token for the route hop.</param>
    /// <param name="apiBaseUrls">The session's clones and their api base URLs.</param>
    /// <param name="hostHandler">The host's handler (shared; not disposed here).</param>
    /// <param name="hostOrigin">The host's origin, whose <c>/runtime/…</c> URLs are forwarded as they are.</param>
    /// <param name="hostClones">Every clone the host serves (to tell "not in this session" from "no such service").</param>
    /// <param name="options">Pass-through hosts.</param>
    internal ArchalRoutingHandler(string sessionId, string routeToken, IReadOnlyDictionary<string, Uri> apiBaseUrls,
        HttpMessageHandler hostHandler, Uri hostOrigin, IEnumerable<CloneDefinition> hostClones, ArchalRoutingOptions options)
    {
        _host = new HttpMessageInvoker(hostHandler, disposeHandler: false);
        _hostOrigin = hostOrigin;
        _sessionId = sessionId;
        _routeAuthorization = $"Bearer {routeToken}";
        _options = options.Validate();
        _routes =
        [
            .. hostClones
                .SelectMany(clone => clone.ProductionBaseUrls.Select(baseUrl => new Route(
                    baseUrl, clone.Id, apiBaseUrls.GetValueOrDefault(clone.Id))))
                .OrderByDescending(route => route.BaseUrl.AbsolutePath.Length),
        ];
    }

    /// <summary>The production base URLs this handler routes, each with the clone that serves it in this session.</summary>
    public IReadOnlyDictionary<Uri, string> RoutedBaseUrls =>
        _routes.Where(r => r.ApiBaseUrl is not null).GroupBy(r => r.BaseUrl).ToDictionary(g => g.Key, g => g.First().CloneId);

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new ArchalRoutingException(
                $"Archal routing needs an absolute request URI; got '{uri}'. Give the HttpClient a BaseAddress such as https://api.github.com/.", uri);
        }

        if (Match(uri) is { } route)
        {
            if (route.ApiBaseUrl is null)
            {
                throw new ArchalRoutingException(
                    $"Archal routing refused {request.Method} {uri}: {Authority(uri)} is served by the '{route.CloneId}' clone, " +
                    $"which session {_sessionId} does not include. Add \"{route.CloneId}\" to the SessionRequest's clones.", uri);
            }

            var rest = uri.AbsolutePath.Length >= route.BaseUrl.AbsolutePath.Length
                ? uri.AbsolutePath[route.BaseUrl.AbsolutePath.Length..]
                : "";
            return SendToHostAsync(request, new Uri($"{route.ApiBaseUrl}/{rest}{uri.Query}"), cancellationToken);
        }

        if (IsHostRuntimeUrl(uri))
        {
            return SendToHostAsync(request, uri, cancellationToken);
        }

        if (_options.AllowsPassThrough(uri))
        {
            return PassThrough().SendAsync(request, cancellationToken);
        }

        throw new ArchalRoutingException(Refusal(request.Method, uri), uri);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        // Synchronous SDK calls (Stripe.net's non-async methods) end here; the in-memory server is async only.
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _host.Dispose();
            _passThrough?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<HttpResponseMessage> SendToHostAsync(HttpRequestMessage request, Uri target, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        var hadRouteHeader = request.Headers.TryGetValues(RuntimeProxyMiddleware.RouteAuthorizationHeader, out var appRouteHeader);
        request.Headers.Remove(RuntimeProxyMiddleware.RouteAuthorizationHeader);
        request.Headers.TryAddWithoutValidation(RuntimeProxyMiddleware.RouteAuthorizationHeader, _routeAuthorization);
        var host = request.Headers.Host;
        request.Headers.Host = null;
        request.RequestUri = target;
        try
        {
            return await _host.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The app sees its own request again (response.RequestMessage, logging after the call).
            request.RequestUri = original;
            request.Headers.Host = host;
            request.Headers.Remove(RuntimeProxyMiddleware.RouteAuthorizationHeader);
            if (hadRouteHeader)
            {
                request.Headers.TryAddWithoutValidation(RuntimeProxyMiddleware.RouteAuthorizationHeader, appRouteHeader!);
            }
        }
    }

    private Route? Match(Uri uri)
    {
        foreach (var route in _routes)
        {
            var baseUrl = route.BaseUrl;
            if (!string.Equals(uri.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase)
                || !(uri.Port == baseUrl.Port || (uri.IsDefaultPort && baseUrl.IsDefaultPort)))
            {
                continue;
            }

            var prefix = baseUrl.AbsolutePath;
            if (uri.AbsolutePath.StartsWith(prefix, StringComparison.Ordinal)
                || string.Equals(uri.AbsolutePath, prefix.TrimEnd('/'), StringComparison.Ordinal))
            {
                return route;
            }
        }

        return null;
    }

    private bool IsHostRuntimeUrl(Uri uri) =>
        Uri.Compare(uri, _hostOrigin, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
        && uri.AbsolutePath.StartsWith("/runtime/", StringComparison.Ordinal);

    private HttpMessageInvoker PassThrough()
    {
        lock (_passThroughLock)
        {
            return _passThrough ??= new HttpMessageInvoker(_options.PassThroughHandlerFactory?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true);
        }
    }

    private string Refusal(HttpMethod method, Uri uri)
    {
        var message = new StringBuilder()
            .Append($"Archal routing refused {method} {uri}: no clone in session {_sessionId} serves {Authority(uri)}{uri.AbsolutePath}, ")
            .Append("and nothing leaves the process unless you allow it.");
        var routed = _routes.Where(r => r.ApiBaseUrl is not null).ToList();
        var sibling = routed.FirstOrDefault(r => SameDomain(r.BaseUrl.Host, uri.Host));
        if (sibling is not null)
        {
            message.Append($" The '{sibling.CloneId}' clone serves {sibling.BaseUrl} only.");
        }

        message.Append(routed.Count == 0
            ? " This session routes no production host."
            : $" This session routes {string.Join(", ", routed.Select(r => $"{r.BaseUrl} → {r.CloneId}"))}.");
        message.Append($" To let {Authority(uri)} reach the network, add \"{Authority(uri)}\" to ArchalRoutingOptions.PassThroughHosts.");
        return message.ToString();
    }

    private static string Authority(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    /// <summary>Whether two host names share their last two labels (uploads.github.com and api.github.com).</summary>
    private static bool SameDomain(string a, string b)
    {
        static string Domain(string host)
        {
            var labels = host.Split('.');
            return labels.Length <= 2 ? host : string.Join('.', labels[^2..]);
        }

        return string.Equals(Domain(a), Domain(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One production base URL and the clone's api base URL in this session (null: clone not in the session).</summary>
    private sealed record Route(Uri BaseUrl, string CloneId, Uri? ApiBaseUrl);
}
