using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>GitHub's error bodies: <c>{ message, documentation_url, status }</c>.</summary>
internal static class GitHubErrors
{
    private const string Docs = "https://docs.github.com/rest";

    public static IResult Error(int status, string message, string documentationUrl = Docs) =>
        CloneJson.Result(new GitHubError(message, documentationUrl, status.ToString(System.Globalization.CultureInfo.InvariantCulture)), status);

    public static IResult RequiresAuthentication() =>
        Error(StatusCodes.Status401Unauthorized, "Requires authentication",
            "https://docs.github.com/rest/overview/resources-in-the-rest-api#authentication");

    public static IResult BadCredentials() =>
        Error(StatusCodes.Status401Unauthorized, "Bad credentials", Docs);

    public static IResult NotFound(string documentationUrl = Docs) =>
        Error(StatusCodes.Status404NotFound, "Not Found", documentationUrl);

    internal sealed record GitHubError(string Message, string DocumentationUrl, string Status);
}
