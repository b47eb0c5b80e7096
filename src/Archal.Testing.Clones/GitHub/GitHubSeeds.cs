using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.GitHub;

/// <summary>The named GitHub seeds.</summary>
internal static class GitHubSeeds
{
    public static readonly IReadOnlyList<string> Names = ["empty"];

    public static GitHubState Create(CloneSeedContext context)
    {
        var state = new GitHubState(context);
        var now = context.Time.GetUtcNow();
        switch (context.SeedName)
        {
            case "empty":
                state.Users.Add(new GitHubUser
                {
                    Login = "octocat",
                    Id = state.NextId(),
                    Name = "The Octocat",
                    CreatedAt = now.AddYears(-3),
                    UpdatedAt = now.AddDays(-1),
                });
                break;
            default:
                throw new CloneSeedException($"GitHub has no seed named '{context.SeedName}'. Known seeds: {string.Join(", ", Names)}.");
        }

        return state;
    }
}
