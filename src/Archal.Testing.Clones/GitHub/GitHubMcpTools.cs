using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.GitHub;

/// <summary>
/// GitHub's MCP tools as github/github-mcp-server declares them (tool snapshots <c>pkg/github/__toolsnaps__</c> at
/// commit 64a49f34, v1.10.1+3, MIT; copied into <c>GitHubMcpTools.json</c> without the parameters this clone does not
/// serve), each mapped onto the clone's REST operations. Results follow the server's shapes where they are small
/// (<c>MinimalResponse</c> <c>{id, url}</c> for creates, <c>MinimalUser</c>, <c>MinimalIssue</c>, <c>MinimalIssueComment</c>);
/// elsewhere the REST object is returned as is. Errors read <c>{failure}: {status} {GitHub message}</c>, the server's
/// <c>failed to …</c> wording.
/// </summary>
internal static class GitHubMcpTools
{
    public static IReadOnlyList<CloneTool> Tools { get; } = CloneTool.Load(typeof(GitHubMcpTools).Assembly, "Archal.Testing.Clones.GitHub.GitHubMcpTools.json",
        new Dictionary<string, (CloneToolHandler, string[])>
        {
            ["get_me"] = (GetMe, ["users/get-authenticated"]),
            ["list_issues"] = (ListIssues, ["issues/list-for-repo"]),
            ["issue_read"] = (IssueRead, ["issues/get", "issues/list-comments", "issues/list-labels-on-issue"]),
            ["issue_write"] = (IssueWrite, ["issues/create", "issues/update"]),
            ["add_issue_comment"] = (AddIssueComment, ["issues/create-comment"]),
            ["search_issues"] = (call => Search(call, "is:issue", "failed to search issues"), ["search/issues-and-pull-requests"]),
            ["list_pull_requests"] = (ListPullRequests, ["pulls/list"]),
            ["pull_request_read"] = (PullRequestRead, ["pulls/get", "pulls/list-files", "pulls/list-commits", "pulls/list-reviews"]),
            ["create_pull_request"] = (CreatePullRequest, ["pulls/create"]),
            ["update_pull_request"] = (UpdatePullRequest, ["pulls/update"]),
            ["merge_pull_request"] = (MergePullRequest, ["pulls/merge"]),
            ["search_pull_requests"] = (call => Search(call, "is:pr", "failed to search pull requests"), ["search/issues-and-pull-requests"]),
            ["get_file_contents"] = (GetFileContents, ["repos/get-content"]),
            ["create_or_update_file"] = (CreateOrUpdateFile, ["repos/create-or-update-file-contents"]),
            ["create_branch"] = (CreateBranch, ["repos/get", "git/get-ref", "git/create-ref"]),
            ["list_branches"] = (ListBranches, ["repos/list-branches"]),
            ["list_commits"] = (ListCommits, ["repos/list-commits"]),
            ["get_commit"] = (GetCommit, ["repos/get-commit"]),
            ["search_repositories"] = (SearchRepositories, ["search/repos"]),
        });

    private static Dictionary<string, string> Repo(CloneToolCall call) => new()
    {
        ["owner"] = call.RequiredString("owner"),
        ["repo"] = call.RequiredString("repo"),
    };

    private static Dictionary<string, string> With(this Dictionary<string, string> values, string name, string value)
    {
        values[name] = value;
        return values;
    }

    private static List<KeyValuePair<string, string?>> Paging(CloneToolCall call) =>
    [
        new("page", CloneToolRequest.Value(call.OptionalInt("page"))),
        new("per_page", CloneToolRequest.Value(call.OptionalInt("perPage"))),
    ];

    private static async ValueTask<JsonNode?> GetMe(CloneToolCall call)
    {
        var user = (await call.SendOrFailAsync(new CloneToolRequest("users/get-authenticated"), "failed to get user").ConfigureAwait(false)).Json!;
        return MinimalUser(user, details: true);
    }

