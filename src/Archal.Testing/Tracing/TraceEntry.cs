using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>One runtime call: what the agent asked a clone, what it answered, and what changed.</summary>
public sealed record TraceEntry
{
    /// <summary>1-based position of the call within its session.</summary>
    public required long Sequence { get; init; }

    /// <summary>The span id of this call (unique within the host).</summary>
    public string SpanId { get => _captured?.SpanId ?? _spanId; init => _spanId = value; }

    /// <summary>The session's root trace id (one per session).</summary>
    public required string RootTraceId { get; init; }

    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The clone that served the call.</summary>
    public required string CloneId { get; init; }

    /// <summary>The operation name, for example <c>issues/create</c> or <c>chat.postMessage</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>How the agent reached the clone: <c>rest</c> (an HTTP call to the api base URL) or <c>mcp</c> (an MCP tool call).</summary>
    public string Transport { get; init; } = "rest";

    /// <summary>The MCP tool whose call sent this operation, or null for a REST call.</summary>
    public string? Tool { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The matched route template relative to the api base URL, for example <c>/repos/{owner}/{repo}/issues</c>.</summary>
    public required string PathTemplate { get; init; }

    /// <summary>The concrete path relative to the api base URL, for example <c>/repos/acme/app/issues</c>.</summary>
    public string Path { get => _captured?.Path ?? _path; init => _path = value; }

    /// <summary>The absolute URL the agent called (query secrets redacted).</summary>
    public string Url { get => _captured?.Url ?? _url; init => _url = value; }

    /// <summary>The query string including <c>?</c>, or empty (secrets redacted).</summary>
    public string Query { get => _captured?.Query ?? _query; init => _query = value; }

    /// <summary>When the call started (host TimeProvider).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the clone took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Request headers (secrets redacted).</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get => _captured?.RequestHeaders ?? _requestHeaders; init => _requestHeaders = value; }

    /// <summary>The request body as text (secrets redacted; truncated with a marker past the cap), or null when empty.</summary>
    public string? RequestBody { get => _captured is null ? _requestBody : _captured.RequestBody; init => _requestBody = value; }

    /// <summary>The response status.</summary>
    public required int Status { get; init; }

    /// <summary>Response headers (secrets redacted).</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get => _captured?.ResponseHeaders ?? _responseHeaders; init => _responseHeaders = value; }

    /// <summary>The response body as text (secrets redacted; truncated with a marker past the cap), or null when empty.</summary>
    public string? ResponseBody { get => _captured is null ? _responseBody : _captured.ResponseBody; init => _responseBody = value; }

    /// <summary>The state changes the call made (secrets redacted).</summary>
    public IReadOnlyList<StateMutation> Mutations { get => _captured?.Mutations ?? _mutations; init => _mutations = value; }

    // A recorded call keeps its bytes in one array and decodes (and redacts) them on every read, caching nothing.
    private readonly CapturedCall? _captured;
    private readonly string _spanId = "";
    private readonly string _path = "";
    private readonly string _url = "";
    private readonly string _query = "";
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
    private readonly IReadOnlyDictionary<string, string> _requestHeaders = NoHeaders;
    private readonly IReadOnlyDictionary<string, string> _responseHeaders = NoHeaders;
    private readonly string? _requestBody;
    private readonly string? _responseBody;
    private readonly IReadOnlyList<StateMutation> _mutations = [];

    internal CapturedCall? Captured { init => _captured = value; }

    /// <summary>About how many bytes this entry keeps alive (set by the recorder; counts against the session's trace budget).</summary>
    internal long RetainedBytes => (_captured?.RetainedBytes ?? 0) + 200;

    /// <summary>
    /// The id of the fault rule (<c>flt-…</c>) that injected this call's error, drop or latency; null for a call the
    /// clone served untouched. A dropped call has <see cref="Status"/> 0: the caller got no response.
    /// </summary>
    public string? FaultId { get; init; }

    /// <summary>Whether a fault rule was applied to this call (<see cref="FaultId"/> is set).</summary>
    public bool Injected => FaultId is not null;

    /// <summary><c>METHOD /template</c>, the key call assertions match on.</summary>
    public string Endpoint => $"{Method} {PathTemplate}";

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {CloneId} {Method} {Path}{Query} → {Status} ({Operation}{(Tool is null ? "" : $" via mcp {Tool}")}){(FaultId is null ? "" : $" [injected {FaultId}]")}";
}
