using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Bogus;

namespace Archal.Testing.Clones.GitHub;

/// <summary>The named GitHub seeds and the seed-data format applied on top of them.</summary>
/// <remarks>
/// <para>Named seeds (every one has the default user <c>octocat</c>, which any non-empty token maps to):</para>
/// <list type="bullet">
/// <item><c>empty</c>: the user <c>octocat</c> and nothing else.</item>
/// <item><c>small-project</c>: users octocat, hubot, monalisa, mona-dev; organization <c>acme</c>; repositories
/// <c>acme/webapp</c> (files, default labels, a milestone, 12 issues with comments, an open pull request from
/// <c>feature/login-form</c>), <c>acme/infra</c> (private) and <c>octocat/hello-world</c>.</item>
/// <item><c>stale-issues</c>: <c>small-project</c> plus 40 issues in <c>acme/webapp</c> whose <c>updated_at</c> lies
/// 60–400 days back, a third of them labelled <c>keep-open</c>, and 8 recently active ones.</item>
/// <item><c>large-backlog</c>: <c>small-project</c> plus 600 generated issues in <c>acme/webapp</c>.</item>
/// </list>
/// <para>Seed data (<see cref="CloneSeedContext.Data"/>), all arrays optional, applied in this order:</para>
/// <code>
/// { "users":  [{ "login": "alice", "name": "Alice", "email": "a@x.dev", "type": "User|Organization",
///                "members": ["octocat"], "token": "ghp_alice", "default": false, "rate_limit": 5000 }],
///   "repos":  [{ "owner": "alice", "name": "app", "private": false, "description": "…", "default_branch": "main",
///                "topics": ["x"], "collaborators": ["bob"], "files": { "README.md": "# app" } }],
///   "labels": [{ "repo": "alice/app", "name": "triage", "color": "ff0000", "description": "…" }],
///   "milestones": [{ "repo": "alice/app", "title": "v1", "state": "open", "due_days": 30 }],
///   "issues": [{ "repo": "alice/app", "title": "…", "body": "…", "labels": ["bug"], "state": "open|closed",
///                "state_reason": "completed", "assignees": ["alice"], "author": "alice", "milestone": "v1",
///                "created_days_ago": 30, "updated_days_ago": 10, "locked": false,
///                "comments": [{ "author": "bob", "body": "…", "days_ago": 5 }] }],
///   "rate_limit": 5000 }
/// </code>
/// <para>Unspecified fields are filled deterministically (author: the default user; dates: now; labels are created
/// when missing, as GitHub does). A reference to a repository, user or milestone that does not exist throws
/// <see cref="CloneSeedException"/>.</para>
/// <para>A <c>state</c> object (an exported state, <see cref="GitHubClone.ExportSeedData"/>) replaces the named seed: the
/// clone starts with exactly its tables and bookkeeping, and the sections above are applied on top.</para>
/// </remarks>
public static class GitHubSeeds
{
    /// <summary>The user <c>octocat</c> and nothing else.</summary>
    public const string Empty = "empty";

    /// <summary>Organization <c>acme</c> with <c>acme/webapp</c> (12 issues, labels, a milestone, an open pull request), <c>acme/infra</c> and <c>octocat/hello-world</c>.</summary>
    public const string SmallProject = "small-project";

    /// <summary><see cref="SmallProject"/> plus 40 stale issues in <c>acme/webapp</c> (a third labelled <c>keep-open</c>) and 8 recently active ones.</summary>
    public const string StaleIssues = "stale-issues";

    /// <summary><see cref="SmallProject"/> plus 600 generated issues in <c>acme/webapp</c>.</summary>
    public const string LargeBacklog = "large-backlog";

    /// <summary>The seed names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Empty, SmallProject, StaleIssues, LargeBacklog];

    private static readonly (string Name, string Color, string Description)[] DefaultLabels =
    [
        ("bug", "d73a4a", "Something isn't working"),
        ("documentation", "0075ca", "Improvements or additions to documentation"),
        ("duplicate", "cfd3d7", "This issue or pull request already exists"),
        ("enhancement", "a2eeef", "New feature or request"),
        ("good first issue", "7057ff", "Good for newcomers"),
        ("help wanted", "008672", "Extra attention is needed"),
        ("invalid", "e4e669", "This doesn't seem right"),
        ("question", "d876e3", "Further information is requested"),
        ("wontfix", "ffffff", "This will not be worked on"),
    ];