    private static async ValueTask<JsonNode?> ListIssues(CloneToolCall call)
    {
        var page = 1L;
        if (call.OptionalString("after") is { } after && (!long.TryParse(after, out page) || page < 1))
        {
            throw new CloneToolException($"failed to list issues: invalid cursor '{after}'");
        }

        var perPage = call.OptionalInt("perPage") ?? 30;
        var state = call.OptionalString("state")?.ToLowerInvariant() ?? "all";
        var labels = call.OptionalStrings("labels");
        var response = await call.SendOrFailAsync(new CloneToolRequest("issues/list-for-repo")
        {
            RouteValues = Repo(call),
            Query =
            [
                new("state", state),
                new("labels", labels is null ? null : string.Join(',', labels)),
                new("sort", call.OptionalString("orderBy") switch { "CREATED_AT" => "created", "UPDATED_AT" => "updated", "COMMENTS" => "comments", _ => null }),
                new("direction", call.OptionalString("direction")?.ToLowerInvariant()),
                new("since", call.OptionalString("since")),
                new("page", CloneToolRequest.Value(page)),
                new("per_page", CloneToolRequest.Value(perPage)),
            ],
        }, "failed to list issues").ConfigureAwait(false);

        // REST lists pull requests among issues; the server's GraphQL query does not.
        var issues = response.Json!.AsArray().Where(i => i!["pull_request"] is null).Select(i => MinimalIssue(i!)).ToArray();
        var hasNext = response.Headers.TryGetValue("Link", out var link) && link.Contains("rel=\"next\"", StringComparison.Ordinal);
        return new JsonObject
        {
            ["issues"] = new JsonArray(issues),
            ["totalCount"] = issues.Length,
            ["pageInfo"] = new JsonObject
            {
                ["hasNextPage"] = hasNext,
                ["hasPreviousPage"] = page > 1,
                ["startCursor"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["endCursor"] = hasNext ? (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
            },
        };
    }

    private static async ValueTask<JsonNode?> IssueRead(CloneToolCall call)
    {
        var method = call.RequiredString("method");
        var values = Repo(call).With("issue_number", CloneToolRequest.Value(call.RequiredInt("issue_number"))!);
        switch (method)
        {
            case "get":
                return MinimalIssue((await call.SendOrFailAsync(new CloneToolRequest("issues/get") { RouteValues = values }, "failed to get issue").ConfigureAwait(false)).Json!);
            case "get_comments":
                var comments = await call.SendOrFailAsync(new CloneToolRequest("issues/list-comments") { RouteValues = values, Query = Paging(call) }, "failed to get issue comments").ConfigureAwait(false);
                return new JsonArray([.. comments.Json!.AsArray().Select(c => MinimalComment(c!))]);
            case "get_labels":
                var labels = await call.SendOrFailAsync(new CloneToolRequest("issues/list-labels-on-issue") { RouteValues = values }, "failed to get issue labels").ConfigureAwait(false);
                var names = labels.Json!.AsArray().Select(l => new JsonObject { ["name"] = l!["name"]?.DeepClone(), ["color"] = l["color"]?.DeepClone(), ["description"] = l["description"]?.DeepClone() }).ToArray();
                return new JsonObject { ["labels"] = new JsonArray(names), ["totalCount"] = names.Length };
            default:
                throw new CloneToolException($"unknown method: {method}");
        }
    }

    private static async ValueTask<JsonNode?> IssueWrite(CloneToolCall call)
    {
        var method = call.RequiredString("method");
        var body = new JsonObject();
        Copy(call, body, "title", "body", "state", "state_reason");
        if (call.OptionalStrings("assignees") is { } assignees)
        {
            body["assignees"] = new JsonArray([.. assignees.Select(a => JsonValue.Create(a))]);
        }

        if (call.OptionalStrings("labels") is { } labels)
        {
            body["labels"] = new JsonArray([.. labels.Select(l => JsonValue.Create(l))]);
        }

        if (call.OptionalInt("milestone") is { } milestone)
        {
            body["milestone"] = milestone;
        }

        CloneToolResponse response;
        switch (method)
        {
            case "create":
                if (!call.Has("title"))
                {
                    throw new CloneToolException("missing required parameter: title");
                }

                response = await call.SendOrFailAsync(new CloneToolRequest("issues/create") { RouteValues = Repo(call), Json = body }, "failed to create issue").ConfigureAwait(false);
                break;
            case "update":
                var number = call.OptionalInt("issue_number") ?? throw new CloneToolException("issue_number is required for update method");
                response = await call.SendOrFailAsync(new CloneToolRequest("issues/update")
                {
                    RouteValues = Repo(call).With("issue_number", CloneToolRequest.Value(number)!),
                    Json = body,
                }, "failed to update issue").ConfigureAwait(false);
                break;
            default:
                throw new CloneToolException($"invalid method: {method}");
        }

        return MinimalResponse(response.Json!);
    }

    private static async ValueTask<JsonNode?> AddIssueComment(CloneToolCall call)
    {
        var response = await call.SendOrFailAsync(new CloneToolRequest("issues/create-comment")
        {
            RouteValues = Repo(call).With("issue_number", CloneToolRequest.Value(call.RequiredInt("issue_number"))!),
            Json = new JsonObject { ["body"] = call.RequiredString("body") },
        }, "failed to create comment").ConfigureAwait(false);
        return MinimalResponse(response.Json!);
    }

    private static async ValueTask<JsonNode?> Search(CloneToolCall call, string scope, string failure)
    {
        var query = call.RequiredString("query");
        if (!query.Contains(scope, StringComparison.Ordinal))
        {
            query = $"{scope} {query}";
        }

        if (call.OptionalString("owner") is { } owner && call.OptionalString("repo") is { } repo && !query.Contains("repo:", StringComparison.Ordinal))
        {
            query = $"repo:{owner}/{repo} {query}";
        }

        var query2 = new List<KeyValuePair<string, string?>> { new("q", query), new("sort", call.OptionalString("sort")), new("order", call.OptionalString("order")) };
        query2.AddRange(Paging(call));
        var response = await call.SendOrFailAsync(new CloneToolRequest("search/issues-and-pull-requests") { Query = query2 }, failure).ConfigureAwait(false);
        return response.Json;
    }

    private static async ValueTask<JsonNode?> ListPullRequests(CloneToolCall call)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("state", call.OptionalString("state")),
            new("head", call.OptionalString("head")),
            new("base", call.OptionalString("base")),
            new("sort", call.OptionalString("sort")),
            new("direction", call.OptionalString("direction")),
        };
        query.AddRange(Paging(call));
        return (await call.SendOrFailAsync(new CloneToolRequest("pulls/list") { RouteValues = Repo(call), Query = query }, "failed to list pull requests").ConfigureAwait(false)).Json;
    }

