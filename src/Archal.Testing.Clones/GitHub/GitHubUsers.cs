using System.Globalization;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Users endpoints.</summary>
internal static class GitHubUsers
{
    public static IResult GetAuthenticated(HttpContext http) =>
        CloneJson.Result(PrivateUser(http.GetCloneContext().ApiBaseUrl, http.CurrentUser()));

    public static Dictionary<string, object?> SimpleUser(string baseUrl, GitHubUser user)
    {
        var url = $"{baseUrl}/users/{user.Login}";
        return new()
        {
            ["login"] = user.Login,
            ["id"] = user.Id,
            ["node_id"] = NodeId(user),
            ["avatar_url"] = $"{baseUrl}/avatars/u/{user.Id}?v=4",
            ["gravatar_id"] = "",
            ["url"] = url,
            ["html_url"] = $"{baseUrl}/{user.Login}",
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

    public static Dictionary<string, object?> PrivateUser(string baseUrl, GitHubUser user)
    {
        var body = SimpleUser(baseUrl, user);
        body["user_view_type"] = "private";
        body["name"] = user.Name;
        body["company"] = user.Company;
        body["blog"] = "";
        body["location"] = user.Location;
        body["email"] = user.Email;
        body["hireable"] = null;
        body["bio"] = user.Bio;
        body["twitter_username"] = null;
        body["public_repos"] = 0;
        body["public_gists"] = 0;
        body["followers"] = 0;
        body["following"] = 0;
        body["created_at"] = Timestamp(user.CreatedAt);
        body["updated_at"] = Timestamp(user.UpdatedAt);
        body["private_gists"] = 0;
        body["total_private_repos"] = 0;
        body["owned_private_repos"] = 0;
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

    /// <summary>GitHub's ISO 8601 timestamps: seconds precision, Z suffix.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string NodeId(GitHubUser user) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"04:{user.Type}{user.Id}"));
}