    internal static GitHubState Create(CloneSeedContext context)
    {
        var state = new GitHubState(context);
        var now = context.Time.GetUtcNow();
        // An exported state (GitHubSeedExport) replaces the named seed: the file holds the whole world.
        var exported = SeedDataExport.Split(context.Data, "GitHub", out var rest);
        if (exported is not null && Names.Contains(context.SeedName))
        {
            Guard(() => GitHubSeedExport.Load(state, exported));
        }
        else
        {
            AddNamedSeed(state, context.SeedName, now);
        }

        if (rest is { } data)
        {
            Guard(() => ApplyData(state, data, now));
        }

        return state;
    }

    private static void Guard(Action seed)
    {
        try
        {
            seed();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
        {
            throw new CloneSeedException($"GitHub seed data is invalid: {e.Message}", e);
        }
    }

    private static void AddNamedSeed(GitHubState state, string seedName, DateTimeOffset now)
    {
        AddUser(state, "octocat", "The Octocat", now.AddYears(-3), "octocat@github.com");
        switch (seedName)
        {
            case "empty":
                break;
            case "small-project":
                AddSmallProject(state, now);
                break;
            case "stale-issues":
                AddSmallProject(state, now);
                AddStaleIssues(state, now);
                break;
            case "large-backlog":
                AddSmallProject(state, now);
                AddLargeBacklog(state, now);
                break;
            default:
                throw new CloneSeedException($"GitHub has no seed named '{seedName}'. Known seeds: {string.Join(", ", Names)}.");
        }
    }

    private static GitHubUser AddUser(GitHubState state, string login, string? name, DateTimeOffset created, string? email = null, string type = "User") =>
        state.Users.Add(new GitHubUser
        {
            Login = login,
            Id = state.NextId(),
            Name = name,
            Email = email,
            Type = type,
            CreatedAt = created,
            UpdatedAt = created.AddDays(30),
        });

    private static Faker Faker(GitHubState state, string purpose) =>
        new() { Random = new Randomizer(StableHash.Combine(state.Random.Seed, purpose)) };

    private static GitHubRepo AddRepo(GitHubState state, string owner, string name, string? description, bool isPrivate, DateTimeOffset created,
        IReadOnlyDictionary<string, string>? files = null, string defaultBranch = "main", string? language = null)
    {
        var repo = state.Repos.Add(new GitHubRepo
        {
            Id = state.NextId(),
            Owner = owner,
            Name = name,
            Description = description,
            Private = isPrivate,
            DefaultBranch = defaultBranch,
            Language = language,
            CreatedAt = created,
            UpdatedAt = created,
            PushedAt = created,
        });
        var author = state.Users.Find(owner) is { Type: "User" } u ? u : state.Users.Find(state.DefaultLogin)!;
        var content = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var (path, text) in files ?? new Dictionary<string, string> { ["README.md"] = $"# {name}\n\n{description}\n" })
        {
            content[path] = Encoding.UTF8.GetBytes(text);
        }

        GitHubGit.Commit(state, repo, defaultBranch, author, "Initial commit", content, created);
        return repo;
    }

    /// <summary>GitHub's nine default labels, which every new repository starts with (recorded in @octokit/fixtures' labels scenario).</summary>
    internal static void AddDefaultLabels(GitHubState state, GitHubRepo repo)
    {
        foreach (var (name, color, description) in DefaultLabels)
        {
            state.Labels.Add(new GitHubLabel { Id = state.NextId(), Repo = repo.FullName, Name = name, Color = color, Description = description, Default = true });
        }
    }

    private static GitHubIssue AddIssue(GitHubState state, GitHubRepo repo, string author, string title, string? body, DateTimeOffset created,
        DateTimeOffset updated, IEnumerable<string>? labels = null, IEnumerable<string>? assignees = null, string issueState = "open",
        string? stateReason = null, long? milestone = null)
    {
        var closed = issueState == "closed";
        return state.Issues.Add(new GitHubIssue
        {
            Id = state.NextId(),
            Repo = repo.FullName,
            Number = GitHubState.NextIssueNumber(repo),
            Title = title,
            Body = body,
            User = author,
            State = issueState,
            StateReason = closed ? stateReason ?? "completed" : stateReason,
            Labels = GitHubIssues.EnsureLabels(state, repo, labels ?? []),
            Assignees = [.. assignees ?? []],
            Milestone = milestone,
            ClosedAt = closed ? updated : null,
            ClosedBy = closed ? author : null,
            CreatedAt = created,
            UpdatedAt = updated,
        });
    }

