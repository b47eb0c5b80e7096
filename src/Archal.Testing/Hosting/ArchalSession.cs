using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;

namespace Archal.Testing.Hosting;

/// <summary>
/// A running session on an <see cref="ArchalHost"/>: its clone URLs, preset clients, the agent
/// environment for subprocesses, and direct access to each clone's state for assertions.
/// </summary>
public sealed class ArchalSession : IAsyncDisposable
{
    private readonly ArchalHost _host;
    private bool _ended;
    private bool _disposed;

    internal ArchalSession(ArchalHost host, JsonObject summary, string routeToken)
    {
        _host = host;
        Faults = new SessionFaultRules(this);
        Summary = summary;
        RouteToken = routeToken;
        Id = summary["sessionId"]!.GetValue<string>();
        RunId = summary["evidence"]!["runId"]!.GetValue<string>();
        CloneIds = [.. summary["cloneIds"]!.AsArray().Select(c => c!.GetValue<string>())];
        ApiBaseUrls = summary["apiBaseUrls"]!.AsObject().ToDictionary(p => p.Key, p => new Uri(p.Value!.GetValue<string>()), StringComparer.Ordinal);
        McpUrls = summary["mcp"]!.AsObject().ToDictionary(p => p.Key, p => new Uri(p.Value!.GetValue<string>()), StringComparer.Ordinal);
        Endpoints = summary["endpoints"]!.AsObject().ToDictionary(p => p.Key, p => new Uri(p.Value!.GetValue<string>()), StringComparer.Ordinal);
        ResolvedSeeds = summary["resolvedSeeds"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
        _record = host.Runtime.Sessions.Find(Id);
    }

    /// <summary>The session id (<c>ses-…</c>).</summary>
    public string Id { get; }

    /// <summary>The run record id (<c>run-…</c>), served at <c>GET /api/runs/{runId}</c>.</summary>
    public string RunId { get; }

    /// <summary>The clones in this session.</summary>
    public IReadOnlyList<string> CloneIds { get; }

    /// <summary>Each clone's api base URL (the clone's stand-in for <c>https://api.github.com</c> and so on).</summary>
    public IReadOnlyDictionary<string, Uri> ApiBaseUrls { get; }

    /// <summary>Each clone's Streamable HTTP MCP endpoint (<c>{clone root}/mcp</c>), behind the same route hop as its api base URL.</summary>
    public IReadOnlyDictionary<string, Uri> McpUrls { get; }

    /// <summary>Each clone's root URL.</summary>
    public IReadOnlyDictionary<string, Uri> Endpoints { get; }

    /// <summary>The seed each clone started from.</summary>
    public IReadOnlyDictionary<string, string> ResolvedSeeds { get; }

    /// <summary>The Archal token sent on the route hop.</summary>
    public string RouteToken { get; }

    /// <summary>The SessionSummary returned when the session was created.</summary>
    public JsonObject Summary { get; }

    /// <summary>The route-control headers every clone call carries.</summary>
    public IReadOnlyDictionary<string, string> RouteHeaders =>
        new Dictionary<string, string> { ["x-route-authorization"] = $"Bearer {RouteToken}" };

    /// <summary>
    /// The environment for an agent subprocess: <c>AGENT_CLONE_URLS</c>, <c>AGENT_ROUTE_HEADERS</c>,
    /// <c>AGENT_SESSION_ID</c>, <c>ARCHAL_SESSION_ID</c>, and per clone <c>ARCHAL_{CLONE}_URL</c> (clone root)
    /// and <c>ARCHAL_{CLONE}_REST_URL</c> (api base URL) and <c>ARCHAL_{CLONE}_MCP_URL</c> (MCP endpoint), and each clone's default service token under the
    /// names agents read by convention (<c>GITHUB_TOKEN</c>, <c>SLACK_BOT_TOKEN</c>, <c>SLACK_TOKEN</c>,
    /// <c>STRIPE_API_KEY</c>). Reachable from other processes only when the host uses Kestrel.
    /// </summary>
    public IReadOnlyDictionary<string, string> AgentEnvironment
    {
        get
        {
            var urls = new JsonObject();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var cloneId in CloneIds)
            {
                urls[cloneId] = ApiBaseUrls[cloneId].ToString();
                var name = cloneId.ToUpperInvariant().Replace('-', '_');
                environment[$"ARCHAL_{name}_URL"] = Endpoints[cloneId].ToString();
                environment[$"ARCHAL_{name}_REST_URL"] = ApiBaseUrls[cloneId].ToString();
                environment[$"ARCHAL_{name}_MCP_URL"] = McpUrls[cloneId].ToString();
                var clone = _host.Runtime.FindClone(cloneId)!;
                foreach (var variable in clone.ServiceTokenVariables)
                {
                    environment[variable] = clone.DefaultServiceToken;
                }
            }

            var headers = new JsonObject();
            foreach (var (name, value) in RouteHeaders)
            {
                headers[name] = value;
            }

            environment["AGENT_CLONE_URLS"] = urls.ToJsonString();
            environment["AGENT_ROUTE_HEADERS"] = headers.ToJsonString();
            environment["AGENT_SESSION_ID"] = Id;
            environment["ARCHAL_SESSION_ID"] = Id;
            return environment;
        }
    }

