using Archal.Testing.FluentAssertions;
using System.Net.Http.Json;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.GitHub;

namespace Archal.Testing.Clones.Tests.GitHub;

/// <summary>Headers, errors and protocol behaviour official clients rely on.</summary>
[Collection(CloneHostCollection.Name)]
public class GitHubProtocolTests(CloneHostFixture fixture)
{
    private async Task<(ArchalSessionScope Scope, GitHubApi Api)> Start(string seed = "small-project")
    {
        var (session, client) = await fixture.StartAsync("github", seed);
        return (new ArchalSessionScope(session), new GitHubApi(client));
    }

    public sealed class ArchalSessionScope(Archal.Testing.Hosting.ArchalSession session) : IAsyncDisposable
    {
        public Archal.Testing.Hosting.ArchalSession Session => session;

        public GitHubState State => session.GetState<GitHubState>("github");

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }

    [Fact]
    public async Task Get_user_without_authorization_returns_401_requires_authentication()
    {
        var (session, _) = await fixture.StartAsync("github");
        await using var _s = session;
        var api = new GitHubApi(session.CreateClient("github", ""));

        var response = await api.Get("user", expect: 401);

        response.Text.Should().Be("""{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#authentication","status":"401"}""");
    }

    [Fact]
    public async Task Revoked_token_returns_401_bad_credentials()
    {
        var (scope, _) = await Start();
        await using var _s = scope;
        scope.State.RevokedTokens.Add("ghp_gone");
        var api = new GitHubApi(scope.Session.CreateClient("github", "ghp_gone"));

        var response = await api.Get("repos/acme/webapp", expect: 401);

        response.Json!["message"]!.GetValue<string>().Should().Be("Bad credentials");
    }

    [Fact]
    public async Task Any_token_maps_to_the_default_user_and_seeded_tokens_to_their_user()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        scope.State.TokenLogins["ghp_h"] = "hubot";

