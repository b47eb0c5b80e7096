using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.GitHub;

/// <summary>One session's GitHub data.</summary>
public sealed class GitHubState : CloneState
{
    internal GitHubState(CloneSeedContext seed) : base("github", seed)
    {
        Users = CreateTable<GitHubUser>("user", u => u.Login);
    }

    /// <summary>Users and organizations by login.</summary>
    public EntityTable<GitHubUser> Users { get; }

    /// <summary>The login every unmapped, non-empty token authenticates as.</summary>
    public string DefaultLogin { get; internal set; } = "octocat";

    /// <summary>Explicit token → login mappings from the seed.</summary>
    public Dictionary<string, string> TokenLogins { get; } = new(StringComparer.Ordinal);

    /// <summary>Tokens the seed declares revoked: they get 401 "Bad credentials".</summary>
    public HashSet<string> RevokedTokens { get; } = new(StringComparer.Ordinal);

    private long _nextId = 1_000;

    /// <summary>The next numeric id (unique within the session).</summary>
    internal long NextId() => ++_nextId;

    internal GitHubUser? UserForToken(string token)
    {
        if (RevokedTokens.Contains(token))
        {
            return null;
        }

        var login = TokenLogins.GetValueOrDefault(token, DefaultLogin);
        return Users.Find(login);
    }
}

/// <summary>A GitHub user or organization account.</summary>
public sealed class GitHubUser
{
    /// <summary>The login (unique).</summary>
    public required string Login { get; init; }

    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary><c>User</c> or <c>Organization</c>.</summary>
    public string Type { get; init; } = "User";

    /// <summary>The display name.</summary>
    public string? Name { get; set; }

    /// <summary>The public email.</summary>
    public string? Email { get; set; }

    /// <summary>The company.</summary>
    public string? Company { get; set; }

    /// <summary>The location.</summary>
    public string? Location { get; set; }

    /// <summary>The bio.</summary>
    public string? Bio { get; set; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the account last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
