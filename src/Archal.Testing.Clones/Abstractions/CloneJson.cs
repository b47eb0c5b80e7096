using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>JSON conventions shared by every clone: snake_case names, nulls written, no indentation.</summary>
public static class CloneJson
{
    /// <summary>snake_case property names; null values are written (services send explicit nulls).</summary>
    public static JsonSerializerOptions SnakeCase { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes <paramref name="body"/> as JSON with the given status and content type.</summary>
    public static Task WriteAsync(HttpResponse response, int status, object? body,
        JsonSerializerOptions? options = null, string contentType = "application/json; charset=utf-8")
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        response.ContentType = contentType;
        return body is null
            ? Task.CompletedTask
            : JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), options ?? SnakeCase, response.HttpContext.RequestAborted);
    }

    /// <summary>An <see cref="IResult"/> writing <paramref name="body"/> as JSON with the given status.</summary>
    public static IResult Result(object? body, int status = StatusCodes.Status200OK, JsonSerializerOptions? options = null) =>
        new JsonBodyResult(body, status, options ?? SnakeCase);

    private sealed class JsonBodyResult(object? body, int status, JsonSerializerOptions options) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext.Response, status, body, options);
    }
}
