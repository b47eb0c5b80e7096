using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Clones.GitHub;

/// <summary>A stateful emulator of GitHub's REST API (api.github.com).</summary>
public sealed class GitHubClone : CloneDefinition
{
    /// <inheritdoc />
    public override string Id => "github";

    /// <inheritdoc />
    public override string DisplayName => "GitHub";

    /// <inheritdoc />
    public override string Description => "GitHub REST API: users, repositories, issues, pull requests and search.";

    /// <inheritdoc />
    public override IReadOnlyList<string> SeedNames { get; } = GitHubSeeds.Names;

    /// <inheritdoc />
    public override string DefaultServiceToken => "ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt";

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context) => GitHubSeeds.Create(context);

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        var authenticated = api.MapGroup("").AddEndpointFilter(GitHubAuth.RequireUser);
        authenticated.MapGet("/user", GitHubUsers.GetAuthenticated);
    }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http) =>
        GitHubErrors.NotFound().ExecuteAsync(http);
}
