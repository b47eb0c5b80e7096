using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.ControlPlane;

/// <summary>The control plane's error body: <c>{ error, code, message, detail }</c> (plus <c>field</c> for validation).</summary>
internal sealed class ControlPlaneError(int status, string error, string code, string message, string detail, string? field = null)
    : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public string Code => code;

    public string Message => message;

    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["error"] = error,
            ["code"] = code,
            ["message"] = message,
            ["detail"] = detail,
        };
        if (field is not null)
        {
            body["field"] = field;
        }

        return body;
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (status == StatusCodes.Status401Unauthorized)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"archal\"";
        }

        return ControlPlaneJson.Write(httpContext, status, ToJson());
    }

    public static ControlPlaneError BadRequest(string code, string message, string? field = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request", code, message, field is null ? message : $"field: {field}", field);

    public static ControlPlaneError Unauthorized(string code, string message, string detail) =>
        new(StatusCodes.Status401Unauthorized, "unauthorized", code, message, detail);

    public static ControlPlaneError Forbidden(string code, string message, string detail) =>
        new(StatusCodes.Status403Forbidden, "forbidden", code, message, detail);

    public static ControlPlaneError NotFound(string code, string message, string detail) =>
        new(StatusCodes.Status404NotFound, "not_found", code, message, detail);

    public static ControlPlaneError Conflict(string code, string message, string detail) =>
        new(StatusCodes.Status409Conflict, "conflict", code, message, detail);

    public static ControlPlaneError Gone(string code, string message, string detail) =>
        new(StatusCodes.Status410Gone, "gone", code, message, detail);

    public static ControlPlaneError TooManyRequests(string code, string message, string detail) =>
        new(StatusCodes.Status429TooManyRequests, "rate_limited", code, message, detail);

    /// <summary>A bug of ours: a readable 500 naming the exception, never an empty body.</summary>
    public static ControlPlaneError Internal(Exception exception) =>
        new(StatusCodes.Status500InternalServerError, "internal_error", "internal_error",
            $"The server failed: {exception.Message}", exception.GetType().FullName ?? "exception");

    public static ControlPlaneError MethodNotAllowed(string method, string path) =>
        new(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "method_not_allowed",
            $"{method} is not supported on {path}.", $"{method} {path}");
}

internal static class ControlPlaneJson
{
    public static async Task Write(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new System.Text.Json.Utf8JsonWriter(http.Response.Body);
        body.WriteTo(writer);
        await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    public static IResult Result(JsonNode body, int status = StatusCodes.Status200OK) => new JsonNodeResult(body, status);

    /// <summary>
    /// A 200 whose JSON is written as it is produced: <paramref name="write"/> gets the writer and a flush to call
    /// between parts (it sends what is pending once a chunk has built up, and always the first time).
    /// </summary>
    public static IResult Streamed(Func<System.Text.Json.Utf8JsonWriter, Func<Task>, Task> write) => new StreamedResult(write);

    private sealed class StreamedResult(Func<System.Text.Json.Utf8JsonWriter, Func<Task>, Task> write) : IResult, IStatusCodeHttpResult
    {
        private const int ChunkBytes = 32 * 1024;

        public int? StatusCode => StatusCodes.Status200OK;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new System.Text.Json.Utf8JsonWriter(httpContext.Response.Body);
            var first = true;
            await write(writer, async () =>
            {
                if (first || writer.BytesPending >= ChunkBytes)
                {
                    first = false;
                    await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
                    await httpContext.Response.Body.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    private sealed class JsonNodeResult(JsonNode body, int status) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext, status, body);
    }
}
