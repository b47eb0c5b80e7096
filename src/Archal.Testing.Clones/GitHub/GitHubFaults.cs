using System.Globalization;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>
/// Injected GitHub errors, as GitHub documents them
/// (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit):
/// the primary rate limit is 403 (or 429) with <c>x-ratelimit-remaining: 0</c> and <c>x-ratelimit-reset</c>; a
/// secondary rate limit is 403 (or 429) with <c>retry-after</c> and a message naming the secondary limit (Octokit.net
/// tells the two apart by the message: <c>RateLimitExceededException</c>, <c>SecondaryRateLimitExceededException</c>);
/// server errors carry GitHub's <c>basic-error</c> body.
/// </summary>
internal static class GitHubFaults
{
    public const string PrimaryRateLimit = "primary_rate_limit";
    public const string SecondaryRateLimit = "secondary_rate_limit";
    private const string RateLimitDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";

    /// <summary>The secondary limit's wait, in seconds (GitHub sends 60 in practice).</summary>
    private const int SecondaryRetryAfterSeconds = 60;

    public static string? Check(CloneFault fault) => fault.Code switch
    {
        null => fault.Status is >= 400 and <= 599 ? null : "status must be an HTTP error status (400 to 599)",
        PrimaryRateLimit or SecondaryRateLimit => fault.Status is null or 403 or 429 ? null : $"GitHub answers '{fault.Code}' with status 403 or 429, not {fault.Status}",
        _ => $"GitHub has no injectable error code '{fault.Code}'; known codes: {PrimaryRateLimit}, {SecondaryRateLimit}",
    };

    public static Task WriteAsync(HttpContext http, CloneFault fault)
    {
        var context = http.GetCloneContext();
        var state = (GitHubState)context.State;
        var headers = http.Response.Headers;
        headers["x-github-request-id"] = GitHubAuth.RequestId(context.RequestId);
        headers["x-github-media-type"] = "github.v3; format=json";
        var code = fault.Code ?? fault.Status switch
        {
            403 => PrimaryRateLimit,
            429 => SecondaryRateLimit,
            _ => null,
        };
        var status = fault.Status ?? StatusCodes.Status403Forbidden;
        var token = http.Request.GetServiceToken();
        var user = token is null ? null : state.UserForToken(token);
        var resource = http.Request.Path.Value?.Contains("/api/search/", StringComparison.Ordinal) == true ? "search" : "core";
        var limit = GitHubAuth.Limit(state, user, resource);
        var window = GitHubAuth.Window(state, user, resource);
        var reset = window.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        switch (code)
        {
            case PrimaryRateLimit:
                headers["x-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-remaining"] = "0";
                headers["x-ratelimit-used"] = limit.ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-reset"] = reset;
                headers["x-ratelimit-resource"] = resource;
                if (fault.RetryAfterSeconds is { } wait)
                {
                    // GitHub's primary limit names only x-ratelimit-reset; a Retry-After is sent only when the rule asks.
                    headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                }

                return GitHubErrors.Error(status,
                    user is null
                        ? "API rate limit exceeded for anonymous requests. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
                        : $"API rate limit exceeded for user ID {user.Id}.",
                    RateLimitDocs).ExecuteAsync(http);
            case SecondaryRateLimit:
                headers.RetryAfter = (fault.RetryAfterSeconds ?? SecondaryRetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-remaining"] = Math.Max(0, limit - window.Used).ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-used"] = window.Used.ToString(CultureInfo.InvariantCulture);
                headers["x-ratelimit-reset"] = reset;
                headers["x-ratelimit-resource"] = resource;
                return GitHubErrors.Error(status,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to "
                    + $"GitHub Support for help, please include the request ID {headers["x-github-request-id"]}.",
                    RateLimitDocs + "#about-secondary-rate-limits").ExecuteAsync(http);
            default:
                var message = status switch
                {
                    500 or 502 => "Server Error",
                    _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                };
                return GitHubErrors.Error(status, message).ExecuteAsync(http);
        }
    }
}