    private static async ValueTask<JsonNode?> PullRequestRead(CloneToolCall call)
    {
        var method = call.RequiredString("method");
        var values = Repo(call).With("pull_number", CloneToolRequest.Value(call.RequiredInt("pullNumber"))!);
        var (operation, failure, paged) = method switch
        {
            "get" => ("pulls/get", "failed to get pull request", false),
            "get_files" => ("pulls/list-files", "failed to get pull request files", true),
            "get_commits" => ("pulls/list-commits", "failed to get pull request commits", true),
            "get_reviews" => ("pulls/list-reviews", "failed to get pull request reviews", false),
            _ => throw new CloneToolException($"unknown method: {method}"),
        };
        var response = await call.SendOrFailAsync(new CloneToolRequest(operation) { RouteValues = values, Query = paged ? Paging(call) : [] }, failure).ConfigureAwait(false);
        return response.Json;
    }

    private static async ValueTask<JsonNode?> CreatePullRequest(CloneToolCall call)
    {
        var body = new JsonObject
        {
            ["title"] = call.RequiredString("title"),
            ["head"] = call.RequiredString("head"),
            ["base"] = call.RequiredString("base"),
        };
        Copy(call, body, "body");
        CopyBool(call, body, "draft", "maintainer_can_modify");
        var response = await call.SendOrFailAsync(new CloneToolRequest("pulls/create") { RouteValues = Repo(call), Json = body }, "failed to create pull request").ConfigureAwait(false);
        return MinimalResponse(response.Json!);
    }

    private static async ValueTask<JsonNode?> UpdatePullRequest(CloneToolCall call)
    {
        var body = new JsonObject();
        Copy(call, body, "title", "body", "state", "base");
        CopyBool(call, body, "draft", "maintainer_can_modify");
        var response = await call.SendOrFailAsync(new CloneToolRequest("pulls/update")
        {
            RouteValues = Repo(call).With("pull_number", CloneToolRequest.Value(call.RequiredInt("pullNumber"))!),
            Json = body,
        }, "failed to update pull request").ConfigureAwait(false);
        return MinimalResponse(response.Json!);
    }

