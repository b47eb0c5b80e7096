using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// One operation of a clone, as the vendor names and documents it: the row of the clone's operation table that
/// routing, the trace, the catalog (<c>GET /api/clones/{cloneId}/operations</c>), the coverage page and
/// per-operation behaviour all read. Each operation is attached to its endpoint as metadata, so the runtime
/// knows the operation of a request from the matched endpoint alone.
/// </summary>
public sealed class CloneOperation
{
    /// <summary>Creates an operation.</summary>
    /// <param name="id">The vendor's operation id (GitHub <c>issues/create</c>, Slack <c>chat.postMessage</c>, Stripe <c>customers/create</c>).</param>
    /// <param name="method">The documented HTTP method.</param>
    /// <param name="template">The route template relative to the clone's api base URL, starting with <c>/</c>.</param>
    /// <param name="summary">A one-line summary.</param>
    /// <param name="handler">The endpoint handler: a <see cref="RequestDelegate"/>, or any delegate minimal APIs bind (route values by parameter name).</param>
    public CloneOperation(string id, string method, string template, string summary, Delegate handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(template);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(handler);
        if (template[0] != '/')
        {
            throw new ArgumentException($"An operation template starts with '/': '{template}'.", nameof(template));
        }

        Id = id;
        Method = method.ToUpperInvariant();
        Template = template;
        Summary = summary;
        Handler = handler;
        Mutates = !(HttpMethods.IsGet(Method) || HttpMethods.IsHead(Method));
        RouteMethods = [Method];
    }

    /// <summary>The vendor's operation id.</summary>
    public string Id { get; }

    /// <summary>The documented HTTP method (upper case).</summary>
    public string Method { get; }

    /// <summary>The route template relative to the api base URL (for example <c>/repos/{owner}/{repo}/issues</c>).</summary>
    public string Template { get; }

    /// <summary>A one-line summary.</summary>
    public string Summary { get; }

    /// <summary>Whether the operation changes state. The default is true for every method but GET and HEAD.</summary>
    public bool Mutates { get; init; }

    /// <summary>The vendor's documentation of the operation, or null.</summary>
    public Uri? DocUrl { get; init; }

    /// <summary>The HTTP methods the route answers. The default is <see cref="Method"/> alone (Slack answers GET and POST).</summary>
    public IReadOnlyList<string> RouteMethods { get; init; }

    /// <summary>The endpoint handler.</summary>
    public Delegate Handler { get; }

    /// <summary>Clone-specific data for the clone's own plumbing (for example whether a GitHub route needs a user). Not observable.</summary>
    public object? Tag { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Method} {Template})";
}
