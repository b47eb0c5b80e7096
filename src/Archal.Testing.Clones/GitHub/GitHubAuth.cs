using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>GitHub authentication: the service token in <c>Authorization</c> maps to a seeded user.</summary>
internal static class GitHubAuth
{
    private const string UserItem = "github.user";

    /// <summary>Rejects requests without credentials (401 "Requires authentication").</summary>
    public static async ValueTask<object?> RequireUser(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = http.Request.GetServiceToken();
        if (token is null)
        {
            return GitHubErrors.RequiresAuthentication();
        }

        var state = http.GetCloneState<GitHubState>();
        var user = state.UserForToken(token);
        if (user is null)
        {
            return GitHubErrors.BadCredentials();
        }

        http.Items[UserItem] = user;
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The authenticated user of the current request.</summary>
    public static GitHubUser CurrentUser(this HttpContext http) =>
        (GitHubUser)(http.Items[UserItem] ?? throw new InvalidOperationException("The endpoint is not behind GitHubAuth.RequireUser."));
}