    /// <summary>
    /// An HttpClient for one clone with both hops preset: <c>x-route-authorization</c> carries the Archal
    /// token and <c>Authorization</c> the service token. Its BaseAddress is the api base URL with a
    /// trailing slash, so use relative paths (<c>"user"</c>, <c>"repos/acme/app/issues"</c>).
    /// </summary>
    /// <param name="cloneId">The clone.</param>
    /// <param name="serviceToken">The service credential; defaults to the clone's <see cref="CloneDefinition.DefaultServiceToken"/>.</param>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public HttpClient CreateClient(string cloneId, string? serviceToken = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ApiBaseUrls.TryGetValue(cloneId, out var apiBase))
        {
            throw new ArgumentException($"Session {Id} has no '{cloneId}' clone; it has {string.Join(", ", CloneIds)}.", nameof(cloneId));
        }

        var client = _host.CreateRawClient();
        client.BaseAddress = new Uri(apiBase + "/");
        client.DefaultRequestHeaders.Add("x-route-authorization", $"Bearer {RouteToken}");
        var token = serviceToken ?? _host.Runtime.FindClone(cloneId)!.DefaultServiceToken;
        if (token.Length > 0)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        return client;
    }

    /// <summary>
    /// Connects the official MCP C# SDK client to one clone's MCP endpoint over the in-memory host (no socket; over
    /// Kestrel when the host uses it), with the route hop preset like <see cref="CreateClient"/>: the clone sees
    /// <paramref name="serviceToken"/> as its <c>Authorization</c>. Tool calls run the clone's operations against this
    /// session's state and land in <see cref="Trace"/> with transport <c>mcp</c> and the tool name.
    /// </summary>
    /// <param name="cloneId">The clone.</param>
    /// <param name="serviceToken">The service credential; defaults to the clone's <see cref="CloneDefinition.DefaultServiceToken"/>.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>An initialized client; dispose it to end its MCP session.</returns>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public async Task<ModelContextProtocol.Client.McpClient> CreateMcpClientAsync(string cloneId, string? serviceToken = null, CancellationToken cancellationToken = default)
    {
        var http = CreateClient(cloneId, serviceToken);
        var transport = new ModelContextProtocol.Client.HttpClientTransport(
            new ModelContextProtocol.Client.HttpClientTransportOptions
            {
                Endpoint = McpUrls[cloneId],
                TransportMode = ModelContextProtocol.Client.HttpTransportMode.StreamableHttp,
                Name = $"archal-{cloneId}",
            },
            http,
            ownsHttpClient: true);
        try
        {
            return await ModelContextProtocol.Client.McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Route mode in-process: a handler that sends requests for the services' production hosts
    /// (<c>https://api.github.com/…</c>, <c>https://slack.com/api/…</c>, <c>https://api.stripe.com/…</c>)
    /// to this session's clones, with the route hop added and the app's own <c>Authorization</c> kept.
    /// Any other host is refused with an <see cref="Runtime.ArchalRoutingException"/> unless
    /// <see cref="Runtime.ArchalRoutingOptions.PassThroughHosts"/> allows it. Give it to an SDK
    /// (<c>new HttpClient(handler)</c>, Octokit's <c>HttpClientAdapter</c>, Stripe.net's
    /// <c>SystemNetHttpClient</c>) or route every <c>IHttpClientFactory</c> client with
    /// <c>services.AddArchalRouting(session)</c>.
    /// </summary>
    /// <param name="options">Pass-through hosts; by default nothing leaves the process.</param>
    public Runtime.ArchalRoutingHandler CreateRoutingHandler(Runtime.ArchalRoutingOptions? options = null) =>
        new(Id, RouteToken, ApiBaseUrls, _host.Handler, _host.BaseAddress, _host.Runtime.Clones, options ?? new Runtime.ArchalRoutingOptions());

    /// <summary>
    /// The service token <see cref="CreateClient"/> sends as <c>Authorization</c> per clone (each clone's
    /// <see cref="CloneDefinition.DefaultServiceToken"/>), for agents that build their own clients.
    /// </summary>
    public IReadOnlyDictionary<string, string> ServiceTokens =>
        CloneIds.ToDictionary(id => id, id => _host.Runtime.FindClone(id)!.DefaultServiceToken, StringComparer.Ordinal);

    /// <summary>
    /// The session's clock. Every clone reads time through it; <see cref="SessionClock.AdvanceAsync"/> and
    /// <see cref="SessionClock.SetAsync"/> move it forward (never back), firing what falls due on the way in time order
    /// (Slack scheduled messages, Stripe renewals, payment retries, trial ends). Over HTTP:
    /// <c>GET/POST /api/sessions/{id}/clock</c>. It is a <see cref="TimeProvider"/>: give it to the code under test to share the session's time.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public SessionClock Clock
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Record.Clock;
        }
    }

    /// <summary>Every runtime call of this session so far, in order (secrets redacted).</summary>
    public Tracing.SessionTrace Trace => Record.Trace;

    /// <summary>
    /// The callbacks this session's clones send to the app under test (GitHub webhooks, Stripe webhook endpoints,
    /// Slack event subscriptions): route them in-process, wait for them, read every attempt.
    /// </summary>
    public Events.SessionEvents Events => Record.Events;

    /// <summary>Everything that differs from the seed in every clone of the session, one entry per entity.</summary>
    public Tracing.StateChanges Changes => new([.. CloneIds.SelectMany(Record.Changes)]);

    /// <summary>The session's trace as HAR 1.2 (opens in browser devtools and HAR viewers).</summary>
    public JsonObject ToHar() => Tracing.HarExport.ToHar(Record.Trace.Entries, $"session {Id}, run {RunId}");

    /// <summary>The canonical run record, rendered locally (same document as <c>GET /api/runs/{runId}</c>).</summary>
    public JsonObject ToRunRecord() =>
        RunRecordJson.RunRecord(Record, _host.BaseAddress.ToString().TrimEnd('/'), _host.Runtime.Time.GetUtcNow());

    /// <summary>A readable summary of the trace for test output.</summary>
    public string TraceSummary() => Tracing.TraceText.Summary(Id, Trace);

    /// <summary>Writes the run record (<c>{id}.run.json</c>) and the HAR (<c>{id}.har</c>) into <paramref name="directory"/>.</summary>
    /// <returns>The two file paths.</returns>
    public async Task<IReadOnlyList<string>> WriteArtifactsAsync(string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var options = new JsonSerializerOptions { WriteIndented = true };
        var runPath = Path.Combine(directory, $"{Id}.run.json");
        var harPath = Path.Combine(directory, $"{Id}.har");
        await File.WriteAllTextAsync(runPath, ToRunRecord().ToJsonString(options), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(harPath, ToHar().ToJsonString(options), cancellationToken).ConfigureAwait(false);
        return [runPath, harPath];
    }

    /// <summary>Runs <paramref name="callback"/> when the session is disposed (test adapters write output here).</summary>
    internal void OnDisposed(Func<ArchalSession, ValueTask> callback) => _disposeCallbacks.Add(callback);

    private readonly List<Func<ArchalSession, ValueTask>> _disposeCallbacks = [];

    /// <summary>
    /// Attaches criteria verdicts to the session's run record: <c>GET /api/runs/{runId}</c> and
    /// <see cref="ToRunRecord"/> return them under <c>criteria</c>. A later call replaces an earlier one.
    /// </summary>
    /// <param name="criteria">The verdicts, as JSON (the scenario runner sends its per-run report).</param>
    public void AttachCriteriaResults(JsonObject criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        Record.CriteriaResults = (JsonObject)criteria.DeepClone();
    }

    /// <summary>A clone's state as seeded, before any call (JSON snapshot).</summary>
    public JsonObject InitialSnapshot(string cloneId) => (JsonObject)Record.InitialSnapshots[cloneId].DeepClone();

    /// <summary>
    /// This session's live state for a clone, typed (for example <c>GitHubState</c>). Its entities change as calls
    /// arrive: read it when no call is in flight (after the agent finished), or use <see cref="ReadState{TState, TResult}"/>
    /// or <see cref="Snapshot"/> for a consistent view while calls run.
    /// </summary>
    /// <exception cref="ArgumentException">The session has no such clone, or its state is not a <typeparamref name="TState"/> (the message names the right type).</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public TState GetState<TState>(string cloneId) where TState : CloneState => As<TState>(State(cloneId), cloneId);

    /// <summary>
    /// Reads a clone's state under the session's gate, so the result is consistent even while calls are in flight
    /// (for example <c>session.ReadState((GitHubState s) => s.Issues.Count, "github")</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The session has no such clone, or its state is not a <typeparamref name="TState"/>.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public TResult ReadState<TState, TResult>(Func<TState, TResult> read, string cloneId) where TState : CloneState
    {
        ArgumentNullException.ThrowIfNull(read);
        State(cloneId);
        return Record.Read(cloneId, state => read(As<TState>(state, cloneId)));
    }

    /// <summary>A JSON snapshot of a clone's current state, taken under the session's gate (a consistent copy).</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public JsonObject Snapshot(string cloneId)
    {
        State(cloneId);
        return Record.Read(cloneId, state => state.Snapshot());
    }

    private CloneState State(string cloneId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Record.States.TryGetValue(cloneId, out var state)
            ? state
            : throw new ArgumentException($"Session {Id} has no '{cloneId}' clone; it has {string.Join(", ", CloneIds)}.", nameof(cloneId));
    }

    private static TState As<TState>(CloneState state, string cloneId) where TState : CloneState =>
        state as TState ?? throw new ArgumentException(
            $"The '{cloneId}' clone's state is a {state.GetType().FullName}, not a {typeof(TState).FullName}: call GetState<{state.GetType().Name}>(\"{cloneId}\").", nameof(cloneId));

    /// <summary>
    /// The session's fault rules: <c>session.Faults.Add(new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(2),
    /// FaultEffect.Status(503)))</c>. Injected calls are in <see cref="Trace"/> with <see cref="Tracing.TraceEntry.FaultId"/>.
    /// </summary>
    public SessionFaultRules Faults { get; }

    /// <summary>
    /// Takes an immutable snapshot of every clone's state and the fault rules (<c>POST /api/sessions/{id}/snapshots</c>).
    /// Fork it with <c>host.CreateSessionAsync(request.FromSnapshot(snapshot))</c>.
    /// </summary>
    /// <exception cref="ArchalApiException">The control plane refused (the session is not this token's, say).</exception>
    public async Task<ArchalSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var client = _host.CreateClient(RouteToken);
        using var response = await client.PostAsync($"/api/sessions/{Id}/snapshots", null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ArchalApiException.From(response.StatusCode, await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        return new ArchalSnapshot((await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!, this);
    }

    /// <summary>
    /// Returns clones to their seed (<c>POST /api/sessions/{id}/reset</c>): all of them, or only <paramref name="cloneIds"/>.
    /// A fork returns to its snapshot. Fault rules and the trace stay.
    /// </summary>
    /// <exception cref="ArchalApiException">The control plane refused (an unknown clone, an ended session).</exception>
    public async Task ResetAsync(IEnumerable<string>? cloneIds = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var client = _host.CreateClient(RouteToken);
        var body = cloneIds is null ? new JsonObject() : new JsonObject { ["clones"] = new JsonArray([.. cloneIds.Select(c => (JsonNode?)c)]) };
        using var response = await client.PostAsJsonAsync($"/api/sessions/{Id}/reset", body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ArchalApiException.From(response.StatusCode, await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Exports every clone's current state as a seed file (<c>GET /api/sessions/{id}/seed-file</c>):
    /// <c>{"github": {"seed": "empty", "state": {…}}, …}</c>, read under the session's gate. Start a new session from it
    /// with <see cref="SessionRequest.WithSeedFile"/>; see <see cref="ArchalSnapshot.ExportSeedFileAsync"/>.
    /// </summary>
    /// <exception cref="ArchalApiException">The control plane refused (the session's state was released, a clone cannot export).</exception>
    public Task<JsonObject> ExportSeedFileAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return GetJsonAsync($"/api/sessions/{Id}/seed-file", cancellationToken);
    }

    /// <summary>GETs a control-plane JSON object with this session's token; a refusal is an <see cref="ArchalApiException"/>.</summary>
    internal async Task<JsonObject> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var client = _host.CreateClient(RouteToken);
        using var response = await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ArchalApiException.From(response.StatusCode, await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!;
    }

    internal ArchalHost Host => _host;

    /// <summary>Reads the session's canonical run record (<c>GET /api/runs/{runId}</c>).</summary>
    public async Task<JsonObject> GetRunRecordAsync(CancellationToken cancellationToken = default)
    {
        using var client = _host.CreateClient(RouteToken);
        return (await client.GetFromJsonAsync<JsonObject>($"/api/runs/{RunId}", cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Ends the session (<c>DELETE /api/sessions/{id}</c>). Safe to call twice.</summary>
    public async Task EndAsync(CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        using var client = _host.CreateClient(RouteToken);
        using var response = await client.DeleteAsync($"/api/sessions/{Id}", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ArchalApiException.From(response.StatusCode, await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Ends the session unless the host is already gone. Afterwards <see cref="CreateClient"/>,
    /// <see cref="GetState{TState}"/> and <see cref="Snapshot"/> throw <see cref="ObjectDisposedException"/>;
    /// the evidence (trace, changes, run record, HAR) stays readable.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var callback in _disposeCallbacks)
        {
            await callback(this).ConfigureAwait(false);
        }

        _disposeCallbacks.Clear();
        try
        {
            await EndAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The host stopped first; its sessions went with it.
        }
        catch (InvalidOperationException)
        {
            // Same: the host was disposed before this session.
        }
    }

    // Held from the start: once the host releases the ended session (after EndedSessionRetention) this object still
    // reads its evidence, and the memory goes when the caller lets go of the session.
    internal SessionRecord Record => _record ??= _host.Runtime.Sessions.Find(Id) is { ReleasedAt: null } record
        ? record
        : throw new InvalidOperationException(
            $"Session {Id} ended more than ArchalHostOptions.EndedSessionRetention ({_host.Options.EndedSessionRetention}) ago and the host released its " +
            "state and trace; read the evidence before then, raise the retention, or set ArchalHostOptions.RunRecordDirectory to keep run records.");

    private SessionRecord? _record;

    private static async Task<JsonObject?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
