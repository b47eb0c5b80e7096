using System.Buffers;
using System.Diagnostics;
using System.Text;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;
using Archal.Testing.Tracing;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Runtime;

/// <summary>
/// Records runtime calls into their session's trace and emits one OpenTelemetry span per call. The request body
/// is the runtime's one read of it; the response is buffered in pooled memory, so the trace entry is appended
/// before the caller can read the end of the response (over TestServer and Kestrel alike).
/// </summary>
internal sealed class TraceRecorder(ArchalRuntime runtime)
{
    /// <summary>The ActivitySource name to listen to (OpenTelemetry: <c>AddSource("Archal.Testing")</c>).</summary>
    public const string ActivitySourceName = "Archal.Testing";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>Starts a call: a span, and (when recording) a response buffer in place of the response body.</summary>
    public TraceCapture Begin(HttpContext http, SessionRecord session, CloneRequestContext context)
    {
        var activity = ActivitySource.HasListeners()
            ? ActivitySource.StartActivity($"{context.Definition.Id} {http.Request.Method}", ActivityKind.Server)
            : null;
        ResponseBuffer? buffer = null;
        long sequence = 0;
        if (runtime.Options.RecordTraces)
        {
            buffer = new ResponseBuffer(http.Response.Body);
            http.Response.Body = buffer;
            sequence = session.Trace.NextSequence();
        }

        return new TraceCapture(runtime, http, session, context, activity, buffer, sequence, runtime.Time.GetUtcNow(), runtime.Time.GetTimestamp());
    }

    internal sealed class TraceCapture(
        ArchalRuntime runtime,
        HttpContext http,
        SessionRecord session,
        CloneRequestContext context,
        Activity? activity,
        ResponseBuffer? buffer,
        long sequence,
        DateTimeOffset startedAt,
        long startTimestamp)
    {
        /// <summary>The fault injected into this call, if any: the entry is marked with its rule id.</summary>
        public FaultHit? Fault { get; set; }

        /// <summary>
        /// Appends the trace entry, then sends the buffered response: a caller that sees the end of the response
        /// finds the call in the trace.
        /// </summary>
        public async Task CompleteAsync(IReadOnlyList<StateMutation> mutations)
        {
            var request = http.Request;
            var cloneId = context.Definition.Id;
            var path = RelativePath(request.Path.Value ?? "");
            var operation = context.Operation;
            var template = operation?.Template ?? path;
            var operationName = operation?.Id ?? $"{request.Method} {path}";
            var origin = http.Features.Get<RuntimeCallOrigin>();
            var transport = origin?.Transport ?? "rest";
            if (activity is not null)
            {
                activity.SetTag("archal.session_id", session.Id);
                activity.SetTag("archal.clone", cloneId);
                activity.SetTag("archal.operation", operationName);
                activity.SetTag("archal.transport", transport);
                activity.SetTag("archal.mcp.tool", origin?.Tool);
                activity.SetTag("http.request.method", request.Method);
                activity.SetTag("http.route", template);
                activity.SetTag("http.response.status_code", http.Response.StatusCode);
                if (Fault is not null)
                {
                    activity.SetTag("archal.fault_id", Fault.RuleId);
                }

                activity.SetStatus(http.Response.StatusCode >= 500 ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
                activity.Dispose();
            }

            if (buffer is null)
            {
                return;
            }

            try
            {
                var query = request.QueryString.Value ?? "";
                // One array per call: the bytes as they came, decoded and redacted only when the trace is read.
                var captured = CapturedCall.Capture(runtime.Redactor, context.RequestId, path, query,
                    context.ApiBaseUrl + (path == "/" ? "" : path) + query, request.Headers, context.Body.Span,
                    http.Response.Headers, buffer.Written, mutations, runtime.Options.MaxTraceBodyBytes);
                var entry = new TraceEntry
                {
                    Sequence = sequence,
                    RootTraceId = session.Trace.RootTraceId,
                    SessionId = session.Id,
                    CloneId = cloneId,
                    Operation = operationName,
                    Transport = transport,
                    Tool = origin?.Tool,
                    Method = request.Method,
                    PathTemplate = template,
                    StartedAt = startedAt,
                    Duration = runtime.Time.GetElapsedTime(startTimestamp),
                    Status = Fault is { Drop: true } ? 0 : http.Response.StatusCode,
                    FaultId = Fault?.RuleId,
                    Captured = captured,
                };
                session.Trace.Add(entry);
                http.Response.Body = buffer.Inner;
                if (Fault is not { Drop: true })
                {
                    await buffer.SendAsync(http).ConfigureAwait(false);
                }
            }
            finally
            {
                http.Response.Body = buffer.Inner;
                buffer.Dispose();
            }
        }

        /// <summary>The path relative to the api base URL: what follows <c>/runtime/{session}/{clone}/api</c>.</summary>
        private static string RelativePath(string path)
        {
            var index = 0;
            for (var segment = 0; segment < 4; segment++)
            {
                index = path.IndexOf('/', index + 1);
                if (index < 0)
                {
                    return "/";
                }
            }

            return path[index..];
        }
    }
}

/// <summary>
/// Holds a response in pooled memory until the trace entry exists, then sends it with its Content-Length
/// (ASP.NET Core HttpLogging buffers the same way). Seekable only so that <c>HttpResponse.Clear()</c> can empty it.
/// </summary>
internal sealed class ResponseBuffer(Stream inner) : Stream
{
    private byte[] _buffer = [];
    private int _length;

    public Stream Inner => inner;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value)
    {
        if (value != 0)
        {
            throw new NotSupportedException();
        }

        _length = 0;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_buffer.Length - _length < buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + buffer.Length, Math.Max(4096, _buffer.Length * 2)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            Return();
            _buffer = larger;
        }

        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <summary>Sends what was written, setting Content-Length where the response has a body and none was set.</summary>
    public async Task SendAsync(HttpContext http)
    {
        var response = http.Response;
        if (!response.HasStarted && response.ContentLength is null && !response.Headers.ContainsKey("Transfer-Encoding")
            && response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified) && response.StatusCode >= 200)
        {
            response.ContentLength = _length;
        }

        if (_length > 0)
        {
            await inner.WriteAsync(_buffer.AsMemory(0, _length), http.RequestAborted).ConfigureAwait(false);
        }
    }

    private void Return()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Return();
        _buffer = [];
        _length = 0;
        base.Dispose(disposing);
    }
}
