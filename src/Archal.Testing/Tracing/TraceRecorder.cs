using System.Diagnostics;
using System.Text;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Tracing;

/// <summary>Records runtime calls into their session's trace and emits one OpenTelemetry span per call.</summary>
internal sealed class TraceRecorder(ArchalRuntime runtime)
{
    private ArchalRuntime Runtime => runtime;

    /// <summary>The ActivitySource name to listen to (OpenTelemetry: <c>AddSource("Archal.Testing")</c>).</summary>
    public const string ActivitySourceName = "Archal.Testing";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public TraceCapture Begin(HttpContext http, SessionRecord session, CloneRequestContext context)
    {
        var options = runtime.Options;
        var activity = ActivitySource.StartActivity($"{context.Definition.Id} {http.Request.Method}", ActivityKind.Server);
        if (!options.RecordTraces)
        {
            return new TraceCapture(this, http, session, context, activity, null, 0, default, 0);
        }

        var tee = new CaptureStream(http.Response.Body, options.MaxTraceBodyBytes);
        http.Response.Body = tee;
        return new TraceCapture(this, http, session, context, activity, tee,
            session.Trace.NextSequence(), runtime.Time.GetUtcNow(), runtime.Time.GetTimestamp());
    }

    /// <summary>
    /// Reads the request body for the trace before the clone runs (a handler may consume or dispose
    /// the stream), then rewinds it so the clone reads it in full.
    /// </summary>
    public async Task<CapturedBody?> CaptureRequestBodyAsync(HttpRequest request)
    {
        if (!Runtime.Options.RecordTraces || request.ContentLength == 0
            || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        request.EnableBuffering();
        var limit = Runtime.Options.MaxTraceBodyBytes;
        using var kept = new MemoryStream();
        var chunk = new byte[Math.Min(8192, limit)];
        long total = 0;
        int n;
        while ((n = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            var room = limit - (int)kept.Length;
            if (room > 0)
            {
                kept.Write(chunk, 0, Math.Min(room, n));
            }

            total += n;
        }

        request.Body.Position = 0;
        return new CapturedBody(kept.ToArray(), total);
    }

    internal sealed class TraceCapture(
        TraceRecorder recorder,
        HttpContext http,
        SessionRecord session,
        CloneRequestContext context,
        Activity? activity,
        CaptureStream? tee,
        long sequence,
        DateTimeOffset startedAt,
        long startTimestamp)
    {
        public CapturedBody? RequestBody { get; set; }

        public Task CompleteAsync(IReadOnlyList<StateMutation> mutations)
        {
            var request = http.Request;
            var (template, path) = Paths(http, context.Definition.Id);
            var operation = context.Definition.DescribeOperation(request.Method, template, http);
            if (activity is not null)
            {
                activity.SetTag("archal.session_id", session.Id);
                activity.SetTag("archal.clone", context.Definition.Id);
                activity.SetTag("archal.operation", operation);
                activity.SetTag("http.request.method", request.Method);
                activity.SetTag("http.route", template);
                activity.SetTag("http.response.status_code", http.Response.StatusCode);
                activity.SetStatus(http.Response.StatusCode >= 500 ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
                activity.Dispose();
            }

            if (tee is null)
            {
                return Task.CompletedTask;
            }

            http.Response.Body = tee.Inner;
            var time = recorder.Runtime.Time;
            var redactor = recorder.Runtime.Redactor;
            var responseBody = new CapturedBody(tee.Captured.ToArray(), tee.Total);
            var entry = new TraceEntry
            {
                Sequence = sequence,
                SpanId = context.RequestId,
                RootTraceId = session.Trace.RootTraceId,
                SessionId = session.Id,
                CloneId = context.Definition.Id,
                Operation = operation,
                Method = request.Method,
                PathTemplate = template,
                Path = path,
                Query = redactor.Text(request.QueryString.Value ?? ""),
                Url = context.ApiBaseUrl + (path == "/" ? "" : path) + redactor.Text(request.QueryString.Value ?? ""),
                StartedAt = startedAt,
                Duration = time.GetElapsedTime(startTimestamp),
                RequestHeadersSource = Headers(request.Headers, redactor),
                RequestBodySource = RequestBody is { } body ? () => body.Text(redactor) : static () => null,
                Status = http.Response.StatusCode,
                ResponseHeadersSource = Headers(http.Response.Headers, redactor),
                ResponseBodySource = () => responseBody.Text(redactor),
                Mutations = [.. mutations.Select(redactor.Mutation)],
            };
            session.Trace.Add(entry);
            return Task.CompletedTask;
        }

        private static (string Template, string Path) Paths(HttpContext http, string cloneId)
        {
            var path = http.Request.Path.Value ?? "";
            var prefixEnd = IndexOfApiRoot(path);
            var relative = prefixEnd < 0 ? path : path[prefixEnd..];
            if (relative.Length == 0)
            {
                relative = "/";
            }

            var raw = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            var groupPrefix = $"/runtime/{{sessionId}}/{cloneId}/api";
            if (raw is null || !raw.StartsWith(groupPrefix, StringComparison.Ordinal) || raw.EndsWith("{**path}", StringComparison.Ordinal) && raw.Length == groupPrefix.Length + "/{**path}".Length)
            {
                // Unmatched: the concrete path is the best template there is.
                return (relative, relative);
            }

            var template = raw[groupPrefix.Length..];
            return (template.Length == 0 ? "/" : template.StartsWith('/') ? template : "/" + template, relative);
        }

        // "/runtime/{session}/{clone}/api" is four segments; the relative path starts after them.
        private static int IndexOfApiRoot(string path)
        {
            var index = 0;
            for (var segment = 0; segment < 4; segment++)
            {
                index = path.IndexOf('/', index + 1);
                if (index < 0)
                {
                    return path.Length;
                }
            }

            return index;
        }

        private static Func<IReadOnlyDictionary<string, string>> Headers(IHeaderDictionary headers, Redactor redactor)
        {
            var raw = new KeyValuePair<string, string>[headers.Count];
            var i = 0;
            foreach (var (name, value) in headers)
            {
                raw[i++] = new(name, value.ToString());
            }

            return () =>
            {
                var result = new Dictionary<string, string>(raw.Length, StringComparer.OrdinalIgnoreCase);
                foreach (var (name, value) in raw)
                {
                    result[name] = redactor.Header(name, value);
                }

                return result;
            };
        }
    }
}

/// <summary>The first bytes of a body and its full length; decoded and redacted only when read.</summary>
internal sealed record CapturedBody(byte[] Kept, long Total)
{
    public string? Text(Redactor redactor)
    {
        if (Total == 0)
        {
            return null;
        }

        var text = redactor.Text(Encoding.UTF8.GetString(Kept));
        return Total > Kept.Length ? $"{text}…[truncated: {Total - Kept.Length} more bytes of {Total}]" : text;
    }
}

/// <summary>Passes writes through to the response and keeps the first bytes for the trace.</summary>
internal sealed class CaptureStream(Stream inner, int limit) : Stream
{
    private readonly MemoryStream _captured = new();

    public Stream Inner => inner;

    public long Total { get; private set; }

    public ReadOnlySpan<byte> Captured => _captured.GetBuffer().AsSpan(0, (int)_captured.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Keep(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        Total += bytes.Length;
        var room = limit - (int)_captured.Length;
        if (room > 0)
        {
            _captured.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _captured.Dispose();
        }

        base.Dispose(disposing);
    }
}