    private static void AddComment(GitHubState state, GitHubIssue issue, string author, string body, DateTimeOffset at)
    {
        state.Comments.Add(new GitHubComment
        {
            Id = state.NextId(),
            Repo = issue.Repo,
            IssueNumber = issue.Number,
            Body = body,
            User = author,
            CreatedAt = at,
            UpdatedAt = at,
        });
        state.Issues.Update(issue, i => i.Comments++);
    }

    private static void AddSmallProject(GitHubState state, DateTimeOffset now)
    {
        var faker = Faker(state, "small-project");
        AddUser(state, "hubot", "Hubot", now.AddYears(-2), "hubot@example.com");
        AddUser(state, "monalisa", "Mona Lisa Octocat", now.AddYears(-2));
        AddUser(state, "mona-dev", faker.Name.FullName(), now.AddYears(-1));
        var org = AddUser(state, "acme", "Acme Corp", now.AddYears(-2), type: "Organization");
        state.Users.Update(org, o => o.Members.AddRange(["octocat", "hubot", "monalisa"]));

        var webapp = AddRepo(state, "acme", "webapp", "The Acme web application", false, now.AddDays(-400), new Dictionary<string, string>
        {
            ["README.md"] = "# webapp\n\nThe Acme web application.\n",
            ["package.json"] = "{\n  \"name\": \"webapp\",\n  \"version\": \"1.0.0\"\n}\n",
            ["src/app.js"] = "export function start() {\n  console.log('webapp started');\n}\n",
            ["src/login.js"] = "export function login(user) {\n  return user != null;\n}\n",
        }, language: "JavaScript");
        state.Repos.Update(webapp, r =>
        {
            r.Topics = ["web", "javascript"];
            r.StargazersCount = 42;
        });
        AddDefaultLabels(state, webapp);
        webapp.LastMilestoneNumber = 1;
        state.Milestones.Add(new GitHubMilestone
        {
            Id = state.NextId(),
            Repo = webapp.FullName,
            Number = 1,
            Title = "v1.0",
            Description = "First stable release",
            Creator = "octocat",
            DueOn = now.AddDays(30).Date,
            CreatedAt = now.AddDays(-60),
            UpdatedAt = now.AddDays(-60),
        });

        var infra = AddRepo(state, "acme", "infra", "Infrastructure as code", true, now.AddDays(-300), language: "HCL");
        AddDefaultLabels(state, infra);
        var hello = AddRepo(state, "octocat", "hello-world", "My first repository on GitHub!", false, now.AddDays(-900));
        AddDefaultLabels(state, hello);
        state.Repos.Update(hello, r => r.StargazersCount = 1500);

        string[] people = ["octocat", "hubot", "monalisa", "mona-dev"];
        string[] labels = ["bug", "enhancement", "documentation", "question", "good first issue", "help wanted"];
        for (var i = 0; i < 12; i++)
        {
            var created = now.AddDays(-faker.Random.Int(5, 120)).AddMinutes(-faker.Random.Int(0, 1440));
            var updated = created.AddDays(faker.Random.Int(0, 4));
            var closed = i % 4 == 3;
            var issue = AddIssue(state, webapp, faker.PickRandom(people), Title(faker), faker.Lorem.Paragraph(), created, updated,
                [faker.PickRandom(labels)], i % 3 == 0 ? [faker.PickRandom("octocat", "hubot", "monalisa")] : null,
                closed ? "closed" : "open", milestone: i % 5 == 0 ? 1 : null);
            for (var c = 0; c < i % 3; c++)
            {
                AddComment(state, issue, faker.PickRandom(people), faker.Lorem.Sentence(), updated);
            }
        }

        // An open pull request from a feature branch.
        var octocat = state.Users.Find("octocat")!;
        var main = state.FindBranch(webapp, "main")!;
        GitHubGit.MoveBranch(state, webapp, "feature/login-form", state.FindCommit(webapp, main.Sha)!);
        var head = GitHubGit.Commit(state, webapp, "feature/login-form", octocat, "Add login form validation",
            new Dictionary<string, byte[]?> { ["src/login.js"] = Encoding.UTF8.GetBytes("export function login(user) {\n  return user != null && user.name.length > 0;\n}\n") },
            now.AddDays(-2));
        var pr = AddIssue(state, webapp, "octocat", "Validate the login form", "Rejects empty user names.", now.AddDays(-2), now.AddDays(-1));
        ReplaceWithPull(state, webapp, pr, "feature/login-form", "main", head.Sha, main.Sha);
    }