    private static async ValueTask<JsonNode?> MergePullRequest(CloneToolCall call)
    {
        var body = new JsonObject();
        Copy(call, body, "commit_title", "commit_message", "merge_method");
        var response = await call.SendOrFailAsync(new CloneToolRequest("pulls/merge")
        {
            RouteValues = Repo(call).With("pull_number", CloneToolRequest.Value(call.RequiredInt("pullNumber"))!),
            Json = body,
        }, "failed to merge pull request").ConfigureAwait(false);
        return response.Json;
    }

    private static async ValueTask<JsonNode?> GetFileContents(CloneToolCall call)
    {
        var path = (call.OptionalString("path") ?? "/").Trim('/');
        var response = await call.SendOrFailAsync(new CloneToolRequest("repos/get-content")
        {
            RouteValues = Repo(call).With("path", path),
            Query = [new("ref", call.OptionalString("ref"))],
        }, "failed to get file contents").ConfigureAwait(false);
        // A file comes back as its text (the server returns it as an embedded resource); a directory as its listing.
        if (response.Json is JsonObject { } file && file["type"]?.GetValue<string>() == "file" && file["content"]?.GetValue<string>() is { } content)
        {
            var bytes = Convert.FromBase64String(content.Replace("\n", "", StringComparison.Ordinal));
            return JsonValue.Create(Encoding.UTF8.GetString(bytes));
        }

        return response.Json;
    }

    private static async ValueTask<JsonNode?> CreateOrUpdateFile(CloneToolCall call)
    {
        var body = new JsonObject
        {
            ["message"] = call.RequiredString("message"),
            ["content"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(call.RequiredString("content"))),
            ["branch"] = call.RequiredString("branch"),
        };
        Copy(call, body, "sha");
        var response = await call.SendOrFailAsync(new CloneToolRequest("repos/create-or-update-file-contents")
        {
            RouteValues = Repo(call).With("path", call.RequiredString("path").Trim('/')),
            Json = body,
        }, "failed to create/update file").ConfigureAwait(false);
        return response.Json;
    }

    private static async ValueTask<JsonNode?> CreateBranch(CloneToolCall call)
    {
        var branch = call.RequiredString("branch");
        var from = call.OptionalString("from_branch");
        if (from is null)
        {
            var repository = await call.SendOrFailAsync(new CloneToolRequest("repos/get") { RouteValues = Repo(call) }, "failed to get repository").ConfigureAwait(false);
            from = repository.Json!["default_branch"]!.GetValue<string>();
        }

        var reference = await call.SendOrFailAsync(new CloneToolRequest("git/get-ref") { RouteValues = Repo(call).With("ref", $"heads/{from}") }, "failed to get reference").ConfigureAwait(false);
        var created = await call.SendOrFailAsync(new CloneToolRequest("git/create-ref")
        {
            RouteValues = Repo(call),
            Json = new JsonObject { ["ref"] = $"refs/heads/{branch}", ["sha"] = reference.Json!["object"]!["sha"]!.GetValue<string>() },
        }, "failed to create branch").ConfigureAwait(false);
        return created.Json;
    }

    private static async ValueTask<JsonNode?> ListBranches(CloneToolCall call)
    {
        var response = await call.SendOrFailAsync(new CloneToolRequest("repos/list-branches") { RouteValues = Repo(call), Query = Paging(call) }, "failed to list branches").ConfigureAwait(false);
        // MinimalBranch: name, commit sha, protected.
        return new JsonArray([.. response.Json!.AsArray().Select(b => new JsonObject
        {
            ["name"] = b!["name"]?.DeepClone(),
            ["sha"] = b["commit"]?["sha"]?.DeepClone(),
            ["protected"] = b["protected"]?.DeepClone() ?? false,
        })]);
    }

