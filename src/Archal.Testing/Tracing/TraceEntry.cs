using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>One runtime call: what the agent asked a clone, what it answered, and what changed.</summary>
public sealed record TraceEntry
{
    /// <summary>1-based position of the call within its session.</summary>
    public required long Sequence { get; init; }

    /// <summary>The span id of this call (unique within the host).</summary>
    public required string SpanId { get; init; }

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
    public required string Path { get; init; }

    /// <summary>The absolute URL the agent called (query secrets redacted).</summary>
    public required string Url { get; init; }

    /// <summary>The query string including <c>?</c>, or empty (secrets redacted).</summary>
    public required string Query { get; init; }

    /// <summary>When the call started (host TimeProvider).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the clone took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Request headers (secrets redacted).</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders
    {
        get => _requestHeaders.Value;
        init => _requestHeaders = new Resolved<IReadOnlyDictionary<string, string>>(value);
    }

    /// <summary>The request body as text (secrets redacted; truncated with a marker past the cap), or null when empty.</summary>
    public string? RequestBody
    {
        get => _requestBody.Value;
        init => _requestBody = new Resolved<string?>(value);
    }

    /// <summary>The response status.</summary>
    public required int Status { get; init; }

    /// <summary>Response headers (secrets redacted).</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders
    {
        get => _responseHeaders.Value;
        init => _responseHeaders = new Resolved<IReadOnlyDictionary<string, string>>(value);
    }

    /// <summary>The response body as text (secrets redacted; truncated with a marker past the cap), or null when empty.</summary>
    public string? ResponseBody
    {
        get => _responseBody.Value;
        init => _responseBody = new Resolved<string?>(value);
    }

    // Decoding and redaction run when an entry is first read, not on the agent's request path.
    private Resolved<IReadOnlyDictionary<string, string>> _requestHeaders = new(new Dictionary<string, string>());
    private Resolved<IReadOnlyDictionary<string, string>> _responseHeaders = new(new Dictionary<string, string>());
    private Resolved<string?> _requestBody = new((string?)null);
    private Resolved<string?> _responseBody = new((string?)null);

    internal Func<IReadOnlyDictionary<string, string>> RequestHeadersSource { init => _requestHeaders = new(value); }

    internal Func<IReadOnlyDictionary<string, string>> ResponseHeadersSource { init => _responseHeaders = new(value); }

    internal Func<string?> RequestBodySource { init => _requestBody = new(value); }

    internal Func<string?> ResponseBodySource { init => _responseBody = new(value); }

    /// <summary>The state changes the call made.</summary>
    public required IReadOnlyList<StateMutation> Mutations { get; init; }

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

/// <summary>A value known now or computed once on first read (benign race: the result is the same).</summary>
internal sealed class Resolved<T>
{
    private Func<T>? _source;
    private T _value;

    public Resolved(T value) => _value = value;

    public Resolved(Func<T> source)
    {
        _source = source;
        _value = default!;
    }

    public T Value
    {
        get
        {
            if (Volatile.Read(ref _source) is { } source)
            {
                _value = source();
                Volatile.Write(ref _source, null);
            }

            return _value;
        }
    }
}
