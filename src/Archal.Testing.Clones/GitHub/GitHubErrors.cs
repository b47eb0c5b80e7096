using System.Globalization;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>GitHub's error bodies: <c>{ message, documentation_url, status }</c> (422 adds <c>errors</c>).</summary>
internal static class GitHubErrors
{
    private const string Docs = "https://docs.github.com/rest";

    public static IResult Error(int status, string message, string documentationUrl = Docs) =>
        new GitHubResult(new GitHubError(message, documentationUrl, Status(status)), status);

    public static IResult RequiresAuthentication() =>
        Error(StatusCodes.Status401Unauthorized, "Requires authentication",
            "https://docs.github.com/rest/overview/resources-in-the-rest-api#authentication");

    public static IResult BadCredentials() =>
        Error(StatusCodes.Status401Unauthorized, "Bad credentials", Docs);

    public static IResult NotFound(string documentationUrl = Docs) =>
        Error(StatusCodes.Status404NotFound, "Not Found", documentationUrl);

    public static IResult ProblemsParsingJson() =>
        Error(StatusCodes.Status400BadRequest, "Problems parsing JSON");

    public static IResult BodyShouldBeObject() =>
        Error(StatusCodes.Status400BadRequest, "Body should be a JSON object");

    public static IResult Forbidden(string message = "Must have admin rights to Repository.") =>
        Error(StatusCodes.Status403Forbidden, message);

    public static IResult Conflict(string message) => Error(StatusCodes.Status409Conflict, message);

    public static IResult PayloadTooLarge() => Error(StatusCodes.Status413PayloadTooLarge, "Request body is too large");

    /// <summary>GitHub's schema-validation answer for a field of the wrong type or value.</summary>
    public static IResult InvalidRequest(string detail) =>
        Error(StatusCodes.Status422UnprocessableEntity, $"Invalid request.\n\n{detail}");

    public static IResult Validation(params ValidationItem[] errors) => Validation("Validation Failed", errors);

    public static IResult Validation(string message, params ValidationItem[] errors) =>
        new GitHubResult(new GitHubValidationError(message, errors, Docs, Status(422)), StatusCodes.Status422UnprocessableEntity);

    public static ValidationItem Missing(string resource, string field) => new(resource, field, "missing_field", null, null);

    public static ValidationItem Invalid(string resource, string field, string? message = null) => new(resource, field, "invalid", message, null);

    public static ValidationItem InvalidValue(string resource, string field, object value) => new(resource, field, "invalid", null, value);

    public static ValidationItem AlreadyExists(string resource, string field) => new(resource, field, "already_exists", null, null);

    public static ValidationItem Custom(string resource, string? field, string message) => new(resource, field, "custom", message, null);

    /// <summary>GitHub's bare 422 with string errors (review rules).</summary>
    public static IResult Unprocessable(params string[] errors) =>
        new GitHubResult(new GitHubStringErrors("Unprocessable Entity", errors, Docs, Status(422)), StatusCodes.Status422UnprocessableEntity);

    private static string Status(int status) => status.ToString(CultureInfo.InvariantCulture);

    internal sealed record GitHubError(string Message, string DocumentationUrl, string Status);

    internal sealed record GitHubStringErrors(string Message, IReadOnlyList<string> Errors, string DocumentationUrl, string Status);

    internal sealed record GitHubValidationError(string Message, IReadOnlyList<ValidationItem> Errors, string DocumentationUrl, string Status);

    /// <summary>One entry of a 422's <c>errors</c>; a null message is omitted.</summary>
    internal sealed record ValidationItem(
        string Resource,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        string? Field,
        string Code,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        string? Message,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        object? Value);
}

/// <summary>A GitHub error raised anywhere in a handler; the runtime renders it as GitHub's answer.</summary>
internal sealed class GitHubException(IResult error) : CloneException(Describe(error))
{
    /// <summary>GitHub's error result.</summary>
    public IResult Error => error;

    /// <inheritdoc />
    public override Task WriteAsync(HttpContext http) => error.ExecuteAsync(http);

    private static string Describe(IResult error) => error is GitHubResult { Body: GitHubErrors.GitHubError e } ? e.Message : "GitHub error";
}
