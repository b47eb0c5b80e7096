using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Users endpoints and user representations.</summary>
internal static class GitHubUsers
{
    public static IResult GetAuthenticated(HttpContext http)
    {
        var views = GitHubViews.For(http);
        return new GitHubResult(PrivateUser(views, http.CurrentUser()));
    }

    public static IResult GetByUsername(HttpContext http, string username)
    {
        var views = GitHubViews.For(http);
        var user = views.State.FindUser(username);
        if (user is null)
        {
            return GitHubErrors.NotFound("https://docs.github.com/rest/users/users#get-a-user");
        }

        return new GitHubResult(user.Login == http.CurrentUserOrNull()?.Login ? PrivateUser(views, user) : PublicUser(views, user));
    }

    public static Dictionary<string, object?> SimpleUser(GitHubUrls urls, GitHubUser user)
    {
        var url = $"{urls.Api}/users/{user.Login}";
        return new()
        {
            ["login"] = user.Login,
            ["id"] = user.Id,
            ["node_id"] = NodeId(user),
            ["avatar_url"] = $"{urls.Html}/avatars/u/{user.Id}?v=4",
            ["gravatar_id"] = "",
            ["url"] = url,
            ["html_url"] = $"{urls.Html}/{user.Login}",
            ["followers_url"] = $"{url}/followers",
            ["following_url"] = $"{url}/following{{/other_user}}",
            ["gists_url"] = $"{url}/gists{{/gist_id}}",
            ["starred_url"] = $"{url}/starred{{/owner}}{{/repo}}",
            ["subscriptions_url"] = $"{url}/subscriptions",
            ["organizations_url"] = $"{url}/orgs",
            ["repos_url"] = $"{url}/repos",
            ["events_url"] = $"{url}/events{{/privacy}}",
            ["received_events_url"] = $"{url}/received_events",
            ["type"] = user.Type,
            ["user_view_type"] = "public",
            ["site_admin"] = false,
        };
    }

    /// <summary>GitHub's "ghost" account, shown for authors that no longer exist.</summary>
    public static Dictionary<string, object?> GhostUser(GitHubUrls urls) =>
        SimpleUser(urls, new GitHubUser { Login = "ghost", Id = 10137 });

    public static Dictionary<string, object?> PublicUser(GitHubViews views, GitHubUser user)
    {
        var body = SimpleUser(views.Urls, user);
        body["name"] = user.Name;
        body["company"] = user.Company;
        body["blog"] = "";
        body["location"] = user.Location;
        body["email"] = user.Email;
        body["hireable"] = null;
        body["bio"] = user.Bio;
        body["twitter_username"] = null;
        body["public_repos"] = views.State.Repos.Items.Count(r => r.Owner == user.Login && !r.Private);
        body["public_gists"] = 0;
        body["followers"] = 0;
        body["following"] = 0;
        body["created_at"] = GitHubViews.Timestamp(user.CreatedAt);
        body["updated_at"] = GitHubViews.Timestamp(user.UpdatedAt);
        return body;
    }

    public static Dictionary<string, object?> PrivateUser(GitHubViews views, GitHubUser user)
    {
        var body = PublicUser(views, user);
        var privateRepos = views.State.Repos.Items.Count(r => r.Owner == user.Login && r.Private);
        body["user_view_type"] = "private";
        body["private_gists"] = 0;
        body["total_private_repos"] = privateRepos;
        body["owned_private_repos"] = privateRepos;
        body["disk_usage"] = 0;
        body["collaborators"] = 0;
        body["two_factor_authentication"] = true;
        body["plan"] = new Dictionary<string, object?>
        {
            ["name"] = "free",
            ["space"] = 976562499,
            ["collaborators"] = 0,
            ["private_repos"] = 10000,
        };
        return body;
    }

    public static string NodeId(GitHubUser user) =>
        GitHubViews.NodeId(user.Type == "Organization" ? "012:Organization" : "04:User", user.Id);
}
