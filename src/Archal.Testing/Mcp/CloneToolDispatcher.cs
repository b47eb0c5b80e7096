using System.Text;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Archal.Testing.Mcp;

/// <summary>
/// Sends a tool's operation requests through the host's own pipeline (routing, the route hop, the clone's endpoint),
/// as an internal request: the operation runs exactly as its REST call would (same state under the same per-clone
/// gate, same validation and errors, counted against <c>rateLimit</c>) and is traced with transport <c>mcp</c> and the
/// tool's name. No socket and no serialization beyond the request and response bodies.
/// </summary>
internal sealed class CloneToolDispatcher(IServiceScopeFactory scopes)
{
    private RequestDelegate? _pipeline;

    /// <summary>The app's pipeline after the subdomain rewrite, captured when the host is configured.</summary>
    public Func<RequestDelegate, RequestDelegate> Capture => next =>
    {
        _pipeline = next;
        return next;
    };

    public async Task<CloneToolResponse> SendAsync(HttpContext mcpRequest, RuntimeMcpHop hop, string tool, CloneToolRequest request, CancellationToken cancellationToken)
    {
        var pipeline = _pipeline ?? throw new InvalidOperationException("The MCP endpoint runs before the host pipeline was built.");
        var operation = hop.Definition.Operations.FirstOrDefault(o => o.Id == request.OperationId)
            ?? throw new InvalidOperationException($"The {hop.Definition.Id} tool '{tool}' sends '{request.OperationId}', which is not in the clone's operation table.");

        var method = request.Method?.ToUpperInvariant() ?? operation.Method;
        if (!operation.RouteMethods.Contains(method, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"The {hop.Definition.Id} tool '{tool}' sends {method} to '{operation.Id}', whose route answers {string.Join(", ", operation.RouteMethods)}.");
        }

        var requestFeature = new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Method = method,
            Scheme = mcpRequest.Request.Scheme,
            PathBase = mcpRequest.Request.PathBase,
            Path = $"/runtime/{hop.Session.Id}/{hop.Definition.Id}/api{request.ResolvePath(operation)}",
            QueryString = request.QueryString(),
        };
        requestFeature.RawTarget = requestFeature.PathBase + requestFeature.Path + requestFeature.QueryString;
        var headers = requestFeature.Headers;
        headers.Host = mcpRequest.Request.Host.Value;
        // The clone sees the service credential the agent gave its MCP client, as a REST call would carry it.
        if (mcpRequest.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            headers.Authorization = authorization;
        }

        headers.UserAgent = mcpRequest.Request.Headers.UserAgent;
        headers.Accept = "application/json";
        byte[] body = [];
        if (request.Json is { } json)
        {
            body = Encoding.UTF8.GetBytes(json.ToJsonString());
            headers.ContentType = "application/json";
        }
        else if (request.Form is { } form)
        {
            body = Encoding.UTF8.GetBytes(CloneToolRequest.Encode(form));
            headers.ContentType = "application/x-www-form-urlencoded";
        }

        if (body.Length > 0)
        {
            headers.ContentLength = body.Length;
        }

        requestFeature.Body = new MemoryStream(body, writable: false);

        using var responseBody = new MemoryStream();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(requestFeature);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set(new RuntimeCallOrigin(hop.Session, "mcp", tool));

        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext(features) { RequestServices = scope.ServiceProvider };
        http.Connection.RemoteIpAddress = mcpRequest.Connection.RemoteIpAddress;
        await pipeline(http).ConfigureAwait(false);

        var responseHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in http.Response.Headers)
        {
            responseHeaders[name] = value.ToString();
        }

        return new CloneToolResponse(http.Response.StatusCode, Encoding.UTF8.GetString(responseBody.GetBuffer(), 0, (int)responseBody.Length), responseHeaders);
    }
}