    private static async ValueTask<JsonNode?> ListCommits(CloneToolCall call)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("sha", call.OptionalString("sha")),
            new("path", call.OptionalString("path")),
            new("author", call.OptionalString("author")),
            new("since", call.OptionalString("since")),
            new("until", call.OptionalString("until")),
        };
        query.AddRange(Paging(call));
        return (await call.SendOrFailAsync(new CloneToolRequest("repos/list-commits") { RouteValues = Repo(call), Query = query }, "failed to list commits").ConfigureAwait(false)).Json;
    }

    private static async ValueTask<JsonNode?> GetCommit(CloneToolCall call) =>
        (await call.SendOrFailAsync(new CloneToolRequest("repos/get-commit") { RouteValues = Repo(call).With("ref", call.RequiredString("sha")) }, "failed to get commit").ConfigureAwait(false)).Json;

    private static async ValueTask<JsonNode?> SearchRepositories(CloneToolCall call)
    {
        var query = new List<KeyValuePair<string, string?>> { new("q", call.RequiredString("query")), new("sort", call.OptionalString("sort")), new("order", call.OptionalString("order")) };
        query.AddRange(Paging(call));
        return (await call.SendOrFailAsync(new CloneToolRequest("search/repos") { Query = query }, "failed to search repositories").ConfigureAwait(false)).Json;
    }

    private static void Copy(CloneToolCall call, JsonObject body, params string[] names)
    {
        foreach (var name in names)
        {
            if (call.OptionalString(name) is { } value)
            {
                body[name] = value;
            }
        }
    }

    private static void CopyBool(CloneToolCall call, JsonObject body, params string[] names)
    {
        foreach (var name in names)
        {
            if (call.OptionalBool(name) is { } value)
            {
                body[name] = value;
            }
        }
    }

    private static JsonObject MinimalResponse(JsonNode created) => new()
    {
        ["id"] = created["id"]?.ToJsonString() ?? "",
        ["url"] = created["html_url"]?.DeepClone(),
    };

    private static JsonObject? MinimalUser(JsonNode? user, bool details = false)
    {
        if (user is null || user.GetValueKind() != JsonValueKind.Object)
        {
            return null;
        }

        var minimal = new JsonObject
        {
            ["login"] = user["login"]?.DeepClone(),
            ["id"] = user["id"]?.DeepClone(),
            ["profile_url"] = user["html_url"]?.DeepClone(),
            ["avatar_url"] = user["avatar_url"]?.DeepClone(),
        };
        if (details)
        {
            var more = new JsonObject();
            foreach (var field in new[] { "name", "company", "blog", "location", "email", "bio", "public_repos", "followers", "following", "created_at", "updated_at" })
            {
                if (user[field] is { } value && value.GetValueKind() != JsonValueKind.Null)
                {
                    more[field] = value.DeepClone();
                }
            }

            minimal["details"] = more;
        }

        return minimal;
    }

    private static JsonObject MinimalIssue(JsonNode issue)
    {
        var minimal = new JsonObject
        {
            ["number"] = issue["number"]?.DeepClone(),
            ["title"] = issue["title"]?.DeepClone(),
        };
        Set(minimal, "body", issue["body"]);
        minimal["state"] = issue["state"]?.DeepClone();
        Set(minimal, "state_reason", issue["state_reason"]);
        Set(minimal, "html_url", issue["html_url"]);
        Set(minimal, "user", MinimalUser(issue["user"]));
        Set(minimal, "author_association", issue["author_association"]);
        if (issue["labels"] is JsonArray labels && labels.Count > 0)
        {
            minimal["labels"] = new JsonArray([.. labels.Select(l => JsonValue.Create(l?["name"]?.GetValue<string>()))]);
        }

        minimal["assignees"] = new JsonArray([.. (issue["assignees"] as JsonArray ?? []).Select(a => JsonValue.Create(a?["login"]?.GetValue<string>()))]);
        Set(minimal, "milestone", issue["milestone"]?["title"]);
        if (issue["comments"]?.GetValue<int>() is > 0 and var comments)
        {
            minimal["comments"] = comments;
        }

        Set(minimal, "created_at", issue["created_at"]);
        Set(minimal, "updated_at", issue["updated_at"]);
        Set(minimal, "closed_at", issue["closed_at"]);
        Set(minimal, "closed_by", issue["closed_by"]?["login"]);
        return minimal;
    }

    private static JsonObject MinimalComment(JsonNode comment)
    {
        var minimal = new JsonObject { ["id"] = comment["id"]?.DeepClone() };
        Set(minimal, "body", comment["body"]);
        minimal["html_url"] = comment["html_url"]?.DeepClone();
        Set(minimal, "user", MinimalUser(comment["user"]));
        Set(minimal, "author_association", comment["author_association"]);
        Set(minimal, "created_at", comment["created_at"]);
        Set(minimal, "updated_at", comment["updated_at"]);
        return minimal;
    }

    /// <summary>Sets a field unless it is null or empty (Go's <c>omitempty</c>).</summary>
    private static void Set(JsonObject target, string name, JsonNode? value)
    {
        if (value is null || value.GetValueKind() == JsonValueKind.Null || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0))
        {
            return;
        }

        target[name] = value.DeepClone();
    }
}
