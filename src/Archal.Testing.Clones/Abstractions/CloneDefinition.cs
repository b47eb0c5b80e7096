using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// The contract every clone implements: what it is called, which named seeds it offers, how it builds
/// per-session state from a seed, and which endpoints it serves under its api base URL.
/// </summary>
/// <remarks>
/// A definition is stateless and shared by every session on a host; all mutable data lives in the
/// <see cref="CloneState"/> it creates per session. Endpoints are mapped once per host under
/// <c>/runtime/{sessionId}/{Id}/api</c>; a handler reaches its session's state through
/// <see cref="CloneHttpContextExtensions.GetCloneContext(HttpContext)"/>.
/// </remarks>
public abstract class CloneDefinition
{
    /// <summary>The clone id used in URLs and session requests, lower case (for example <c>github</c>).</summary>
    public abstract string Id { get; }

    /// <summary>The service's display name (for example <c>GitHub</c>).</summary>
    public abstract string DisplayName { get; }

    /// <summary>One sentence describing what the clone emulates.</summary>
    public abstract string Description { get; }

    /// <summary>The named seeds this clone can start from. Always contains <see cref="DefaultSeed"/>.</summary>
    public abstract IReadOnlyList<string> SeedNames { get; }

    /// <summary>The seed used when a session names none. The default value is <c>empty</c>.</summary>
    public virtual string DefaultSeed => "empty";

    /// <summary>
    /// A non-empty, service-shaped credential that harness clients send in <c>Authorization</c>
    /// when the caller does not choose one (for example a <c>ghp_</c> token for GitHub).
    /// </summary>
    public abstract string DefaultServiceToken { get; }

    /// <summary>
    /// The environment variables an agent reads its service credential from by convention (for example
    /// <c>GITHUB_TOKEN</c>); <c>ArchalSession.AgentEnvironment</c> sets each to <see cref="DefaultServiceToken"/>.
    /// The default is none.
    /// </summary>
    public virtual IReadOnlyList<string> ServiceTokenVariables => [];

    /// <summary>
    /// The production base URLs this clone stands in for (for example <c>https://api.github.com/</c>),
    /// each ending in <c>/</c>. The in-process routing handler sends a request under one of them to the
    /// same path under the clone's api base URL. The default is none: the clone is reached only by its
    /// api base URL.
    /// </summary>
    public virtual IReadOnlyList<Uri> ProductionBaseUrls => [];

    /// <summary>Builds this clone's state for one session.</summary>
    /// <exception cref="CloneSeedException">The seed names something that does not exist.</exception>
    public abstract CloneState CreateState(CloneSeedContext context);

    /// <summary>
    /// Every operation the clone serves, in one table. Routing, traces, the operations catalog, the coverage
    /// page and per-operation behaviour read this table; nothing re-derives an operation from a URL.
    /// </summary>
    public abstract IReadOnlyList<CloneOperation> Operations { get; }

