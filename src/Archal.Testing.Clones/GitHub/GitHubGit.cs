using Markdig;
using Archal.Testing.Clones.Abstractions;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.GitHub;

/// <summary>Git data: branches, refs, commits and the contents API, over commits that hold full trees.</summary>
internal static class GitHubGit
{
    private const string ContentsDocs = "https://docs.github.com/rest/repos/contents";

    /// <summary>The git blob sha of <paramref name="content"/> (what GitHub reports as a file's sha).</summary>
    public static string BlobSha(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // Do not use weak cryptographic algorithms: git object ids are SHA-1 by definition.
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }

    private static string TreeSha(IDictionary<string, string> tree)
    {
        var text = string.Join('\n', tree.Select(e => $"{e.Key} {e.Value}"));
#pragma warning disable CA5350 // Do not use weak cryptographic algorithms: a git-style object id, not security.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("tree\n" + text)));
#pragma warning restore CA5350
    }

    /// <summary>Creates the default branch with an initial README commit (auto_init).</summary>
    public static void InitializeRepository(GitHubState state, GitHubRepo repo, GitHubUser author, string readme) =>
        Commit(state, repo, repo.DefaultBranch, author, "Initial commit",
            new Dictionary<string, byte[]?> { ["README.md"] = Encoding.UTF8.GetBytes(readme) }, state.Time.GetUtcNow());

    /// <summary>
    /// Commits file changes (null content deletes) on <paramref name="branch"/>, creating the branch in an empty
    /// repository. Updates the branch's <c>file</c> rows and returns the new commit.
    /// </summary>
    public static GitHubCommit Commit(GitHubState state, GitHubRepo repo, string branch, GitHubUser author, string message,
        IReadOnlyDictionary<string, byte[]?> changes, DateTimeOffset date, IReadOnlyList<string>? extraParents = null)
    {
        var head = state.FindBranch(repo, branch);
        var parent = head is null ? null : state.FindCommit(repo, head.Sha);
        var tree = new SortedDictionary<string, string>(parent?.Tree ?? new SortedDictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (path, content) in changes)
        {
            if (content is null)
            {
                tree.Remove(path);
            }
            else
            {
                var sha = BlobSha(content);
                state.Blobs[sha] = content;
                tree[path] = sha;
            }
        }

        var commit = state.Commits.Add(new GitHubCommit
        {
            Repo = repo.FullName,
            Sha = state.NextSha(),
            TreeSha = TreeSha(tree),
            Message = message,
            Author = author.Login,
            AuthorName = author.Name ?? author.Login,
            AuthorEmail = author.Email ?? $"{author.Id}+{author.Login}@users.noreply.github.com",
            Branch = branch,
            Parents = [.. (parent is null ? [] : new[] { parent.Sha }), .. extraParents ?? []],
            Files = [.. changes.Keys.Order(StringComparer.Ordinal)],
            Tree = tree,
            Date = date,
        });
        MoveBranch(state, repo, branch, commit);
        state.Repos.Update(repo, r => r.PushedAt = date);
        return commit;
    }

    /// <summary>Points <paramref name="branch"/> at <paramref name="commit"/> (creating it) and syncs its <c>file</c> rows.</summary>
    public static void MoveBranch(GitHubState state, GitHubRepo repo, string branch, GitHubCommit commit)
    {
        var existing = state.FindBranch(repo, branch);
        var before = existing?.Sha;
        if (existing is null)
        {
            state.Branches.Add(new GitHubBranch { Repo = repo.FullName, Name = branch, Sha = commit.Sha });
        }
        else
        {
            state.Branches.Update(existing, b => b.Sha = commit.Sha);
        }

        if (state.CurrentRequest is { } http && before != commit.Sha)
        {
            GitHubWebhooks.Pushed(http, repo, branch, before, commit);
        }

        var current = state.Files.Items.Where(f => f.Repo == repo.FullName && f.Branch == branch).ToList();
        foreach (var file in current.Where(f => !commit.Tree.ContainsKey(f.Path)))
        {
            state.Files.Remove($"{file.Repo}:{file.Branch}:{file.Path}");
        }

        foreach (var (path, sha) in commit.Tree)
        {
            var bytes = state.Blobs[sha];
            var file = state.FindFile(repo, branch, path);
            if (file is null)
            {
                state.Files.Add(new GitHubFile { Repo = repo.FullName, Branch = branch, Path = path, Content = Text(bytes), Sha = sha, Size = bytes.Length });
            }
            else if (file.Sha != sha)
            {
                state.Files.Update(file, f =>
                {
                    f.Content = Text(bytes);
                    f.Sha = sha;
                    f.Size = bytes.Length;
                });
            }
        }
    }

