using Archal.Testing.Clones.Abstractions;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Repositories: create, get, update, delete and the user/org listings.</summary>
internal static partial class GitHubRepos
{
    private const string Docs = "https://docs.github.com/rest/repos/repos";

    /// <summary>Finds a repository the current caller can see; otherwise GitHub's 404 (private repos are invisible).</summary>
    public static GitHubRepo Find(HttpContext http, string owner, string name, bool write = false)
    {
        var state = http.GetCloneState<GitHubState>();
        var repo = state.FindRepo(owner, name);
        var user = http.CurrentUserOrNull();
        if (repo is null || !state.CanRead(user, repo))
        {
            throw new GitHubException(GitHubErrors.NotFound($"{Docs}#get-a-repository"));
        }

        if (write && !state.CanWrite(user, repo))
        {
            throw new GitHubException(user is null ? GitHubErrors.RequiresAuthentication() : GitHubErrors.Forbidden("Resource not accessible by personal access token"));
        }

        if (write && repo.Archived)
        {
            throw new GitHubException(GitHubErrors.Forbidden("Repository was archived so is read-only."));
        }

        return repo;
    }

    /// <summary>
    /// The prelude of every repository write with a body: the repository must be writable (404/401/403
    /// first, as GitHub answers), then the body must parse (400).
    /// </summary>
    public static async Task<(GitHubRepo Repo, JsonBody Body)> FindWritableWithBodyAsync(HttpContext http, string owner, string name)
    {
        var repo = Find(http, owner, name, write: true);
        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);
        return (repo, body);
    }

    public static Task<IResult> CreateForUser(HttpContext http) => Create(http, http.CurrentUser().Login);

    public static async Task<IResult> CreateInOrg(HttpContext http, string org)
    {
        var state = http.GetCloneState<GitHubState>();
        var account = state.FindUser(org);
        if (account is not { Type: "Organization" })
        {
            return GitHubErrors.NotFound($"{Docs}#create-an-organization-repository");
        }

        if (!account.Members.Contains(http.CurrentUser().Login))
        {
            return GitHubErrors.Forbidden("You need admin access to the organization before adding a repository to it.");
        }

        return await Create(http, account.Login).ConfigureAwait(false);
    }

    private static async Task<IResult> Create(HttpContext http, string owner)
    {
        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var name = body!.String("name");
        var description = body.String("description");
        var homepage = body.String("homepage");
        var isPrivate = body.Bool("private");
        var visibility = body.String("visibility");
        var autoInit = body.Bool("auto_init") ?? false;
        var hasIssues = body.Bool("has_issues");
        var hasProjects = body.Bool("has_projects");
        var hasWiki = body.Bool("has_wiki");
        var isTemplate = body.Bool("is_template");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return GitHubErrors.Validation("Repository creation failed.", GitHubErrors.Missing("Repository", "name"));
        }

        if (visibility is not null && visibility is not ("public" or "private" or "internal"))
        {
            body.FailEnum("visibility", visibility, "public", "private", "internal");
            return body.Error!;
        }

        name = InvalidNameCharacters().Replace(name.Trim(), "-");
        var state = http.GetCloneState<GitHubState>();
        if (state.FindRepo(owner, name) is not null)
        {
            return GitHubErrors.Validation("Repository creation failed.",
                GitHubErrors.Custom("Repository", "name", "name already exists on this account"));
        }

        var now = state.Time.GetUtcNow();
        var repo = state.Repos.Add(new GitHubRepo
        {
            Id = state.NextId(),
            Owner = owner,
            Name = name,
            Description = description,
            Homepage = homepage,
            Private = isPrivate ?? visibility is "private" or "internal",
            HasIssues = hasIssues ?? true,
            HasProjects = hasProjects ?? true,
            HasWiki = hasWiki ?? true,
            IsTemplate = isTemplate ?? false,
            CreatedAt = now,
            UpdatedAt = now,
            PushedAt = now,
        });
        GitHubSeeds.AddDefaultLabels(state, repo);
        if (autoInit)
        {
            GitHubGit.InitializeRepository(state, repo, http.CurrentUser(), $"# {name}\n{(description is null ? "" : $"\n{description}\n")}");
        }

        GitHubWebhooks.Repository(http, repo, "repository", "created", _ => new Dictionary<string, object?>());
        return new GitHubResult(GitHubViews.For(http).Repo(repo), StatusCodes.Status201Created);
    }

    public static IResult Get(HttpContext http, string owner, string repo)
    {
        var found = Find(http, owner, repo);
        return new GitHubResult(GitHubViews.For(http).Repo(found!));
    }

    public static async Task<IResult> Update(HttpContext http, string owner, string repo)
    {
        var state = http.GetCloneState<GitHubState>();
        var existing = state.FindRepo(owner, repo);
        if (existing is null || !state.CanRead(http.CurrentUserOrNull(), existing))
        {
            return GitHubErrors.NotFound($"{Docs}#update-a-repository");
        }

        if (!state.CanWrite(http.CurrentUser(), existing))
        {
            return GitHubErrors.Forbidden();
        }

        var body = await JsonBody.ReadAsync(http).ConfigureAwait(false);

        var newName = body!.String("name");
        var description = body.String("description");
        var homepage = body.String("homepage");
        var isPrivate = body.Bool("private");
        var visibility = body.String("visibility");
        var hasIssues = body.Bool("has_issues");
        var hasProjects = body.Bool("has_projects");
        var hasWiki = body.Bool("has_wiki");
        var isTemplate = body.Bool("is_template");
        var defaultBranch = body.String("default_branch");
        var archived = body.Bool("archived");
        var allowMerge = body.Bool("allow_merge_commit");
        var allowSquash = body.Bool("allow_squash_merge");
        var allowRebase = body.Bool("allow_rebase_merge");
        var deleteOnMerge = body.Bool("delete_branch_on_merge");
        var topics = body.Strings("topics");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (visibility is not null && visibility is not ("public" or "private" or "internal"))
        {
            body.FailEnum("visibility", visibility, "public", "private", "internal");
            return body.Error!;
        }

        if (existing.Archived && archived != false)
        {
            return GitHubErrors.Forbidden("Repository was archived so is read-only.");
        }

        if (defaultBranch is not null && state.FindBranch(existing, defaultBranch) is null && state.Branches.Items.Any(b => b.Repo == existing.FullName))
        {
            return GitHubErrors.Validation(GitHubErrors.Invalid("Repository", "default_branch",
                $"The branch {defaultBranch} was not found. Please push that ref first or create it via the Git Data API."));
        }

        var before = GitHubWebhooks.Before(existing);
        if (newName is not null)
        {
            newName = InvalidNameCharacters().Replace(newName.Trim(), "-");
            if (newName.Length > 0 && newName != existing.Name)
            {
                if (state.FindRepo(existing.Owner, newName) is { } other && other != existing)
                {
                    return GitHubErrors.Validation("Repository creation failed.",
                        GitHubErrors.Custom("Repository", "name", "name already exists on this account"));
                }

                Rename(state, existing, newName);
            }
        }

        var now = state.Time.GetUtcNow();
        state.Repos.Update(existing, r =>
        {
            if (body.Has("description")) r.Description = description;
            if (body.Has("homepage")) r.Homepage = homepage;
            if (isPrivate is { } p) r.Private = p;
            if (visibility is not null) r.Private = visibility != "public";
            if (hasIssues is { } hi) r.HasIssues = hi;
            if (hasProjects is { } hp) r.HasProjects = hp;
            if (hasWiki is { } hw) r.HasWiki = hw;
            if (isTemplate is { } t) r.IsTemplate = t;
            if (defaultBranch is not null) r.DefaultBranch = defaultBranch;
            if (archived is { } a) r.Archived = a;
            if (allowMerge is { } am) r.AllowMergeCommit = am;
            if (allowSquash is { } sq) r.AllowSquashMerge = sq;
            if (allowRebase is { } rb) r.AllowRebaseMerge = rb;
            if (deleteOnMerge is { } d) r.DeleteBranchOnMerge = d;
            if (topics is not null) r.Topics = topics;
            r.UpdatedAt = now;
        });
        GitHubWebhooks.RepositoryChanged(http, existing, before);
        return new GitHubResult(GitHubViews.For(http).Repo(existing));
    }

    /// <summary>
    /// Renames a repository: everything keyed by its <c>owner/name</c> moves to the new name, and the old name is
    /// remembered so that requests to it are redirected to <c>/repositories/{id}/…</c> as GitHub does.
    /// </summary>
    private static void Rename(GitHubState state, GitHubRepo repo, string newName)
    {
        var oldName = repo.FullName;
        var newFullName = $"{repo.Owner}/{newName}";
        Move(state.Labels, l => l.Repo == oldName, l => l.Repo = newFullName, l => $"{l.Repo}:{l.Name.ToUpperInvariant()}");
        Move(state.Milestones, m => m.Repo == oldName, m => m.Repo = newFullName, m => $"{m.Repo}/milestone/{m.Number}");
        Move(state.Issues, i => i.Repo == oldName, i => i.Repo = newFullName, i => $"{i.Repo}#{i.Number}");
        Move(state.PullRequests, p => p.Repo == oldName, p => p.Repo = newFullName, p => $"{p.Repo}#{p.Number}");
        Move(state.Comments, c => c.Repo == oldName, c => c.Repo = newFullName, c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Move(state.Reviews, r => r.Repo == oldName, r => r.Repo = newFullName, r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Move(state.Branches, b => b.Repo == oldName, b => b.Repo = newFullName, b => $"{b.Repo}:{b.Name}");
        Move(state.Commits, c => c.Repo == oldName, c => c.Repo = newFullName, c => $"{c.Repo}@{c.Sha}");
        Move(state.Files, f => f.Repo == oldName, f => f.Repo = newFullName, f => $"{f.Repo}:{f.Branch}:{f.Path}");
        Move(state.Hooks, h => !h.IsOrganization && h.Scope == oldName, h => h.Scope = newFullName, h => h.Key);
        state.Repos.Remove(oldName);
        repo.Name = newName;
        state.Repos.Add(repo);
        state.RenamedRepos.Remove(newFullName);
        state.RenamedRepos[oldName] = repo.Id;
    }

    private static void Move<T>(EntityTable<T> table, Func<T, bool> match, Action<T> rename, Func<T, string> key) where T : class
    {
        foreach (var entity in table.Items.Where(match).ToList())
        {
            table.Remove(key(entity));
            rename(entity);
            table.Add(entity);
        }
    }

    /// <summary>
    /// The redirect GitHub answers for a renamed repository's old name: 301 for GET/HEAD, 307 for other methods, to
    /// the same path under <c>/repositories/{id}</c> (recorded in @octokit/fixtures' rename-repository scenario).
    /// </summary>
    internal static IResult? RedirectIfRenamed(HttpContext http)
    {
        var owner = http.Request.RouteValues["owner"]?.ToString();
        var name = http.Request.RouteValues["repo"]?.ToString();
        var state = http.GetCloneState<GitHubState>();
        if (owner is null || name is null || state.FindRepo(owner, name) is not null
            || !state.RenamedRepos.TryGetValue($"{owner}/{name}", out var id) || state.Repos.Items.FirstOrDefault(r => r.Id == id) is null)
        {
            return null;
        }

        // The same URL with /repos/{owner}/{name} swapped, on the host the client used (clients drop credentials when
        // a redirect changes host).
        var request = http.Request;
        var path = $"{request.PathBase}{request.Path}";
        var marker = $"/repos/{owner}/{name}";
        var at = path.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        var location = $"{request.Scheme}://{request.Host}{path[..Math.Max(at, 0)]}/repositories/{id}{(at >= 0 ? path[(at + marker.Length)..] : "")}{request.QueryString}";
        var permanent = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        var status = permanent ? StatusCodes.Status301MovedPermanently : StatusCodes.Status307TemporaryRedirect;
        http.Response.Headers.Location = location;
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["message"] = permanent ? "Moved Permanently" : "Temporary Redirect",
            ["url"] = location,
            ["documentation_url"] = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects",
        }, status);
    }

    public static IResult Delete(HttpContext http, string owner, string repo)
    {
        var state = http.GetCloneState<GitHubState>();
        var existing = state.FindRepo(owner, repo);
        var user = http.CurrentUser();
        if (existing is null || !state.CanRead(user, existing))
        {
            return GitHubErrors.NotFound($"{Docs}#delete-a-repository");
        }

        if (!state.CanWrite(user, existing))
        {
            return GitHubErrors.Forbidden();
        }

        var fullName = existing.FullName;
        // The repository's own hooks go with it; organization hooks hear the deletion.
        RemoveAll(state.Hooks, h => !h.IsOrganization && h.Scope == fullName, h => h.Key);
        GitHubWebhooks.Repository(http, existing, "repository", "deleted", _ => new Dictionary<string, object?>());
        RemoveAll(state.Files, f => f.Repo == fullName, f => $"{f.Repo}:{f.Branch}:{f.Path}");
        RemoveAll(state.Commits, c => c.Repo == fullName, c => $"{c.Repo}@{c.Sha}");
        RemoveAll(state.Branches, b => b.Repo == fullName, b => $"{b.Repo}:{b.Name}");
        RemoveAll(state.Reviews, r => r.Repo == fullName, r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        RemoveAll(state.Comments, c => c.Repo == fullName, c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        RemoveAll(state.PullRequests, p => p.Repo == fullName, p => $"{p.Repo}#{p.Number}");
        RemoveAll(state.Issues, i => i.Repo == fullName, i => $"{i.Repo}#{i.Number}");
        RemoveAll(state.Milestones, m => m.Repo == fullName, m => $"{m.Repo}/milestone/{m.Number}");
        RemoveAll(state.Labels, l => l.Repo == fullName, l => $"{l.Repo}:{l.Name.ToUpperInvariant()}");
        state.Repos.Remove(fullName);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static void RemoveAll<T>(Archal.Testing.Clones.Abstractions.EntityTable<T> table, Func<T, bool> match, Func<T, string> key)
        where T : class
    {
        foreach (var item in table.Items.Where(match).ToList())
        {
            table.Remove(key(item));
        }
    }

    public static IResult ListForAuthenticatedUser(HttpContext http)
    {
        var state = http.GetCloneState<GitHubState>();
        var user = http.CurrentUser();
        var query = http.Request.Query;
        var visibility = GitHubQuery.String(query, "visibility") ?? "all";
        var affiliation = (GitHubQuery.String(query, "affiliation") ?? "owner,collaborator,organization_member").Split(',');
        var type = GitHubQuery.String(query, "type");
        if (type is not null && query.ContainsKey("visibility"))
        {
            return GitHubErrors.Validation(GitHubErrors.Invalid("Repository", "type", "If you specify visibility or affiliation, you cannot specify type."));
        }

        var repos = state.Repos.Items.Where(r =>
        {
            var owned = r.Owner == user.Login;
            var collaborator = r.Collaborators.Contains(user.Login);
            var member = state.Users.Find(r.Owner) is { Type: "Organization" } org && org.Members.Contains(user.Login);
            var included = type switch
            {
                "owner" => owned,
                "public" => (owned || collaborator || member) && !r.Private,
                "private" => (owned || collaborator || member) && r.Private,
                "member" => collaborator || member,
                _ => (owned && affiliation.Contains("owner")) || (collaborator && affiliation.Contains("collaborator"))
                    || (member && affiliation.Contains("organization_member")),
            };
            return included && visibility switch { "public" => !r.Private, "private" => r.Private, _ => true };
        });
        return List(http, repos, defaultSort: "full_name");
    }

    public static IResult ListForUser(HttpContext http, string username)
    {
        var state = http.GetCloneState<GitHubState>();
        var account = state.FindUser(username);
        if (account is null)
        {
            return GitHubErrors.NotFound($"{Docs}#list-repositories-for-a-user");
        }

        var viewer = http.CurrentUserOrNull();
        var type = GitHubQuery.String(http.Request.Query, "type") ?? "owner";
        var repos = state.Repos.Items.Where(r => state.CanRead(viewer, r) && type switch
        {
            "member" => r.Collaborators.Contains(account.Login),
            "all" => r.Owner == account.Login || r.Collaborators.Contains(account.Login),
            _ => r.Owner == account.Login,
        });
        return List(http, repos, defaultSort: "full_name");
    }

    public static IResult ListForOrg(HttpContext http, string org)
    {
        var state = http.GetCloneState<GitHubState>();
        var account = state.FindUser(org);
        if (account is not { Type: "Organization" })
        {
            return GitHubErrors.NotFound($"{Docs}#list-organization-repositories");
        }

        var viewer = http.CurrentUserOrNull();
        var type = GitHubQuery.String(http.Request.Query, "type") ?? "all";
        var repos = state.Repos.Items.Where(r => r.Owner == account.Login && state.CanRead(viewer, r) && type switch
        {
            "public" => !r.Private,
            "private" => r.Private,
            _ => true,
        });
        return List(http, repos, defaultSort: "created");
    }

    private static IResult List(HttpContext http, IEnumerable<GitHubRepo> repos, string defaultSort)
    {
        var query = http.Request.Query;
        var sort = GitHubQuery.String(query, "sort") ?? defaultSort;
        var direction = GitHubQuery.String(query, "direction") ?? (sort == "full_name" ? "asc" : "desc");
        IEnumerable<GitHubRepo> sorted = sort switch
        {
            "created" => repos.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            "updated" => repos.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id),
            "pushed" => repos.OrderBy(r => r.PushedAt).ThenBy(r => r.Id),
            _ => repos.OrderBy(r => r.FullName, StringComparer.OrdinalIgnoreCase),
        };
        if (direction == "desc")
        {
            sorted = sorted.Reverse();
        }

        var views = GitHubViews.For(http);
        var page = GitHubQuery.Paginate(http, sorted.ToList());
        return new GitHubResult(page.Select(views.Repo).ToArray());
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex InvalidNameCharacters();
}
