using System.Globalization;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>
/// The pipeline in front of every GitHub endpoint: API version check, authentication (the service
/// token in <c>Authorization</c> maps to a seeded user), rate limiting and GitHub's response headers.
/// </summary>
internal static class GitHubAuth
{
    private const string UserItem = "github.user";
    private const string ApiVersion = "2022-11-28";
    private static readonly string[] SupportedVersions = [ApiVersion, "2026-03-10"];

    /// <summary>Endpoints that need a user answer 401 "Requires authentication" without a token.</summary>
    public static async Task RunAsync(HttpContext http, bool requireUser, RequestDelegate next)
    {
        if (Prelude(http, requireUser) is { } error)
        {
            await error.ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        // Git writes deep in the model (commits, branch moves) announce push/create/delete through the request.
        var state = http.GetCloneState<GitHubState>();
        state.CurrentRequest = http;
        try
        {
            await next(http).ConfigureAwait(false);
        }
        finally
        {
            state.CurrentRequest = null;
        }
    }

    private static IResult? Prelude(HttpContext http, bool requireUser)
    {
        var headers = http.Response.Headers;
        var clone = http.GetCloneContext();
        headers["x-github-request-id"] = RequestId(clone.RequestId);
        headers["x-github-media-type"] = "github.v3; format=json";

        var version = http.Request.Headers["x-github-api-version"].ToString();
        if (version.Length > 0 && !SupportedVersions.Contains(version, StringComparer.Ordinal))
        {
            return GitHubErrors.Error(StatusCodes.Status400BadRequest,
                $"Unsupported 'X-GitHub-Api-Version' header: '{version}'. The supported values are: {string.Join(", ", SupportedVersions)}",
                "https://docs.github.com/rest/overview/api-versions");
        }

        headers["x-github-api-version-selected"] = version.Length > 0 ? version : ApiVersion;

        var state = (GitHubState)clone.State;
        var token = http.Request.GetServiceToken();
        GitHubUser? user = null;
        if (token is not null)
        {
            user = state.UserForToken(token);
            if (user is null)
            {
                return GitHubErrors.BadCredentials();
            }

            http.Items[UserItem] = user;
        }
        else if (requireUser)
        {
            return GitHubErrors.RequiresAuthentication();
        }

        if (!http.Request.Path.Value!.EndsWith("/rate_limit", StringComparison.Ordinal))
        {
            var resource = http.Request.Path.Value.Contains("/api/search/", StringComparison.Ordinal) ? "search" : "core";
            var window = Window(state, user, resource);
            var limit = Limit(state, user, resource);
            if (window.Used >= limit)
            {
                SetRateHeaders(headers, limit, window, resource);
                return GitHubErrors.Error(StatusCodes.Status403Forbidden,
                    user is null
                        ? "API rate limit exceeded for anonymous requests. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
                        : $"API rate limit exceeded for user ID {user.Id}.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
            }

            window.Used++;
            SetRateHeaders(headers, limit, window, resource);
        }

        // Clients percent-encode slashes inside one parameter (heads%2Fmain, docs%2Fa.md); routing leaves %2F encoded.
        var values = http.Request.RouteValues;
        if (values.Any(v => v.Value is string text && text.Contains('%', StringComparison.Ordinal)))
        {
            foreach (var (name, value) in values.ToArray())
            {
                if (value is string text && text.Contains('%', StringComparison.Ordinal))
                {
                    values[name] = Uri.UnescapeDataString(text);
                }
            }
        }

        return null;
    }

    internal static GitHubState.RateWindow Window(GitHubState state, GitHubUser? user, string resource)
    {
        var key = $"{user?.Login ?? "(anonymous)"}:{resource}";
        var now = state.Time.GetUtcNow();
        if (!state.RateWindows.TryGetValue(key, out var window) || window.Reset <= now)
        {
            window = new GitHubState.RateWindow { Reset = now + (resource == "search" ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1)) };
            state.RateWindows[key] = window;
        }

        return window;
    }

    internal static int Limit(GitHubState state, GitHubUser? user, string resource) => resource switch
    {
        "search" => user is null ? 10 : state.SearchRateLimit,
        _ => user is null ? 60 : state.UserRateLimits.TryGetValue(user.Login, out var own) ? own : state.RateLimit,
    };

    private static void SetRateHeaders(IHeaderDictionary headers, int limit, GitHubState.RateWindow window, string resource)
    {
        headers["x-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = Math.Max(0, limit - window.Used).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-used"] = window.Used.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = window.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-resource"] = resource;
    }

    /// <summary>GitHub request ids look like <c>C0DE:1F2E:3A4B5C:6D7E8F:65A0B1C2</c>; derive one from the runtime's id.</summary>
    internal static string RequestId(string requestId)
    {
        var hash = (uint)StableHash.Of(requestId);
        var hash2 = (uint)StableHash.Of(requestId + "#");
        return string.Create(CultureInfo.InvariantCulture, $"{hash >> 16:X4}:{hash & 0xFFFF:X4}:{hash2:X8}:{hash2 ^ hash:X8}:{hash ^ 0x5A5A5A5A:X8}");
    }

    /// <summary>The authenticated user of the current request, or null for anonymous requests.</summary>
    public static GitHubUser? CurrentUserOrNull(this HttpContext http) => http.Items[UserItem] as GitHubUser;

    /// <summary>The authenticated user of the current request (endpoints that require one).</summary>
    public static GitHubUser CurrentUser(this HttpContext http) =>
        http.CurrentUserOrNull() ?? throw new InvalidOperationException("The endpoint does not require authentication.");
}