    /// <summary>
    /// Maps the clone's endpoints under its api base URL. The default maps each of <see cref="Operations"/> with
    /// <see cref="MapOperation"/>; override to put the clone's own prelude in front of its handlers.
    /// </summary>
    public virtual void MapEndpoints(IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var operation in Operations)
        {
            MapOperation(api, operation);
        }
    }

    /// <summary>
    /// Maps one operation: its route, its methods, and the operation itself as endpoint metadata. A handler that is
    /// not a <see cref="RequestDelegate"/> is compiled on its first call (not at start-up), so a host starts in
    /// the same time whether a clone has ten operations or three hundred.
    /// </summary>
    /// <param name="api">The clone's route group.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="prelude">Optional code around the handler (authentication, rate limits, headers).</param>
    protected static IEndpointConventionBuilder MapOperation(IEndpointRouteBuilder api, CloneOperation operation, Func<RequestDelegate, RequestDelegate>? prelude = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(operation);
        var handler = CompileLazily(operation, api.ServiceProvider);
        return api.MapMethods(operation.Template, operation.RouteMethods, prelude is null ? handler : prelude(handler))
            .WithMetadata(operation);
    }

    private static RequestDelegate CompileLazily(CloneOperation operation, IServiceProvider services)
    {
        if (operation.Handler is RequestDelegate direct)
        {
            return direct;
        }

        RequestDelegate? compiled = null;
        var parameters = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(operation.Template).Parameters.Select(p => p.Name).ToList();
        // Two first calls racing compile twice; either result is the same delegate.
        return http => (compiled ??= RequestDelegateFactory.Create(operation.Handler, new RequestDelegateFactoryOptions
        {
            ServiceProvider = services,
            RouteParameterNames = parameters,
        }).RequestDelegate)(http);
    }

    /// <summary>
    /// Answers a request no mapped endpoint matched, in the service's own shape
    /// (GitHub's 404 body, Slack's <c>unknown_method</c>, Stripe's unrecognized request URL).
    /// </summary>
    public abstract Task HandleUnmatchedAsync(HttpContext http);

    /// <summary>
    /// Answers a request whose body is over the host's request-body limit, in the service's own shape.
    /// The default is HTTP 413 with <c>{"message": "Request body too large"}</c>.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="limit">The limit in bytes.</param>
    public virtual Task WriteRequestTooLargeAsync(HttpContext http, long limit)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync($"{{\"message\":\"Request body too large: the limit is {limit} bytes.\"}}", http.RequestAborted);
    }

    // ---- Injected faults (fault rules' effects) ----

    /// <summary>
    /// Checks an injected error before a fault rule is accepted. Returns the problem as one sentence without a final
    /// period (for example that the clone has no such error code), or null when the clone can render it. The default
    /// accepts any 4xx or 5xx status without a code.
    /// </summary>
    /// <param name="fault">The status and code the rule asks for.</param>
    public virtual string? CheckFault(CloneFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.Code is not null)
        {
            return $"the {Id} clone has no error codes; give only a status";
        }

        return fault.Status is >= 400 and <= 599 ? null : "status must be an HTTP error status (400 to 599)";
    }

    /// <summary>
    /// Writes an injected error as the service answers it: its status, headers and body (GitHub's rate-limit headers and
    /// messages, Slack's <c>{"ok": false, "error": …}</c>, Stripe's <c>{"error": {"type", "code", …}}</c>). The handler
    /// does not run and the state does not change. The default writes <c>{"message": reason phrase}</c>.
    /// </summary>
    /// <param name="http">The request being answered.</param>
    /// <param name="fault">A fault <see cref="CheckFault"/> accepted.</param>
    public virtual Task WriteFaultAsync(HttpContext http, CloneFault fault)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(fault);
        var status = fault.Status ?? StatusCodes.Status500InternalServerError;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new System.Text.Json.Nodes.JsonObject { ["message"] = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) };
        return http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    /// <summary>
    /// The clone's MCP tools, named and shaped as the vendor's own MCP server declares them, each mapped onto
    /// <see cref="Operations"/>. Served per session at <c>/runtime/{sessionId}/{Id}/mcp</c>. The default is none.
    /// </summary>
    public virtual IReadOnlyList<CloneTool> Tools => [];

    /// <summary>
    /// Adds an event subscription to one session's state (the service's own verification handshake included). The
    /// default refuses: the clone's events are configured through its own API (GitHub hooks, Stripe webhook endpoints)
    /// or it has none.
    /// </summary>
    /// <param name="state">The session's state for this clone (the caller holds the session's gate).</param>
    /// <param name="subscription">The subscription.</param>
    /// <exception cref="ArgumentException">The subscription names an unknown event or is otherwise invalid.</exception>
    /// <exception cref="NotSupportedException">The clone has no subscriptions configured this way.</exception>
    public virtual void Subscribe(CloneState state, EventSubscription subscription) =>
        throw new NotSupportedException($"The {Id} clone takes no event subscriptions; its webhooks are configured through its own API.");

    // ---- Clone knowledge the harness reads through the contract (criteria, seed files, redaction) ----

    /// <summary>The words [D] criteria use for this clone's entities. The default is <see cref="CloneVocabulary.Empty"/>.</summary>
    public virtual CloneVocabulary Vocabulary => CloneVocabulary.Empty;

    /// <summary>The credential shapes and secret fields traces redact. The default is <see cref="CloneSecrets.None"/>.</summary>
    public virtual CloneSecrets Secrets => CloneSecrets.None;

    /// <summary>
    /// Writes one session's state as this clone's seed-data block, so a new session seeded with it (on the
    /// <c>empty</c> seed) starts with the same entities: <c>{"state": {"tables": {…}, …bookkeeping}}</c>, which the clone's
    /// seeder reads back in place of its named seed. The default refuses: the clone cannot export its state.
    /// </summary>
    /// <param name="state">The session's state for this clone (the caller holds the session's gate, or owns a private copy).</param>
    /// <exception cref="NotSupportedException">The clone cannot export its state as seed data.</exception>
    public virtual System.Text.Json.Nodes.JsonObject ExportSeedData(CloneState state) =>
        throw new NotSupportedException($"The {Id} clone cannot export its state as a seed file: it does not implement CloneDefinition.ExportSeedData.");

    /// <summary>
    /// Checks the entities a seed file declares for this clone before any session is made, for example that
    /// an issue's repository is declared too. Returns each problem as one sentence without a final period
    /// (see <see cref="SeedFileCheck.Missing"/>); the default finds none.
    /// </summary>
    /// <param name="data">The clone's block of the seed file without its <c>seed:</c> key, relative times normalized.</param>
    /// <param name="baseSeed">The named seed the block applies on top of (<c>empty</c> unless the block says <c>seed:</c>).</param>
    public virtual IReadOnlyList<string> CheckSeedData(System.Text.Json.Nodes.JsonObject data, string baseSeed) => [];
}