    // Pull requests are issues with IsPullRequest (init-only), so seeds re-add the issue as one.
    private static void ReplaceWithPull(GitHubState state, GitHubRepo repo, GitHubIssue issue, string head, string @base, string headSha, string baseSha)
    {
        state.Issues.Remove($"{issue.Repo}#{issue.Number}");
        state.Issues.Add(new GitHubIssue
        {
            Id = issue.Id,
            Repo = issue.Repo,
            Number = issue.Number,
            Title = issue.Title,
            Body = issue.Body,
            User = issue.User,
            IsPullRequest = true,
            CreatedAt = issue.CreatedAt,
            UpdatedAt = issue.UpdatedAt,
        });
        state.PullRequests.Add(new GitHubPullRequest
        {
            Id = state.NextId(),
            Repo = repo.FullName,
            Number = issue.Number,
            Head = head,
            Base = @base,
            HeadSha = headSha,
            BaseSha = baseSha,
            MaintainerCanModify = true,
            RequestedReviewers = ["hubot"],
        });
    }

    private static string Title(Faker faker) => faker.Random.Int(0, 3) switch
    {
        0 => $"{Capitalize(faker.Hacker.Verb())} the {faker.Hacker.Adjective()} {faker.Hacker.Noun()}",
        1 => $"{Capitalize(faker.Hacker.Noun())} fails when {faker.Hacker.IngVerb()} the {faker.Hacker.Noun()}",
        2 => $"Support {faker.Hacker.Adjective()} {faker.Hacker.Noun()} in {faker.Hacker.Abbreviation()} export",
        _ => $"Crash on {faker.Hacker.Abbreviation()} {faker.Hacker.Noun()} after {faker.Hacker.IngVerb()}",
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void AddStaleIssues(GitHubState state, DateTimeOffset now)
    {
        var faker = Faker(state, "stale-issues");
        var webapp = state.FindRepo("acme", "webapp")!;
        state.Labels.Add(new GitHubLabel { Id = state.NextId(), Repo = webapp.FullName, Name = "keep-open", Color = "0e8a16", Description = "Never close automatically" });
        state.Labels.Add(new GitHubLabel { Id = state.NextId(), Repo = webapp.FullName, Name = "stale", Color = "fbca04", Description = "No activity for a long time" });
        string[] people = ["octocat", "hubot", "monalisa", "mona-dev"];
        for (var i = 0; i < 40; i++)
        {
            var updatedDaysAgo = faker.Random.Int(60, 400);
            var created = now.AddDays(-updatedDaysAgo - faker.Random.Int(1, 200));
            var labels = new List<string> { faker.PickRandom("bug", "enhancement", "question") };
            if (i % 3 == 0)
            {
                labels.Add("keep-open");
            }

            AddIssue(state, webapp, faker.PickRandom(people), Title(faker), faker.Lorem.Paragraph(), created, now.AddDays(-updatedDaysAgo), labels);
        }

        for (var i = 0; i < 8; i++)
        {
            var created = now.AddDays(-faker.Random.Int(1, 20));
            AddIssue(state, webapp, faker.PickRandom(people), Title(faker), faker.Lorem.Paragraph(), created, created.AddHours(faker.Random.Int(1, 48)),
                [faker.PickRandom("bug", "enhancement")]);
        }
    }

    private static void AddLargeBacklog(GitHubState state, DateTimeOffset now)
    {
        var faker = Faker(state, "large-backlog");
        var webapp = state.FindRepo("acme", "webapp")!;
        string[] people = ["octocat", "hubot", "monalisa", "mona-dev"];
        string[] labels = ["bug", "enhancement", "documentation", "question", "good first issue", "help wanted", "wontfix"];
        for (var i = 0; i < 600; i++)
        {
            var created = now.AddDays(-faker.Random.Int(1, 1000)).AddMinutes(-faker.Random.Int(0, 1440));
            var updated = created.AddDays(faker.Random.Int(0, 30));
            if (updated > now)
            {
                updated = now;
            }

            var closed = faker.Random.Int(0, 9) < 3;
            var issue = AddIssue(state, webapp, faker.PickRandom(people), Title(faker), faker.Lorem.Paragraphs(1), created, updated,
                faker.Random.Int(0, 3) == 0 ? [] : faker.PickRandom(labels, faker.Random.Int(1, 2)).Distinct(),
                faker.Random.Int(0, 2) == 0 ? [faker.PickRandom("octocat", "hubot", "monalisa")] : null,
                closed ? "closed" : "open", closed ? faker.PickRandom("completed", "not_planned") : null);
            if (i % 10 == 0)
            {
                AddComment(state, issue, faker.PickRandom(people), faker.Lorem.Sentence(), updated);
            }
        }
    }

    // ---- seed data ----

    private static void ApplyData(GitHubState state, JsonObject data, DateTimeOffset now)
    {
        foreach (var key in data.Select(p => p.Key))
        {
            if (key is not ("users" or "repos" or "labels" or "milestones" or "issues" or "rate_limit"))
            {
                throw new CloneSeedException($"GitHub seed data has an unknown section '{key}'. Known: users, repos, labels, milestones, issues, rate_limit, state.");
            }
        }

        if (data["rate_limit"] is JsonValue rate)
        {
            state.RateLimit = rate.GetValue<int>();
        }

        foreach (var (item, index) in Items(data, "users"))
        {
            var login = Required(item, "login", "users", index);
            if (state.FindUser(login) is not null)
            {
                throw new CloneSeedException($"users[{index}]: a user '{login}' already exists in the seed.");
            }

            var user = AddUser(state, login, Str(item, "name"), now.AddYears(-1), Str(item, "email"), Str(item, "type") ?? "User");
            foreach (var member in Strs(item, "members"))
            {
                RequireUser(state, member, $"users[{index}].members");
                state.Users.Update(user, u => u.Members.Add(member));
            }

            if (Str(item, "token") is { } token)
            {
                state.TokenLogins[token] = login;
            }

            if (Int(item, "rate_limit") is { } limit)
            {
                state.UserRateLimits[login] = limit;
            }

            if (item["default"] is JsonValue d && d.GetValue<bool>())
            {
                state.DefaultLogin = login;
            }
        }

        foreach (var (item, index) in Items(data, "repos"))
        {
            var owner = Required(item, "owner", "repos", index);
            var name = Required(item, "name", "repos", index);
            RequireUser(state, owner, $"repos[{index}].owner");
            if (state.FindRepo(owner, name) is not null)
            {
                throw new CloneSeedException($"repos[{index}]: the repository '{owner}/{name}' already exists in the seed.");
            }

            var files = item["files"] is JsonObject f ? f.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) : null;
            var repo = AddRepo(state, state.FindUser(owner)!.Login, name, Str(item, "description"), item["private"] is JsonValue p && p.GetValue<bool>(),
                now.AddDays(-30), files, Str(item, "default_branch") ?? "main", Str(item, "language"));
            state.Repos.Update(repo, r =>
            {
                r.Topics = [.. Strs(item, "topics")];
                r.Collaborators.AddRange(Strs(item, "collaborators").Select(c => RequireUser(state, c, $"repos[{index}].collaborators").Login));
            });
            AddDefaultLabels(state, repo);
        }

        foreach (var (item, index) in Items(data, "labels"))
        {
            var repo = RequireRepo(state, Required(item, "repo", "labels", index), $"labels[{index}]");
            var name = Required(item, "name", "labels", index);
            var existing = state.FindLabel(repo, name);
            if (existing is not null)
            {
                state.Labels.Update(existing, l =>
                {
                    l.Color = Str(item, "color") ?? l.Color;
                    l.Description = Str(item, "description") ?? l.Description;
                });
                continue;
            }

            state.Labels.Add(new GitHubLabel
            {
                Id = state.NextId(),
                Repo = repo.FullName,
                Name = name,
                Color = (Str(item, "color") ?? state.Random.NextHex(6)).TrimStart('#'),
                Description = Str(item, "description"),
            });
        }

        foreach (var (item, index) in Items(data, "milestones"))
        {
            var repo = RequireRepo(state, Required(item, "repo", "milestones", index), $"milestones[{index}]");
            GitHubState.NextMilestoneNumber(repo);
            var closed = Str(item, "state") == "closed";
            state.Milestones.Add(new GitHubMilestone
            {
                Id = state.NextId(),
                Repo = repo.FullName,
                Number = repo.LastMilestoneNumber,
                Title = Required(item, "title", "milestones", index),
                Description = Str(item, "description"),
                State = closed ? "closed" : "open",
                Creator = state.DefaultLogin,
                DueOn = Int(item, "due_days") is { } due ? now.AddDays(due).Date : null,
                CreatedAt = now.AddDays(-30),
                UpdatedAt = now.AddDays(-30),
                ClosedAt = closed ? now.AddDays(-1) : null,
            });
        }

        foreach (var (item, index) in Items(data, "issues"))
        {
            var where = $"issues[{index}]";
            var repo = RequireRepo(state, Required(item, "repo", "issues", index), where);
            var author = RequireUser(state, Str(item, "author") ?? state.DefaultLogin, $"{where}.author").Login;
            var assignees = Strs(item, "assignees").Select(a => RequireUser(state, a, $"{where}.assignees").Login).ToList();
            long? milestone = null;
            if (Str(item, "milestone") is { } title)
            {
                milestone = state.Milestones.Items.FirstOrDefault(m => m.Repo == repo.FullName && m.Title == title)?.Number
                    ?? throw new CloneSeedException($"{where}: milestone '{title}' does not exist in {repo.FullName}.");
            }

            var issueState = Str(item, "state") ?? "open";
            if (issueState is not ("open" or "closed"))
            {
                throw new CloneSeedException($"{where}: state must be 'open' or 'closed', not '{issueState}'.");
            }

            var created = now.AddDays(-(Int(item, "created_days_ago") ?? 0));
            var updated = Int(item, "updated_days_ago") is { } u ? now.AddDays(-u) : created;
            var issue = AddIssue(state, repo, author, Required(item, "title", "issues", index), Str(item, "body"), created, updated,
                Strs(item, "labels"), assignees, issueState, Str(item, "state_reason"), milestone);
            if (item["locked"] is JsonValue locked && locked.GetValue<bool>())
            {
                state.Issues.Update(issue, i => i.Locked = true);
            }

            foreach (var (comment, c) in Items(item, "comments"))
            {
                var commenter = RequireUser(state, Str(comment, "author") ?? state.DefaultLogin, $"{where}.comments[{c}].author").Login;
                var at = Int(comment, "days_ago") is { } days ? now.AddDays(-days) : updated;
                AddComment(state, issue, commenter, Required(comment, "body", $"{where}.comments", c), at);
            }

            // Comments must not move updated_at past what the seed declared.
            state.Issues.Update(issue, i => i.UpdatedAt = updated);
        }
    }

