using System.Text.Json.Serialization;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.GitHub;

/// <summary>One session's GitHub data.</summary>
/// <remarks>
/// Snapshot tables (entity type names, in order): <c>user</c> (users and organizations by login),
/// <c>repo</c> (by <c>owner/name</c>), <c>label</c> (<c>owner/name:label</c>), <c>milestone</c>
/// (<c>owner/name/milestone/N</c>), <c>issue</c> (<c>owner/name#N</c>; pull requests are issues with
/// <c>is_pull_request</c> and share the number sequence), <c>pull_request</c> (<c>owner/name#N</c>: head,
/// base, merge data), <c>comment</c> (by id; issue number and repo), <c>review</c> (by id),
/// <c>branch</c> (<c>owner/name:branch</c>), <c>commit</c> (<c>owner/name@sha</c>) and <c>file</c>
/// (<c>owner/name:branch:path</c>, the file contents of each branch) and <c>hook</c> (repository and organization webhooks, secrets left out).
/// </remarks>
public sealed class GitHubState : CloneState
{
    internal GitHubState(CloneSeedContext seed) : base("github", seed)
    {
        Users = CreateTable<GitHubUser>("user", u => u.Login);
        Repos = CreateTable<GitHubRepo>("repo", r => r.FullName);
        Labels = CreateTable<GitHubLabel>("label", l => $"{l.Repo}:{l.Name.ToUpperInvariant()}");
        Milestones = CreateTable<GitHubMilestone>("milestone", m => $"{m.Repo}/milestone/{m.Number}");
        Issues = CreateTable<GitHubIssue>("issue", i => $"{i.Repo}#{i.Number}");
        PullRequests = CreateTable<GitHubPullRequest>("pull_request", p => $"{p.Repo}#{p.Number}");
        Comments = CreateTable<GitHubComment>("comment", c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Reviews = CreateTable<GitHubReview>("review", r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Branches = CreateTable<GitHubBranch>("branch", b => $"{b.Repo}:{b.Name}");
        Commits = CreateTable<GitHubCommit>("commit", c => $"{c.Repo}@{c.Sha}");
        Files = CreateTable<GitHubFile>("file", f => $"{f.Repo}:{f.Branch}:{f.Path}");
        Hooks = CreateTable<GitHubHook>("hook", h => h.Key, GitHubHook.Project);
    }

    /// <summary>The request being served (null while seeding): git writes announce their webhooks through it.</summary>
    internal Microsoft.AspNetCore.Http.HttpContext? CurrentRequest { get; set; }

    /// <summary>Repository and organization webhooks (GitHubHooks.cs); their secrets stay out of snapshots.</summary>
    internal EntityTable<GitHubHook> Hooks { get; }

    /// <summary>Users and organizations by login.</summary>
    public EntityTable<GitHubUser> Users { get; }

    /// <summary>Repositories by <c>owner/name</c>.</summary>
    public EntityTable<GitHubRepo> Repos { get; }

    /// <summary>Repository labels.</summary>
    public EntityTable<GitHubLabel> Labels { get; }

    /// <summary>Repository milestones.</summary>
    public EntityTable<GitHubMilestone> Milestones { get; }

    /// <summary>Issues and pull requests (which are issues too), by <c>owner/name#number</c>.</summary>
    public EntityTable<GitHubIssue> Issues { get; }

    /// <summary>Pull-request specifics (head, base, merge state), by <c>owner/name#number</c>.</summary>
    public EntityTable<GitHubPullRequest> PullRequests { get; }

    /// <summary>Issue and pull-request conversation comments.</summary>
    public EntityTable<GitHubComment> Comments { get; }

    /// <summary>Pull-request reviews.</summary>
    public EntityTable<GitHubReview> Reviews { get; }

    /// <summary>Branches (refs/heads) by <c>owner/name:branch</c>.</summary>
    public EntityTable<GitHubBranch> Branches { get; }

    /// <summary>Commits by <c>owner/name@sha</c>.</summary>
    public EntityTable<GitHubCommit> Commits { get; }

    /// <summary>File contents per branch, by <c>owner/name:branch:path</c>.</summary>
    public EntityTable<GitHubFile> Files { get; }

    /// <summary>The login every unmapped, non-empty token authenticates as.</summary>
    public string DefaultLogin { get; internal set; } = "octocat";

    /// <summary>Explicit token → login mappings from the seed.</summary>
    public Dictionary<string, string> TokenLogins { get; } = new(StringComparer.Ordinal);

    /// <summary>Tokens the seed declares revoked: they get 401 "Bad credentials".</summary>
    public HashSet<string> RevokedTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests per hour an authenticated user may make (the core resource). The default is 5,000.</summary>
    public int RateLimit { get; set; } = 5_000;

    /// <summary>Per-login overrides of <see cref="RateLimit"/> (for tests that exhaust a budget).</summary>
    public Dictionary<string, int> UserRateLimits { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Search requests per minute. The default is 30.</summary>
    public int SearchRateLimit { get; set; } = 30;

    /// <summary>Content-addressed blob store (git blob sha → bytes); immutable, so it is not a table.</summary>
    internal Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, RateWindow> RateWindows { get; } = new(StringComparer.Ordinal);

    /// <summary>Former <c>owner/name</c>s of renamed repositories → repository id (GitHub redirects them).</summary>
    internal Dictionary<string, long> RenamedRepos { get; } = new(StringComparer.OrdinalIgnoreCase);

    private long _nextId = 1_000;

    /// <summary>The next numeric id (unique within the session).</summary>
    internal long NextId() => ++_nextId;

    /// <summary>The last numeric id handed out (a seed-file export carries it, so ids continue after a load).</summary>
    internal long LastId { get => _nextId; set => _nextId = value; }

    internal GitHubUser? UserForToken(string token)
    {
        if (RevokedTokens.Contains(token))
        {
            return null;
        }

        var login = TokenLogins.GetValueOrDefault(token, DefaultLogin);
        return Users.Find(login);
    }

    internal GitHubUser? FindUser(string login) =>
        Users.Find(login) ?? Users.Items.FirstOrDefault(u => u.Login.Equals(login, StringComparison.OrdinalIgnoreCase));

    internal GitHubRepo? FindRepo(string owner, string name) =>
        Repos.Find($"{owner}/{name}")
        ?? Repos.Items.FirstOrDefault(r => r.FullName.Equals($"{owner}/{name}", StringComparison.OrdinalIgnoreCase));

    internal GitHubIssue? FindIssue(GitHubRepo repo, long number) => Issues.Find($"{repo.FullName}#{number}");

    internal GitHubPullRequest? FindPull(GitHubRepo repo, long number) => PullRequests.Find($"{repo.FullName}#{number}");

    internal GitHubLabel? FindLabel(GitHubRepo repo, string name) => Labels.Find($"{repo.FullName}:{name.ToUpperInvariant()}");

    internal GitHubBranch? FindBranch(GitHubRepo repo, string name) => Branches.Find($"{repo.FullName}:{name}");

    internal GitHubCommit? FindCommit(GitHubRepo repo, string sha) => Commits.Find($"{repo.FullName}@{sha}");

    internal GitHubFile? FindFile(GitHubRepo repo, string branch, string path) => Files.Find($"{repo.FullName}:{branch}:{path}");

    /// <summary>Whether <paramref name="user"/> (null: anonymous) may see <paramref name="repo"/>.</summary>
    internal bool CanRead(GitHubUser? user, GitHubRepo repo) =>
        !repo.Private || (user is not null && CanWrite(user, repo));

    /// <summary>Owners, organization members and collaborators may write.</summary>
    internal bool CanWrite(GitHubUser? user, GitHubRepo repo)
    {
        if (user is null)
        {
            return false;
        }

        if (repo.Owner.Equals(user.Login, StringComparison.OrdinalIgnoreCase) || repo.Collaborators.Contains(user.Login))
        {
            return true;
        }

        return Users.Find(repo.Owner) is { Type: "Organization" } org && org.Members.Contains(user.Login);
    }

    // Numbering is bookkeeping, not observable state: it changes no snapshot and records no mutation.
    internal static long NextIssueNumber(GitHubRepo repo) => ++repo.LastIssueNumber;

    internal static long NextMilestoneNumber(GitHubRepo repo) => ++repo.LastMilestoneNumber;

    internal string NextSha() => Random.NextHex(40);

    internal sealed class RateWindow
    {
        public int Used { get; set; }

        public DateTimeOffset Reset { get; set; }
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

    /// <summary>Organization members' logins (organizations only).</summary>
    public List<string> Members { get; init; } = [];

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the account last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A repository.</summary>
public sealed class GitHubRepo
{
    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The owner's login.</summary>
    public required string Owner { get; set; }

    /// <summary>The repository name.</summary>
    public required string Name { get; set; }

    /// <summary><c>owner/name</c>.</summary>
    public string FullName => $"{Owner}/{Name}";

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>The homepage URL.</summary>
    public string? Homepage { get; set; }

    /// <summary>Whether only collaborators can see it.</summary>
    public bool Private { get; set; }

    /// <summary>The default branch name.</summary>
    public string DefaultBranch { get; set; } = "main";

    /// <summary>Whether issues are enabled.</summary>
    public bool HasIssues { get; set; } = true;

    /// <summary>Whether projects are enabled.</summary>
    public bool HasProjects { get; set; } = true;

    /// <summary>Whether the wiki is enabled.</summary>
    public bool HasWiki { get; set; } = true;

    /// <summary>Whether the repository is archived (read-only).</summary>
    public bool Archived { get; set; }

    /// <summary>Whether it is a template.</summary>
    public bool IsTemplate { get; set; }

    /// <summary>Whether merge commits are allowed.</summary>
    public bool AllowMergeCommit { get; set; } = true;

    /// <summary>Whether squash merges are allowed.</summary>
    public bool AllowSquashMerge { get; set; } = true;

    /// <summary>Whether rebase merges are allowed.</summary>
    public bool AllowRebaseMerge { get; set; } = true;

    /// <summary>Whether head branches are deleted after merge.</summary>
    public bool DeleteBranchOnMerge { get; set; }

    /// <summary>The main language.</summary>
    public string? Language { get; set; }

    /// <summary>Topics.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Collaborator logins with write access.</summary>
    public List<string> Collaborators { get; init; } = [];

    /// <summary>Star count.</summary>
    public int StargazersCount { get; set; }

    /// <summary>The highest issue/pull-request number used so far (bookkeeping: not in snapshots or mutations).</summary>
    [JsonIgnore]
    public long LastIssueNumber { get; set; }

    /// <summary>The highest milestone number used so far (bookkeeping: not in snapshots or mutations).</summary>
    [JsonIgnore]
    public long LastMilestoneNumber { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Last push.</summary>
    public DateTimeOffset PushedAt { get; set; }
}

/// <summary>A repository label.</summary>
public sealed class GitHubLabel
{
    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The label name (unique per repository, case-insensitively).</summary>
    public required string Name { get; set; }

    /// <summary>Six hex digits without <c>#</c>.</summary>
    public string Color { get; set; } = "ededed";

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>Whether it is one of GitHub's default labels.</summary>
    public bool Default { get; set; }
}

/// <summary>A milestone.</summary>
public sealed class GitHubMilestone
{
    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The number within the repository.</summary>
    public required long Number { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; set; }

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string State { get; set; } = "open";

    /// <summary>The creator's login.</summary>
    public string? Creator { get; set; }

    /// <summary>The due date.</summary>
    public DateTimeOffset? DueOn { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was closed.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>An issue; pull requests are issues too (<see cref="IsPullRequest"/>).</summary>
public sealed class GitHubIssue
{
    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The number, shared with pull requests.</summary>
    public required long Number { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; set; }

    /// <summary>The body (Markdown).</summary>
    public string? Body { get; set; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string State { get; set; } = "open";

    /// <summary><c>completed</c>, <c>not_planned</c>, <c>duplicate</c>, <c>reopened</c> or null.</summary>
    public string? StateReason { get; set; }

    /// <summary>Label names.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Assignee logins.</summary>
    public List<string> Assignees { get; set; } = [];

    /// <summary>The author's login.</summary>
    public required string User { get; init; }

    /// <summary>The milestone number, if any.</summary>
    public long? Milestone { get; set; }

    /// <summary>Whether the conversation is locked.</summary>
    public bool Locked { get; set; }

    /// <summary>The lock reason (<c>off-topic</c>, <c>too heated</c>, <c>resolved</c>, <c>spam</c>).</summary>
    public string? ActiveLockReason { get; set; }

    /// <summary>The number of comments.</summary>
    public int Comments { get; set; }

    /// <summary>Whether this issue is a pull request.</summary>
    public bool IsPullRequest { get; init; }

    /// <summary>Who closed it.</summary>
    public string? ClosedBy { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was closed.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>Pull-request data beyond its issue: branches and merge state.</summary>
public sealed class GitHubPullRequest
{
    /// <summary>The pull request's own numeric id (distinct from the issue id).</summary>
    public required long Id { get; init; }

    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The number (the issue's number).</summary>
    public required long Number { get; init; }

    /// <summary>The head branch.</summary>
    public required string Head { get; init; }

    /// <summary>The base branch.</summary>
    public required string Base { get; set; }

    /// <summary>The head sha when the pull request was last synchronized or merged.</summary>
    public string? HeadSha { get; set; }

    /// <summary>The base sha when the pull request was created.</summary>
    public string? BaseSha { get; set; }

    /// <summary>Whether it is a draft.</summary>
    public bool Draft { get; set; }

    /// <summary>Whether it was merged.</summary>
    public bool Merged { get; set; }

    /// <summary>When it was merged.</summary>
    public DateTimeOffset? MergedAt { get; set; }

    /// <summary>Who merged it.</summary>
    public string? MergedBy { get; set; }

    /// <summary>The merge commit sha.</summary>
    public string? MergeCommitSha { get; set; }

    /// <summary>Requested reviewer logins.</summary>
    public List<string> RequestedReviewers { get; set; } = [];

    /// <summary>Whether maintainers may push to the head branch.</summary>
    public bool MaintainerCanModify { get; set; }
}

/// <summary>An issue or pull-request conversation comment.</summary>
public sealed class GitHubComment
{
    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The issue number.</summary>
    public required long IssueNumber { get; init; }

    /// <summary>The body.</summary>
    public required string Body { get; set; }

    /// <summary>The author's login.</summary>
    public required string User { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A pull-request review.</summary>
public sealed class GitHubReview
{
    /// <summary>The numeric id.</summary>
    public required long Id { get; init; }

    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The pull-request number.</summary>
    public required long PullNumber { get; init; }

    /// <summary>The reviewer's login.</summary>
    public required string User { get; init; }

    /// <summary>The body.</summary>
    public string Body { get; set; } = "";

    /// <summary><c>APPROVED</c>, <c>CHANGES_REQUESTED</c>, <c>COMMENTED</c> or <c>PENDING</c>.</summary>
    public required string State { get; set; }

    /// <summary>The head sha reviewed.</summary>
    public required string CommitId { get; init; }

    /// <summary>When it was submitted (null while pending).</summary>
    public DateTimeOffset? SubmittedAt { get; set; }
}

/// <summary>A branch: a name pointing at a commit.</summary>
public sealed class GitHubBranch
{
    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The branch name.</summary>
    public required string Name { get; init; }

    /// <summary>The commit it points at.</summary>
    public required string Sha { get; set; }

    /// <summary>Whether it is protected.</summary>
    public bool Protected { get; set; }
}

/// <summary>A commit.</summary>
public sealed class GitHubCommit
{
    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The commit sha.</summary>
    public required string Sha { get; init; }

    /// <summary>The tree sha.</summary>
    public required string TreeSha { get; init; }

    /// <summary>The message.</summary>
    public required string Message { get; init; }

    /// <summary>The author's login (null for unknown git authors).</summary>
    public string? Author { get; init; }

    /// <summary>The author's git name.</summary>
    public required string AuthorName { get; init; }

    /// <summary>The author's git email.</summary>
    public required string AuthorEmail { get; init; }

    /// <summary>The branch it was first made on.</summary>
    public required string Branch { get; init; }

    /// <summary>Parent shas.</summary>
    public List<string> Parents { get; init; } = [];

    /// <summary>Paths changed by this commit.</summary>
    public List<string> Files { get; init; } = [];

    /// <summary>The full tree after this commit: path → blob sha.</summary>
    public SortedDictionary<string, string> Tree { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Commit time.</summary>
    public DateTimeOffset Date { get; init; }
}

/// <summary>A file's content on one branch.</summary>
public sealed class GitHubFile
{
    /// <summary>The repository (<c>owner/name</c>).</summary>
    public required string Repo { get; set; }

    /// <summary>The branch.</summary>
    public required string Branch { get; init; }

    /// <summary>The path (no leading slash).</summary>
    public required string Path { get; init; }

    /// <summary>The content as UTF-8 text (exact bytes live in the blob store under <see cref="Sha"/>).</summary>
    public required string Content { get; set; }

    /// <summary>The git blob sha of the content.</summary>
    public required string Sha { get; set; }

    /// <summary>Size in bytes.</summary>
    public int Size { get; set; }
}