    public static void DeleteBranch(GitHubState state, GitHubRepo repo, string branch)
    {
        foreach (var file in state.Files.Items.Where(f => f.Repo == repo.FullName && f.Branch == branch).ToList())
        {
            state.Files.Remove($"{file.Repo}:{file.Branch}:{file.Path}");
        }

        var sha = state.FindBranch(repo, branch)?.Sha;
        state.Branches.Remove($"{repo.FullName}:{branch}");
        if (state.CurrentRequest is { } http && sha is not null)
        {
            GitHubWebhooks.BranchDeleted(http, repo, branch, sha);
        }
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Every ancestor of <paramref name="sha"/> (itself included), newest first by date.</summary>
    public static List<GitHubCommit> History(GitHubState state, GitHubRepo repo, string sha)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<GitHubCommit>();
        var queue = new Queue<string>([sha]);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (!seen.Add(next) || state.FindCommit(repo, next) is not { } commit)
            {
                continue;
            }

            result.Add(commit);
            foreach (var parent in commit.Parents)
            {
                queue.Enqueue(parent);
            }
        }

        return [.. result.OrderByDescending(c => c.Date)];
    }

    /// <summary>The commits on the pull request's head that its base does not have.</summary>
    public static List<GitHubCommit> CommitsBetween(GitHubState state, GitHubRepo repo, GitHubPullRequest pull)
    {
        var headSha = pull.Merged ? pull.HeadSha : state.FindBranch(repo, pull.Head)?.Sha ?? pull.HeadSha;
        var baseSha = pull.Merged ? pull.BaseSha : state.FindBranch(repo, pull.Base)?.Sha ?? pull.BaseSha;
        if (headSha is null)
        {
            return [];
        }

        var baseHistory = baseSha is null ? [] : History(state, repo, baseSha).Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        // History is newest first (children before parents on equal dates); reversed it is oldest first.
        return [.. History(state, repo, headSha).Where(c => !baseHistory.Contains(c.Sha)).Reverse()];
    }

    /// <summary>The newest common ancestor of two commits, or null.</summary>
    public static GitHubCommit? MergeBase(GitHubState state, GitHubRepo repo, string a, string b)
    {
        var ancestors = History(state, repo, a).Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        return History(state, repo, b).FirstOrDefault(c => ancestors.Contains(c.Sha));
    }

    /// <summary>
    /// A three-way merge of head into base: the changes on head since the merge base, or null when both
    /// sides changed a path differently (a conflict).
    /// </summary>
    public static Dictionary<string, byte[]?>? MergeChanges(GitHubState state, GitHubRepo repo, string baseSha, string headSha)
    {
        var baseCommit = state.FindCommit(repo, baseSha)!;
        var headCommit = state.FindCommit(repo, headSha)!;
        var ancestorTree = MergeBase(state, repo, baseSha, headSha)?.Tree ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
        var changes = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var path in headCommit.Tree.Keys.Union(ancestorTree.Keys).Distinct(StringComparer.Ordinal))
        {
            var inHead = headCommit.Tree.GetValueOrDefault(path);
            var inAncestor = ancestorTree.GetValueOrDefault(path);
            if (inHead == inAncestor)
            {
                continue;
            }

            var inBase = baseCommit.Tree.GetValueOrDefault(path);
            if (inBase != inAncestor && inBase != inHead)
            {
                return null;
            }

            changes[path] = inHead is null ? null : state.Blobs[inHead];
        }

        return changes;
    }

    // ---- endpoints ----

    public static IResult ListBranches(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var urls = GitHubUrls.From(http);
        var protectedOnly = http.Request.Query["protected"].ToString() == "true";
        var branches = state.Branches.Items.Where(b => b.Repo == found!.FullName && (!protectedOnly || b.Protected))
            .OrderBy(b => b.Name, StringComparer.Ordinal).ToList();
        var page = GitHubQuery.Paginate(http, branches);
        return new GitHubResult(page.Select(b => new Dictionary<string, object?>
        {
            ["name"] = b.Name,
            ["commit"] = new Dictionary<string, object?> { ["sha"] = b.Sha, ["url"] = $"{urls.Api}/repos/{b.Repo}/commits/{b.Sha}" },
            ["protected"] = b.Protected,
        }).ToArray());
    }

    private static Dictionary<string, object?> Ref(GitHubUrls urls, GitHubBranch branch) => new()
    {
        ["ref"] = $"refs/heads/{branch.Name}",
        ["node_id"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"REF_{branch.Repo}:refs/heads/{branch.Name}")).TrimEnd('='),
        ["url"] = $"{urls.Api}/repos/{branch.Repo}/git/refs/heads/{branch.Name}",
        ["object"] = new Dictionary<string, object?>
        {
            ["sha"] = branch.Sha,
            ["type"] = "commit",
            ["url"] = $"{urls.Api}/repos/{branch.Repo}/git/commits/{branch.Sha}",
        },
    };

    public static IResult GetRef(HttpContext http, string owner, string repo, string @ref)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        if (!@ref.StartsWith("heads/", StringComparison.Ordinal) || state.FindBranch(found!, @ref["heads/".Length..]) is not { } branch)
        {
            return GitHubErrors.NotFound("https://docs.github.com/rest/git/refs#get-a-reference");
        }

        return new GitHubResult(Ref(GitHubUrls.From(http), branch));
    }

    public static async Task<IResult> CreateRef(HttpContext http, string owner, string repo)
    {
        var (found, body) = await GitHubRepos.FindWritableWithBodyAsync(http, owner, repo).ConfigureAwait(false);

        var name = body!.String("ref", nullable: false);
        var sha = body.String("sha", nullable: false);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (name is null)
        {
            return GitHubErrors.InvalidRequest("\"ref\" wasn't supplied.");
        }

        if (sha is null)
        {
            return GitHubErrors.InvalidRequest("\"sha\" wasn't supplied.");
        }

        if (!name.StartsWith("refs/", StringComparison.Ordinal) || name.Count(c => c == '/') < 2)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Reference name is invalid");
        }

        if (!name.StartsWith("refs/heads/", StringComparison.Ordinal) || !ValidBranchName(name["refs/heads/".Length..]))
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Reference name is invalid");
        }

        var state = http.GetCloneState<GitHubState>();
        var branchName = name["refs/heads/".Length..];
        if (state.FindBranch(found!, branchName) is not null)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Reference already exists");
        }

        if (state.FindCommit(found!, sha) is not { } commit)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Object does not exist");
        }

        MoveBranch(state, found!, branchName, commit);
        return new GitHubResult(Ref(GitHubUrls.From(http), state.FindBranch(found!, branchName)!), StatusCodes.Status201Created);
    }

    public static async Task<IResult> UpdateRef(HttpContext http, string owner, string repo, string @ref)
    {
        var (found, body) = await GitHubRepos.FindWritableWithBodyAsync(http, owner, repo).ConfigureAwait(false);

        var sha = body!.String("sha", nullable: false);
        var force = body.Bool("force") ?? false;
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (sha is null)
        {
            return GitHubErrors.InvalidRequest("\"sha\" wasn't supplied.");
        }

        var state = http.GetCloneState<GitHubState>();
        if (!@ref.StartsWith("heads/", StringComparison.Ordinal) || state.FindBranch(found!, @ref["heads/".Length..]) is not { } branch)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Reference does not exist");
        }

        if (state.FindCommit(found!, sha) is not { } commit)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Object does not exist");
        }

        if (!force && !History(state, found!, sha).Any(c => c.Sha == branch.Sha))
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Update is not a fast forward");
        }

        MoveBranch(state, found!, branch.Name, commit);
        return new GitHubResult(Ref(GitHubUrls.From(http), branch));
    }

    public static IResult DeleteRef(HttpContext http, string owner, string repo, string @ref)
    {
        var found = GitHubRepos.Find(http, owner, repo, write: true);

        var state = http.GetCloneState<GitHubState>();
        if (!@ref.StartsWith("heads/", StringComparison.Ordinal) || state.FindBranch(found!, @ref["heads/".Length..]) is not { } branch)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "Reference does not exist");
        }

        DeleteBranch(state, found!, branch.Name);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private static bool ValidBranchName(string name) =>
        name.Length > 0 && !name.Contains("..", StringComparison.Ordinal) && !name.EndsWith('/') && !name.StartsWith('/')
        && !name.EndsWith(".lock", StringComparison.Ordinal) && name.All(c => c > ' ' && c is not ('~' or '^' or ':' or '?' or '*' or '[' or '\\'));

    /// <summary>Resolves a ref (branch name or commit sha; default branch when null) to a commit.</summary>
    private static GitHubCommit? Resolve(GitHubState state, GitHubRepo repo, string? reference)
    {
        reference ??= repo.DefaultBranch;
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            reference = reference["refs/heads/".Length..];
        }
        else if (reference.StartsWith("heads/", StringComparison.Ordinal))
        {
            reference = reference["heads/".Length..];
        }

        if (state.FindBranch(repo, reference) is { } branch)
        {
            return state.FindCommit(repo, branch.Sha);
        }

        return state.FindCommit(repo, reference)
            ?? (reference.Length >= 7 ? state.Commits.Items.FirstOrDefault(c => c.Repo == repo.FullName && c.Sha.StartsWith(reference, StringComparison.Ordinal)) : null);
    }

    private static bool IsEmpty(GitHubState state, GitHubRepo repo) => !state.Branches.Items.Any(b => b.Repo == repo.FullName);

    private static string NormalizePath(string? path) => (path ?? "").Trim('/');

    private static bool SafePath(string path) =>
        !path.Split('/').Any(s => s is "." or ".." || s.Length == 0) && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains('\0', StringComparison.Ordinal);

    /// <summary>
    /// The custom media type asked for in Accept, without <c>+json</c>: raw (<c>application/vnd.github.raw</c>, <c>.v3.raw</c>) or
    /// object (<c>application/vnd.github.object</c>, <c>.v3.object</c>) or html (<c>application/vnd.github.html</c>, <c>.v3.html</c>);
    /// null for the default JSON.
    /// </summary>
    private static string? ContentMediaType(HttpRequest request)
    {
        foreach (var value in request.Headers.Accept)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var type = part.Split(';')[0].Trim().ToLowerInvariant();
                if (type.EndsWith("+json", StringComparison.Ordinal))
                {
                    type = type[..^"+json".Length];
                }

                if (type is "application/vnd.github.raw" or "application/vnd.github.v3.raw"
                    or "application/vnd.github.object" or "application/vnd.github.v3.object"
                    or "application/vnd.github.html" or "application/vnd.github.v3.html")
                {
                    return type;
                }
            }
        }

        return null;
    }

    private static bool IsObjectMediaType(string? type) => type is "application/vnd.github.object" or "application/vnd.github.v3.object";

    private static bool IsHtmlMediaType(string? type) => type is "application/vnd.github.html" or "application/vnd.github.v3.html";

    private static readonly MarkdownPipeline Markup = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Markdown files, the markup GitHub renders for the html media type (github/markup: .markdown, .mdown, .mkdn, .md).</summary>
    private static bool IsMarkdown(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".md" or ".markdown" or ".mdown" or ".mkdn" or ".mkd";

    /// <summary>
    /// A markdown file as the html media type answers it: the rendered document inside GitHub's file and article shells,
    /// <c>&lt;div id="file" class="md" data-path="…"&gt;&lt;article class="markdown-body entry-content container-lg" itemprop="text"&gt;</c>
    /// (the prefix PowerShellForGitHub's contents tests hold github.com to). The inner HTML is Markdig's GitHub-flavoured
    /// rendering, not GitHub's own renderer byte for byte (its heading anchors and attributes change often).
    /// </summary>
    private static string RenderMarkdown(string path, byte[] bytes) =>
        $"<div id=\"file\" class=\"md\" data-path=\"{System.Net.WebUtility.HtmlEncode(path)}\"><article class=\"markdown-body entry-content container-lg\" itemprop=\"text\">"
        + Markdown.ToHtml(System.Text.Encoding.UTF8.GetString(bytes), Markup)
        + "</article></div>";

    public static IResult GetContent(HttpContext http, string owner, string repo, string? path)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        path = NormalizePath(path);
        if (path.Length > 0 && !SafePath(path))
        {
            return GitHubErrors.NotFound($"{ContentsDocs}#get-repository-content");
        }

        if (IsEmpty(state, found!))
        {
            return GitHubErrors.Error(StatusCodes.Status404NotFound, "This repository is empty.", $"{ContentsDocs}#get-repository-content");
        }

        var reference = GitHubQuery.String(http.Request.Query, "ref");
        var commit = Resolve(state, found!, reference);
        if (commit is null)
        {
            return GitHubErrors.Error(StatusCodes.Status404NotFound, $"No commit found for the ref {reference}", $"{ContentsDocs}#get-repository-content");
        }

        var urls = GitHubUrls.From(http);
        var refName = reference ?? found!.DefaultBranch;
        if (path.Length > 0 && commit.Tree.TryGetValue(path, out var blob))
        {
            var bytes = state.Blobs[blob];
            var mediaType = ContentMediaType(http.Request);
            if (IsHtmlMediaType(mediaType) && IsMarkdown(path))
            {
                // https://docs.github.com/rest/repos/contents#get-repository-content: "application/vnd.github.html+json:
                // Returns the file contents in HTML. Markup languages are rendered to HTML using GitHub's open-source
                // Markup library." Other files answer the default JSON.
                http.Response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
                return Results.Text(RenderMarkdown(path, bytes), $"{mediaType}; charset=utf-8");
            }

            if (mediaType is { } raw && !IsObjectMediaType(raw) && !IsHtmlMediaType(raw))
            {
                // GitHub answers the raw media type with the file's bytes and echoes the type it was asked for, e.g.
                // "application/vnd.github.v3.raw; charset=utf-8" (octokit/fixtures get-content scenario;
                // https://docs.github.com/rest/repos/contents#get-repository-content "custom media types").
                http.Response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
                return Results.Bytes(bytes, $"{raw}; charset=utf-8");
            }

            var entry = Entry(urls, found!, refName, path, blob, bytes.Length, "file");
            entry["content"] = Base64Lines(bytes);
            entry["encoding"] = "base64";
            return new GitHubResult(entry);
        }

        var prefix = path.Length == 0 ? "" : path + "/";
        var children = new SortedDictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (filePath, sha) in commit.Tree)
        {
            if (!filePath.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = filePath[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                children[rest] = Entry(urls, found!, refName, filePath, sha, state.Blobs[sha].Length, "file");
            }
            else if (!children.ContainsKey(rest[..slash]))
            {
                var dir = prefix + rest[..slash];
                children[rest[..slash]] = Entry(urls, found!, refName, dir, TreeSha(commit.Tree.Where(e => e.Key.StartsWith(dir + "/", StringComparison.Ordinal)).ToDictionary()), 0, "dir");
            }
        }

        if (children.Count == 0)
        {
            return GitHubErrors.NotFound($"{ContentsDocs}#get-repository-content");
        }

        if (IsObjectMediaType(ContentMediaType(http.Request)))
        {
            // The object media type answers a directory with one object whose "entries" are the listing (GitHub's
            // "content-tree" schema and its example "response if content is a directory and the object media type is
            // requested": https://docs.github.com/rest/repos/contents#get-repository-content). A file answers as usual.
            IDictionary<string, string> tree = path.Length == 0 ? commit.Tree : commit.Tree.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary();
            var directory = Entry(urls, found!, refName, path, TreeSha(tree), 0, "dir");
            directory["entries"] = children.Values.ToArray();
            return new GitHubResult(directory);
        }

        return new GitHubResult(children.Values.ToArray());
    }

    private static string Base64Lines(byte[] bytes) =>
        string.Concat(Convert.ToBase64String(bytes).Chunk(60).Select(chunk => new string(chunk) + "\n"));

    private static Dictionary<string, object?> Entry(GitHubUrls urls, GitHubRepo repo, string reference, string path, string sha, int size, string type)
    {
        var self = $"{urls.Api}/repos/{repo.FullName}/contents/{path}?ref={Uri.EscapeDataString(reference)}";
        var git = $"{urls.Api}/repos/{repo.FullName}/git/{(type == "dir" ? "trees" : "blobs")}/{sha}";
        var html = $"{urls.Html}/{repo.FullName}/{(type == "dir" ? "tree" : "blob")}/{reference}/{path}";
        return new()
        {
            ["name"] = path[(path.LastIndexOf('/') + 1)..],
            ["path"] = path,
            ["sha"] = sha,
            ["size"] = size,
            ["url"] = self,
            ["html_url"] = html,
            ["git_url"] = git,
            ["download_url"] = type == "dir" ? null : $"{urls.Html}/raw/{repo.FullName}/{reference}/{path}",
            ["type"] = type,
            ["_links"] = new Dictionary<string, object?> { ["self"] = self, ["git"] = git, ["html"] = html },
        };
    }

    public static async Task<IResult> PutContent(HttpContext http, string owner, string repo, string? path)
    {
        var (found, body) = await GitHubRepos.FindWritableWithBodyAsync(http, owner, repo).ConfigureAwait(false);

        var message = body!.String("message", nullable: false);
        var content = body.String("content", nullable: false);
        var sha = body.String("sha");
        var branchName = body.String("branch");
        body.Object("committer");
        body.Object("author");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (message is null)
        {
            return GitHubErrors.InvalidRequest("\"message\" wasn't supplied.");
        }

        if (content is null)
        {
            return GitHubErrors.InvalidRequest("\"content\" wasn't supplied.");
        }

        path = NormalizePath(path);
        if (path.Length == 0 || !SafePath(path))
        {
            return GitHubErrors.NotFound($"{ContentsDocs}#create-or-update-file-contents");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(content);
        }
        catch (FormatException)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, "content is not valid Base64");
        }

        var state = http.GetCloneState<GitHubState>();
        var branch = branchName ?? found!.DefaultBranch;
        var empty = IsEmpty(state, found!);
        var head = state.FindBranch(found!, branch);
        if (head is null && !empty)
        {
            return GitHubErrors.Error(StatusCodes.Status404NotFound, $"Branch {branch} not found", $"{ContentsDocs}#create-or-update-file-contents");
        }

        var existing = head is null ? null : state.FindCommit(found!, head.Sha)!.Tree.GetValueOrDefault(path);
        if (existing is not null && sha is null)
        {
            return GitHubErrors.InvalidRequest("\"sha\" wasn't supplied.");
        }

        if (sha is not null && existing != sha)
        {
            return GitHubErrors.Conflict($"{path} does not match {sha}");
        }

        var user = http.CurrentUser();
        var commit = Commit(state, found!, branch, user, message, new Dictionary<string, byte[]?> { [path] = bytes }, state.Time.GetUtcNow());
        var urls = GitHubUrls.From(http);
        var entry = Entry(urls, found!, branch, path, commit.Tree[path], bytes.Length, "file");
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["content"] = entry,
            ["commit"] = GitCommit(http, found!, commit),
        }, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static async Task<IResult> DeleteContent(HttpContext http, string owner, string repo, string? path)
    {
        var (found, body) = await GitHubRepos.FindWritableWithBodyAsync(http, owner, repo).ConfigureAwait(false);

        var message = body!.String("message", nullable: false);
        var sha = body.String("sha", nullable: false);
        var branchName = body.String("branch");
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (message is null)
        {
            return GitHubErrors.InvalidRequest("\"message\" wasn't supplied.");
        }

        if (sha is null)
        {
            return GitHubErrors.InvalidRequest("\"sha\" wasn't supplied.");
        }

        var state = http.GetCloneState<GitHubState>();
        path = NormalizePath(path);
        var branch = branchName ?? found!.DefaultBranch;
        var head = state.FindBranch(found!, branch);
        var existing = head is null || path.Length == 0 ? null : state.FindCommit(found!, head.Sha)!.Tree.GetValueOrDefault(path);
        if (existing is null)
        {
            return GitHubErrors.NotFound($"{ContentsDocs}#delete-a-file");
        }

        if (existing != sha)
        {
            return GitHubErrors.Conflict($"{path} does not match {sha}");
        }

        var commit = Commit(state, found!, branch, http.CurrentUser(), message, new Dictionary<string, byte[]?> { [path] = null }, state.Time.GetUtcNow());
        return new GitHubResult(new Dictionary<string, object?> { ["content"] = null, ["commit"] = GitCommit(http, found!, commit) });
    }

    /// <summary>The git-commit object of the contents API (<c>file-commit.commit</c>).</summary>
    private static Dictionary<string, object?> GitCommit(HttpContext http, GitHubRepo repo, GitHubCommit commit)
    {
        var urls = GitHubUrls.From(http);
        var person = Person(commit);
        return new()
        {
            ["sha"] = commit.Sha,
            ["node_id"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"C_{repo.Id}:{commit.Sha}")).TrimEnd('='),
            ["url"] = $"{urls.Api}/repos/{repo.FullName}/git/commits/{commit.Sha}",
            ["html_url"] = $"{urls.Html}/{repo.FullName}/commit/{commit.Sha}",
            ["author"] = person,
            ["committer"] = person,
            ["message"] = commit.Message,
            ["tree"] = new Dictionary<string, object?> { ["url"] = $"{urls.Api}/repos/{repo.FullName}/git/trees/{commit.TreeSha}", ["sha"] = commit.TreeSha },
            ["parents"] = commit.Parents.Select(p => new Dictionary<string, object?>
            {
                ["url"] = $"{urls.Api}/repos/{repo.FullName}/git/commits/{p}",
                ["html_url"] = $"{urls.Html}/{repo.FullName}/commit/{p}",
                ["sha"] = p,
            }).ToArray(),
            ["verification"] = new Dictionary<string, object?> { ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null, ["verified_at"] = null },
        };
    }

    private static Dictionary<string, object?> Person(GitHubCommit commit) => new()
    {
        ["name"] = commit.AuthorName,
        ["email"] = commit.AuthorEmail,
        ["date"] = GitHubViews.Timestamp(commit.Date),
    };

    /// <summary>The commit object of the commits API (<c>commit</c> schema).</summary>
    public static Dictionary<string, object?> CommitView(GitHubViews views, GitHubRepo repo, GitHubCommit commit, bool withFiles)
    {
        var urls = views.Urls;
        var url = $"{urls.Api}/repos/{repo.FullName}/commits/{commit.Sha}";
        var body = new Dictionary<string, object?>
        {
            ["url"] = url,
            ["sha"] = commit.Sha,
            ["node_id"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"C_{repo.Id}:{commit.Sha}")).TrimEnd('='),
            ["html_url"] = $"{urls.Html}/{repo.FullName}/commit/{commit.Sha}",
            ["comments_url"] = $"{url}/comments",
            ["commit"] = new Dictionary<string, object?>
            {
                ["url"] = $"{urls.Api}/repos/{repo.FullName}/git/commits/{commit.Sha}",
                ["author"] = Person(commit),
                ["committer"] = Person(commit),
                ["message"] = commit.Message,
                ["comment_count"] = 0,
                ["tree"] = new Dictionary<string, object?> { ["sha"] = commit.TreeSha, ["url"] = $"{urls.Api}/repos/{repo.FullName}/git/trees/{commit.TreeSha}" },
                ["verification"] = new Dictionary<string, object?> { ["verified"] = false, ["reason"] = "unsigned", ["signature"] = null, ["payload"] = null, ["verified_at"] = null },
            },
            ["author"] = views.UserOrNull(commit.Author),
            ["committer"] = views.UserOrNull(commit.Author),
            ["parents"] = commit.Parents.Select(p => new Dictionary<string, object?>
            {
                ["sha"] = p,
                ["url"] = $"{urls.Api}/repos/{repo.FullName}/commits/{p}",
                ["html_url"] = $"{urls.Html}/{repo.FullName}/commit/{p}",
            }).ToArray(),
        };
        if (withFiles)
        {
            var parentTree = commit.Parents.Count > 0 ? views.State.FindCommit(repo, commit.Parents[0])?.Tree : null;
            var files = Diff(views, repo, parentTree, commit.Tree, commit.Sha, commit.Files);
            body["files"] = files;
            var additions = files.Sum(f => (int)f["additions"]!);
            var deletions = files.Sum(f => (int)f["deletions"]!);
            body["stats"] = new Dictionary<string, object?> { ["additions"] = additions, ["deletions"] = deletions, ["total"] = additions + deletions };
        }

        return body;
    }

    /// <summary>
    /// GitHub's diff entries between two trees (whole-file line counts: the clone keeps no line diff).
    /// </summary>
    public static List<Dictionary<string, object?>> Diff(GitHubViews views, GitHubRepo repo, IReadOnlyDictionary<string, string>? before,
        IReadOnlyDictionary<string, string> after, string sha, IEnumerable<string>? paths = null)
    {
        var urls = views.Urls;
        paths ??= after.Keys.Union(before?.Keys ?? []).Where(p => before?.GetValueOrDefault(p) != after.GetValueOrDefault(p));
        return [.. paths.Order(StringComparer.Ordinal).Select(path =>
        {
            var old = before?.GetValueOrDefault(path);
            var now = after.GetValueOrDefault(path);
            var status = old is null ? "added" : now is null ? "removed" : "modified";
            var added = now is null ? 0 : Encoding.UTF8.GetString(views.State.Blobs[now]).Split('\n').Length;
            var removed = old is null ? 0 : Encoding.UTF8.GetString(views.State.Blobs[old]).Split('\n').Length;
            return new Dictionary<string, object?>
            {
                ["sha"] = now ?? old,
                ["filename"] = path,
                ["status"] = status,
                ["additions"] = added,
                ["deletions"] = removed,
                ["changes"] = added + removed,
                ["blob_url"] = $"{urls.Html}/{repo.FullName}/blob/{sha}/{path}",
                ["raw_url"] = $"{urls.Html}/{repo.FullName}/raw/{sha}/{path}",
                ["contents_url"] = $"{urls.Api}/repos/{repo.FullName}/contents/{path}?ref={sha}",
            };
        })];
    }

    public static IResult GetBranch(HttpContext http, string owner, string repo, string branch)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        if (state.FindBranch(found!, branch) is not { } b || state.FindCommit(found!, b.Sha) is not { } commit)
        {
            return GitHubErrors.Error(StatusCodes.Status404NotFound, "Branch not found", "https://docs.github.com/rest/branches/branches#get-a-branch");
        }

        var views = GitHubViews.For(http);
        var url = $"{views.Urls.Api}/repos/{found!.FullName}/branches/{b.Name}";
        return new GitHubResult(new Dictionary<string, object?>
        {
            ["name"] = b.Name,
            ["commit"] = CommitView(views, found, commit, withFiles: false),
            ["_links"] = new Dictionary<string, object?> { ["self"] = url, ["html"] = $"{views.Urls.Html}/{found.FullName}/tree/{b.Name}" },
            ["protected"] = b.Protected,
            ["protection"] = new Dictionary<string, object?>
            {
                ["enabled"] = b.Protected,
                ["required_status_checks"] = new Dictionary<string, object?>
                {
                    ["enforcement_level"] = "off",
                    ["contexts"] = Array.Empty<string>(),
                    ["checks"] = Array.Empty<object>(),
                },
            },
            ["protection_url"] = $"{url}/protection",
        });
    }

    public static IResult ListCommits(HttpContext http, string owner, string repo)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        if (IsEmpty(state, found!))
        {
            return GitHubErrors.Error(StatusCodes.Status409Conflict, "Git Repository is empty.", "https://docs.github.com/rest/commits/commits#list-commits");
        }

        var query = http.Request.Query;
        var start = Resolve(state, found!, GitHubQuery.String(query, "sha"));
        if (start is null)
        {
            return GitHubErrors.NotFound("https://docs.github.com/rest/commits/commits#list-commits");
        }

        var path = GitHubQuery.String(query, "path")?.Trim('/');
        var author = GitHubQuery.String(query, "author");
        var since = GitHubQuery.Timestamp(query, "since");
        var until = GitHubQuery.Timestamp(query, "until");
        var commits = History(state, found!, start.Sha).Where(c =>
            (path is null || c.Files.Any(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal)))
            && (author is null || string.Equals(c.Author, author, StringComparison.OrdinalIgnoreCase) || c.AuthorEmail == author)
            && (since is null || c.Date >= since) && (until is null || c.Date <= until)).ToList();
        var views = GitHubViews.For(http);
        return new GitHubResult(GitHubQuery.Paginate(http, commits).Select(c => CommitView(views, found!, c, withFiles: false)).ToArray());
    }

    public static IResult GetCommit(HttpContext http, string owner, string repo, string @ref)
    {
        var found = GitHubRepos.Find(http, owner, repo);

        var state = http.GetCloneState<GitHubState>();
        var commit = Resolve(state, found!, @ref);
        if (commit is null)
        {
            return GitHubErrors.Error(StatusCodes.Status422UnprocessableEntity, $"No commit found for SHA: {@ref}", "https://docs.github.com/rest/commits/commits#get-a-commit");
        }

        return new GitHubResult(CommitView(GitHubViews.For(http), found!, commit, withFiles: true));
    }
}