    private static IEnumerable<(JsonObject Item, int Index)> Items(JsonObject data, string name)
    {
        if (data[name] is null)
        {
            return [];
        }

        if (data[name] is not JsonArray array)
        {
            throw new CloneSeedException($"GitHub seed data: '{name}' must be an array.");
        }

        return array.Select((node, i) => node is JsonObject o
            ? (o, i)
            : throw new CloneSeedException($"GitHub seed data: {name}[{i}] must be an object."));
    }

    private static string? Str(JsonObject item, string name) =>
        item[name] is JsonValue v ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString() : null;

    private static int? Int(JsonObject item, string name) =>
        item[name] is JsonValue v ? int.Parse(v.ToJsonString().Trim('"'), CultureInfo.InvariantCulture) : null;

    private static IEnumerable<string> Strs(JsonObject item, string name) =>
        item[name] is JsonArray a ? a.Select(n => n!.GetValue<string>()) : [];

    private static string Required(JsonObject item, string name, string section, int index) =>
        Str(item, name) ?? throw new CloneSeedException($"GitHub seed data: {section}[{index}] has no '{name}'.");

    private static GitHubUser RequireUser(GitHubState state, string login, string where) =>
        state.FindUser(login) ?? throw new CloneSeedException($"GitHub seed data: {where} refers to user '{login}', which does not exist.");

    private static GitHubRepo RequireRepo(GitHubState state, string fullName, string where)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        return (slash > 0 ? state.FindRepo(fullName[..slash], fullName[(slash + 1)..]) : null)
            ?? throw new CloneSeedException($"GitHub seed data: {where} refers to repository '{fullName}', which does not exist.");
    }
}