        (await api.Get("user")).Json!["login"]!.GetValue<string>().Should().Be("octocat");
        (await new GitHubApi(scope.Session.CreateClient("github", "ghp_anything_else")).Get("user")).Json!["login"]!.GetValue<string>().Should().Be("octocat");
        (await new GitHubApi(scope.Session.CreateClient("github", "ghp_h")).Get("user")).Json!["login"]!.GetValue<string>().Should().Be("hubot");
    }

    [Fact]
    public async Task Responses_carry_rate_limit_request_id_and_version_headers()
    {
        var (scope, api) = await Start();
        await using var _s = scope;

        var first = await api.Get("repos/acme/webapp");
        var second = await api.Get("repos/acme/webapp");

        first.Header("x-ratelimit-limit").Should().Be("5000");
        first.Header("x-ratelimit-resource").Should().Be("core");
        int.Parse(second.Header("x-ratelimit-used")!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().Be(int.Parse(first.Header("x-ratelimit-used")!, System.Globalization.CultureInfo.InvariantCulture) + 1);
        second.Header("x-ratelimit-remaining").Should().Be((5000 - int.Parse(second.Header("x-ratelimit-used")!, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        first.Header("x-ratelimit-reset").Should().MatchRegex("^[0-9]{10}$");
        first.Header("x-github-request-id").Should().NotBe(second.Header("x-github-request-id"));
        first.Header("x-github-api-version-selected").Should().Be("2022-11-28");
    }

    [Fact]
    public async Task Exhausted_rate_limit_returns_403_with_remaining_zero()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        scope.State.RateLimit = 2;

        await api.Get("repos/acme/webapp");
        await api.Get("repos/acme/webapp");
        var limited = await api.Get("repos/acme/webapp", expect: 403);

        limited.Header("x-ratelimit-remaining").Should().Be("0");
        limited.Json!["message"]!.GetValue<string>().Should().StartWith("API rate limit exceeded for user ID");
        limited.Json!["documentation_url"]!.GetValue<string>().Should().Be("https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
    }

    [Fact]
    public async Task If_none_match_with_the_etag_returns_304_and_a_changed_resource_returns_200()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        var first = await api.Get("repos/acme/webapp/issues/1");
        var etag = first.Headers.ETag!.ToString();

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/issues/1");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var notModified = await api.Client.SendAsync(conditional);
        await api.Patch("repos/acme/webapp/issues/1", new { title = "Changed" });
        using var again = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/issues/1");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var changed = await api.Client.SendAsync(again);

        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
        (await notModified.Content.ReadAsStringAsync()).Should().BeEmpty();
        changed.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unsupported_api_version_returns_400()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        using var request = new HttpRequestMessage(HttpMethod.Get, "user");
        request.Headers.Add("X-GitHub-Api-Version", "2001-01-01");

        using var response = await api.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Unsupported 'X-GitHub-Api-Version' header: '2001-01-01'");
    }

    [Fact]
    public async Task List_issues_paginates_with_a_link_header_that_keeps_other_parameters()
    {
        var (scope, api) = await Start("large-backlog");
        await using var _s = scope;

        var page2 = await api.Get("repos/acme/webapp/issues?state=all&labels=bug&per_page=10&page=2");

        page2.Json!.AsArray().Should().HaveCount(10);
        var link = page2.Header("Link")!;
        link.Should().Contain("rel=\"next\"").And.Contain("rel=\"prev\"").And.Contain("rel=\"first\"").And.Contain("rel=\"last\"");
        link.Should().Contain("state=all").And.Contain("labels=bug").And.Contain("per_page=10").And.Contain("page=3");
        page2.Json!.AsArray().Should().OnlyContain(i => i!["labels"]!.AsArray().Any(l => l!["name"]!.GetValue<string>() == "bug"));
    }

    [Fact]
    public async Task Default_page_size_is_30_and_maximum_is_100()
    {
        var (scope, api) = await Start("large-backlog");
        await using var _s = scope;

        (await api.Get("repos/acme/webapp/issues?state=all")).Json!.AsArray().Should().HaveCount(30);
        (await api.Get("repos/acme/webapp/issues?state=all&per_page=1000")).Json!.AsArray().Should().HaveCount(100);
    }

    [Fact]
    public async Task Issue_list_filters_by_since_sort_and_direction()
    {
        var (scope, api) = await Start("stale-issues");
        await using var _s = scope;
        var since = scope.State.Time.GetUtcNow().AddYears(5);
        var stale = scope.State.Issues.Items.Where(i => i.Repo == "acme/webapp" && i.State == "open").OrderBy(i => i.UpdatedAt).First();

        var ascending = await api.Get("repos/acme/webapp/issues?sort=updated&direction=asc&per_page=1");
        var future = await api.Get($"repos/acme/webapp/issues?since={Uri.EscapeDataString(GitHubViews.Timestamp(since))}");

        ascending.Json!.AsArray()[0]!["number"]!.GetValue<long>().Should().Be(stale.Number);
        future.Json!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Private_repositories_are_404_to_users_without_access_and_visible_to_members()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        scope.State.TokenLogins["ghp_outsider"] = "mona-dev";
        var outsider = new GitHubApi(scope.Session.CreateClient("github", "ghp_outsider"));
        var anonymous = new GitHubApi(scope.Session.CreateClient("github", ""));

        await api.Get("repos/acme/infra");
        await outsider.Get("repos/acme/infra", expect: 404);
        await outsider.Get("repos/acme/infra/issues", expect: 404);
        await anonymous.Get("repos/acme/infra", expect: 404);
        (await outsider.Get("orgs/acme/repos")).Json!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Should().NotContain("infra");
        (await outsider.Get("search/repositories?q=infra")).Json!["total_count"]!.GetValue<int>().Should().Be(0);
        await anonymous.Get("repos/acme/webapp");
    }

    [Fact]
    public async Task Mutations_without_a_token_return_401_and_by_non_collaborators_return_403()
    {
        var (scope, _) = await Start();
        await using var _s = scope;
        scope.State.TokenLogins["ghp_outsider"] = "mona-dev";
        var anonymous = new GitHubApi(scope.Session.CreateClient("github", ""));
        var outsider = new GitHubApi(scope.Session.CreateClient("github", "ghp_outsider"));

        await anonymous.Post("repos/acme/webapp/issues", new { title = "x" }, expect: 401);
        await outsider.Post("repos/acme/webapp/labels", new { name = "x" }, expect: 403);
        await outsider.Delete("repos/acme/webapp", expect: 403);
        var issue = await outsider.Post("repos/acme/webapp/issues", new { title = "Outsider report", labels = new[] { "bug" } });
        issue.Json!["labels"]!.AsArray().Should().BeEmpty("labels from users without push access are dropped, as on GitHub");
    }

    [Fact]
    public async Task Stale_file_sha_returns_409_and_missing_sha_returns_422()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        var readme = Convert.ToBase64String(Encoding.UTF8.GetBytes("new"));

        var stale = await api.Put("repos/acme/webapp/contents/README.md", new { message = "m", content = readme, sha = new string('a', 40) }, expect: 409);
        var missing = await api.Put("repos/acme/webapp/contents/README.md", new { message = "m", content = readme }, expect: 422);

        stale.Json!["message"]!.GetValue<string>().Should().Be($"README.md does not match {new string('a', 40)}");
        missing.Json!["message"]!.GetValue<string>().Should().Contain("\"sha\" wasn't supplied");
    }

    [Fact]
    public async Task Issue_validation_errors_use_GitHub_codes()
    {
        var (scope, api) = await Start();
        await using var _s = scope;

        var missing = await api.Post("repos/acme/webapp/issues", new { body = "x" }, expect: 422);
        var badAssignee = await api.Post("repos/acme/webapp/issues", new { title = "t", assignees = new[] { "nobody" } }, expect: 422);
        var badMilestone = await api.Post("repos/acme/webapp/issues", new { title = "t", milestone = 99 }, expect: 422);
        var duplicateLabel = await api.Post("repos/acme/webapp/labels", new { name = "BUG" }, expect: 422);

        missing.Text.Should().Be("""{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"}],"documentation_url":"https://docs.github.com/rest","status":"422"}""");
        badAssignee.Json!["errors"]![0]!["code"]!.GetValue<string>().Should().Be("invalid");
        badAssignee.Json!["errors"]![0]!["field"]!.GetValue<string>().Should().Be("assignees");
        badMilestone.Json!["errors"]![0]!["field"]!.GetValue<string>().Should().Be("milestone");
        duplicateLabel.Json!["errors"]![0]!["code"]!.GetValue<string>().Should().Be("already_exists");
    }

    [Fact]
    public async Task Unmergeable_and_conflicting_pull_requests_return_405()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        // Change the file the seeded PR #13 changes on main too: a conflict.
        var login = await api.Get("repos/acme/webapp/contents/src/login.js");
        await api.Put("repos/acme/webapp/contents/src/login.js", new { message = "main edit", content = Convert.ToBase64String(Encoding.UTF8.GetBytes("conflict")), sha = login.Json!["sha"]!.GetValue<string>() });

        var pull = await api.Get("repos/acme/webapp/pulls/13");
        var merge = await api.Put("repos/acme/webapp/pulls/13/merge", new { }, expect: 405);
        await api.Patch("repos/acme/webapp/pulls/13", new { state = "closed" });
        var closed = await api.Put("repos/acme/webapp/pulls/13/merge", new { }, expect: 405);

        pull.Json!["mergeable"]!.GetValue<bool>().Should().BeFalse();
        pull.Json!["mergeable_state"]!.GetValue<string>().Should().Be("dirty");
        merge.Json!["message"]!.GetValue<string>().Should().Be("Merge conflict");
        closed.Json!["message"]!.GetValue<string>().Should().Be("Pull Request is not mergeable");
    }

    [Fact]
    public async Task Pull_requests_appear_in_the_issue_list_with_pull_request_links()
    {
        var (scope, api) = await Start();
        await using var _s = scope;

        var issues = await api.Get("repos/acme/webapp/issues?per_page=100");

        var pr = issues.Json!.AsArray().Single(i => i!["number"]!.GetValue<int>() == 13)!;
        pr["pull_request"]!["url"]!.GetValue<string>().Should().EndWith("/repos/acme/webapp/pulls/13");
        pr["html_url"]!.GetValue<string>().Should().EndWith("/acme/webapp/pull/13");
    }

    [Fact]
    public async Task Url_fields_point_at_the_clone_base_url_and_ids_are_stable()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        var baseUrl = scope.Session.ApiBaseUrls["github"].ToString().TrimEnd('/');

        var first = await api.Get("repos/acme/webapp/issues/1");
        var second = await api.Get("repos/acme/webapp/issues/1");

        first.Json!["url"]!.GetValue<string>().Should().Be($"{baseUrl}/repos/acme/webapp/issues/1");
        first.Json!["user"]!["url"]!.GetValue<string>().Should().StartWith(baseUrl);
        second.Json!["id"]!.GetValue<long>().Should().Be(first.Json!["id"]!.GetValue<long>());
        second.Json!["node_id"]!.GetValue<string>().Should().Be(first.Json!["node_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mutations_go_through_the_state_tables()
    {
        var (scope, api) = await Start();
        await using var _s = scope;

        var created = await api.Post("repos/acme/webapp/issues", new { title = "Tracked", labels = new[] { "bug" } });
        var number = created.Json!["number"]!.GetValue<long>();
        await api.Post($"repos/acme/webapp/issues/{number}/comments", new { body = "noted" });
        await api.Patch($"repos/acme/webapp/issues/{number}", new { state = "closed" });

        var issue = scope.Session.Snapshot("github")["issue"]!.AsArray().Single(i => i!["number"]!.GetValue<long>() == number && i["repo"]!.GetValue<string>() == "acme/webapp")!;
        issue["state"]!.GetValue<string>().Should().Be("closed");
        issue["state_reason"]!.GetValue<string>().Should().Be("completed");
        issue["comments"]!.GetValue<int>().Should().Be(1);
        issue["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal("bug");
    }

    [Fact]
    public async Task Trace_names_operations_like_Octokit_from_the_matched_endpoint()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;

        using (await client.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "t" })) { }
        using (await client.GetAsync("repos/acme/webapp/issues")) { }
        using (await client.PutAsJsonAsync("repos/acme/webapp/pulls/1/merge", new { })) { }
        using (await client.GetAsync("repos/acme/webapp")) { }
        using (await client.GetAsync("repos/acme/webapp/contents/docs/a.md")) { }
        using (await client.GetAsync("user")) { }
        using (await client.GetAsync("nope")) { }

        session.Trace.Entries.Select(e => e.Operation).Should().Equal(
            "issues/create", "issues/list-for-repo", "pulls/merge", "repos/get", "repos/get-content", "users/get-authenticated", "GET /nope");
        session.Trace.Entries[4].PathTemplate.Should().Be("/repos/{owner}/{repo}/contents/{**path}");
    }

    [Fact]
    public async Task Creating_an_issue_changes_only_issues_not_repository_bookkeeping()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;

        using (await client.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "a" })) { }

        session.Changes.Should().OnlyAffect("github/issue");
        session.Trace.Entries.Single().Mutations.Select(m => m.EntityType).Should().Equal("issue");
        session.ReadState((Archal.Testing.Clones.GitHub.GitHubState s) => s.Issues.Items.Count(i => i.Title == "a"), "github").Should().Be(1);
    }
    [Theory]
    [InlineData("application/vnd.github.raw")]
    [InlineData("application/vnd.github.v3.raw")]
    [InlineData("application/vnd.github.raw+json")]
    public async Task Contents_with_a_raw_media_type_return_the_files_bytes(string accept)
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        using var request = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/contents/README.md");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await api.Client.SendAsync(request);
        var json = await api.Get("repos/acme/webapp/contents/README.md");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be($"{accept.Replace("+json", "")}; charset=utf-8");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Convert.ToBase64String(bytes).Should().Be(json.Json!["content"]!.GetValue<string>().ReplaceLineEndings(""));
    }

    [Theory]
    [InlineData("application/vnd.github.html")]
    [InlineData("application/vnd.github.v3.html+json")]
    public async Task Contents_with_the_html_media_type_render_markdown_in_GitHubs_file_shell_and_answer_other_files_as_json(string accept)
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        var file = await api.Get("repos/acme/webapp/contents/src/app.js");

        using var readme = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/contents/README.md");
        readme.Headers.TryAddWithoutValidation("Accept", accept);
        using var rendered = await api.Client.SendAsync(readme);
        using var code = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/contents/src/app.js");
        code.Headers.TryAddWithoutValidation("Accept", accept);
        using var json = await api.Client.SendAsync(code);

        rendered.StatusCode.Should().Be(HttpStatusCode.OK);
        rendered.Content.Headers.ContentType!.ToString().Should().Be($"{accept.Replace("+json", "")}; charset=utf-8");
        (await rendered.Content.ReadAsStringAsync()).Should()
            .StartWith("""<div id="file" class="md" data-path="README.md"><article class="markdown-body entry-content container-lg" itemprop="text">""")
            .And.Contain(">webapp</h1>").And.Contain("<p>The Acme web application.</p>").And.EndWith("</article></div>");
        JsonNode.DeepEquals(JsonNode.Parse(await json.Content.ReadAsStringAsync()), file.Json).Should().BeTrue("only markup files have an html rendering");
    }

    [Theory]
    [InlineData("application/vnd.github.object")]
    [InlineData("application/vnd.github.v3.object+json")]
    public async Task Contents_with_the_object_media_type_answer_a_directory_with_one_object_and_its_entries(string accept)
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        var listing = await api.Get("repos/acme/webapp/contents/src");
        var file = await api.Get("repos/acme/webapp/contents/src/app.js");

        using var request = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/contents/src");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await api.Client.SendAsync(request);
        var tree = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var fileRequest = new HttpRequestMessage(HttpMethod.Get, "repos/acme/webapp/contents/src/app.js");
        fileRequest.Headers.TryAddWithoutValidation("Accept", accept);
        using var fileResponse = await api.Client.SendAsync(fileRequest);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        tree["type"]!.GetValue<string>().Should().Be("dir");
        tree["name"]!.GetValue<string>().Should().Be("src");
        tree["path"]!.GetValue<string>().Should().Be("src");
        tree["size"]!.GetValue<int>().Should().Be(0);
        tree["download_url"].Should().BeNull();
        tree["sha"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{40}$");
        JsonNode.DeepEquals(tree["entries"], listing.Json).Should().BeTrue("the entries are the directory listing");
        listing.Json!.AsArray().Should().NotBeEmpty();
        JsonNode.DeepEquals(JsonNode.Parse(await fileResponse.Content.ReadAsStringAsync()), file.Json).Should().BeTrue("a file answers as with the default media type");
    }

    [Fact]
    public async Task A_created_repository_has_the_nine_default_labels()
    {
        var (scope, api) = await Start();
        await using var _s = scope;

        await api.Post("user/repos", new { name = "fresh" });
        var labels = await api.Get("repos/octocat/fresh/labels");

        labels.Json!.AsArray().Select(l => $"{l!["name"]} {l["color"]} {l["default"]}").Should().Equal(
            "bug d73a4a true", "documentation 0075ca true", "duplicate cfd3d7 true", "enhancement a2eeef true",
            "good first issue 7057ff true", "help wanted 008672 true", "invalid e4e669 true", "question d876e3 true", "wontfix ffffff true");
    }
    [Fact]
    public async Task A_private_repository_carries_a_temp_clone_token_for_its_readers_and_public_ones_do_not()
    {
        var (scope, api) = await Start();
        await using var _s = scope;

        await api.Post("user/repos", new { name = "secret", @private = true });
        var secret = await api.Get("repos/octocat/secret", "/repos/{owner}/{repo}");
        var again = await api.Get("repos/octocat/secret");
        var open = await api.Get("repos/acme/webapp");
        var search = await api.Get("search/issues?q=repo%3Aacme%2Fwebapp", "/search/issues");

        secret.Json!["temp_clone_token"]!.GetValue<string>().Should().MatchRegex("^[A-Z2-7]{29}$");
        again.Json!["temp_clone_token"]!.GetValue<string>().Should().Be(secret.Json!["temp_clone_token"]!.GetValue<string>());
        open.Json!.AsObject().ContainsKey("temp_clone_token").Should().BeFalse();
        search.Json!["search_type"]!.GetValue<string>().Should().Be("lexical");
    }
    [Fact]
    public async Task The_old_name_of_a_renamed_repository_answers_301_for_GET_and_307_otherwise()
    {
        var (scope, api) = await Start();
        await using var _s = scope;
        var id = (await api.Get("repos/acme/webapp")).Json!["id"]!.GetValue<long>();

        var renamed = await api.Patch("repos/acme/webapp", new { name = "storefront" });
        using var get = await api.Client.GetAsync("repos/acme/webapp/issues?state=all");
        using var post = await api.Client.PostAsync("repos/acme/webapp/issues", new StringContent("""{"title":"x"}""", Encoding.UTF8, "application/json"));
        var byId = await api.Get($"repositories/{id}/issues/1");
        var labels = await api.Get("repos/acme/storefront/labels");

        renamed.Json!["full_name"]!.GetValue<string>().Should().Be("acme/storefront");
        ((int)get.StatusCode).Should().Be(301);
        get.Headers.Location!.ToString().Should().EndWith($"/repositories/{id}/issues?state=all");
        ((int)post.StatusCode).Should().Be(307);
        post.Headers.Location!.ToString().Should().EndWith($"/repositories/{id}/issues");
        byId.Json!["number"]!.GetValue<int>().Should().Be(1);
        labels.Json!.AsArray().Should().NotBeEmpty();
    }
}
