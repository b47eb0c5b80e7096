using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.GitHub;

/// <summary>Repository and organization webhooks through GitHub's REST API, and the signed deliveries state changes make.</summary>
[Collection(CloneHostCollection.Name)]
public class GitHubHooksTests(CloneHostFixture fixture)
{
    private const string Hooks = "/repos/{owner}/{repo}/hooks";
    private const string Hook = "/repos/{owner}/{repo}/hooks/{hook_id}";

    private async Task<(ArchalSession Session, GitHubApi Api, WebhookReceiver Receiver)> StartAsync(Func<int, ReceivedWebhook, HttpResponseMessage>? answer = null)
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        var receiver = new WebhookReceiver(answer);
        session.Events.Route(WebhookReceiver.App, receiver);
        return (session, new GitHubApi(client), receiver);
    }

    private static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public async Task Create_get_update_list_delete_a_repository_hook_in_githubs_shapes()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;

        var created = (await api.Post("repos/acme/webapp/hooks",
            new { name = "web", active = true, events = new[] { "issues", "issue_comment" }, config = new { url = "https://app.test/github", content_type = "json", secret = "s3cret" } }, Hooks)).Json!;
        var id = created["id"]!.GetValue<long>();

        created["type"]!.GetValue<string>().Should().Be("Repository");
        created["config"]!["secret"]!.GetValue<string>().Should().Be("********");
        created["events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("issues", "issue_comment");
        created["ping_url"]!.GetValue<string>().Should().EndWith($"/repos/acme/webapp/hooks/{id}/pings");

        var got = (await api.Get($"repos/acme/webapp/hooks/{id}", Hook)).Json!;
        got["config"]!["url"]!.GetValue<string>().Should().Be("https://app.test/github");
        var updated = (await api.Patch($"repos/acme/webapp/hooks/{id}", new { add_events = new[] { "label" }, remove_events = new[] { "issue_comment" }, active = false }, Hook)).Json!;
        updated["events"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal("issues", "label");
        updated["active"]!.GetValue<bool>().Should().BeFalse();
        (await api.Get("repos/acme/webapp/hooks", Hooks)).Json!.AsArray().Should().ContainSingle();
        await api.Delete($"repos/acme/webapp/hooks/{id}", template: Hook);
        await api.Get($"repos/acme/webapp/hooks/{id}", Hook, expect: 404);
        (await api.Get("repos/acme/webapp/hooks", Hooks)).Json!.AsArray().Should().BeEmpty();
    }

    [Theory]
    [InlineData("{\"config\":{}}", "Config must contain url")]
    [InlineData("{\"config\":{\"url\":\"ftp://x\"}}", "Url is not supported because it isn't reachable over the public Internet (ftp://x)")]
    [InlineData("{\"name\":\"slack\",\"config\":{\"url\":\"https://app.test\"}}", "Name slack is not a valid hook name")]
    [InlineData("{\"config\":{\"url\":\"https://app.test\",\"content_type\":\"xml\"}}", "Content type xml is not a valid content type")]
    public async Task Bad_hooks_get_422(string body, string message)
    {
        var (session, api, _) = await StartAsync();
        await using var _ = session;

        var error = (await api.Post("repos/acme/webapp/hooks", body, expect: 422)).Json!;

        error["message"]!.GetValue<string>().Should().Be("Validation Failed");
        error["errors"]![0]!["message"]!.GetValue<string>().Should().Be(message);
    }

    [Fact]
    public async Task Creating_a_hook_pings_it_signed_with_its_secret_and_with_githubs_headers()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;

        var created = (await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/github", secret = "s3cret" }, events = new[] { "issues" } })).Json!;
        await session.Events.WhenDeliveredAsync();

        var ping = receiver.Requests.Single();
        ping.Headers["X-GitHub-Event"].Should().Be("ping");
        ping.Headers["X-GitHub-Hook-ID"].Should().Be(created["id"]!.ToString());
        ping.Headers["X-GitHub-Delivery"].Should().MatchRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
        ping.Headers["X-GitHub-Hook-Installation-Target-Type"].Should().Be("repository");
        ping.Headers["User-Agent"].Should().MatchRegex("^GitHub-Hookshot/[0-9a-f]{7}$");
        ping.Headers["Content-Type"].Should().Be("application/json");
        ping.Headers["X-Hub-Signature-256"].Should().Be(Sign("s3cret", ping.BodyBytes));
        ping.Json["hook_id"]!.GetValue<long>().Should().Be(created["id"]!.GetValue<long>());
        ping.Json["zen"]!.GetValue<string>().Should().NotBeEmpty();
        ping.Json["repository"]!["full_name"]!.GetValue<string>().Should().Be("acme/webapp");
        ping.Json["sender"]!["login"]!.GetValue<string>().Should().Be("octocat");
    }

    [Fact]
    public async Task Issue_comment_and_label_changes_reach_hooks_listening_to_them_as_github_sends_them()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;
        await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/github" }, events = new[] { "issues", "issue_comment", "label" } });
        await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/pushes-only" }, events = new[] { "push" } });

        await api.Post("repos/acme/webapp/labels", new { name = "triage", color = "ff0000" });
        var issue = (await api.Post("repos/acme/webapp/issues", new { title = "Login fails", body = "Steps…" })).Json!;
        var number = issue["number"]!.GetValue<long>();
        await api.Patch($"repos/acme/webapp/issues/{number}", new { title = "Login fails on Safari", labels = new[] { "triage" }, assignees = new[] { "hubot" } });
        var comment = (await api.Post($"repos/acme/webapp/issues/{number}/comments", new { body = "Looking" })).Json!;
        await api.Patch($"repos/acme/webapp/issues/{number}", new { state = "closed" });
        await session.Events.WhenDeliveredAsync();

        var events = receiver.Requests.Where(r => r.Url == "https://app.test/github" && r.Headers["X-GitHub-Event"] != "ping")
            .Select(r => $"{r.Headers["X-GitHub-Event"]}.{r.Json["action"]}").ToList();
        events.Should().Equal("label.created", "issues.opened", "issues.edited", "issues.assigned", "issues.labeled", "issue_comment.created", "issues.closed");
        receiver.Requests.Where(r => r.Url == "https://app.test/pushes-only").Select(r => r.Headers["X-GitHub-Event"]).Should().Equal("ping");

        var received = receiver.Requests.Where(r => r.Url == "https://app.test/github").ToList();
        var edited = received.Single(r => r.Json["action"]?.GetValue<string>() == "edited").Json;
        edited["changes"]!["title"]!["from"]!.GetValue<string>().Should().Be("Login fails");
        received.Single(r => r.Json["action"]?.GetValue<string>() == "labeled").Json["label"]!["name"]!.GetValue<string>().Should().Be("triage");
        received.Single(r => r.Json["action"]?.GetValue<string>() == "assigned").Json["assignee"]!["login"]!.GetValue<string>().Should().Be("hubot");
        var commented = received.Single(r => r.Headers["X-GitHub-Event"] == "issue_comment").Json;
        commented["comment"]!["id"]!.GetValue<long>().Should().Be(comment["id"]!.GetValue<long>());
        commented["issue"]!["number"]!.GetValue<long>().Should().Be(number);
        commented["organization"]!["login"]!.GetValue<string>().Should().Be("acme");
        received.Should().OnlyContain(r => !r.Headers.ContainsKey("X-Hub-Signature-256"), "a hook without a secret is not signed");
    }

    [Fact]
    public async Task Pull_requests_announce_opened_and_a_merge_as_closed_with_merged_true()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;
        await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/github" }, events = new[] { "pull_request" } });
        var main = (await api.Get("repos/acme/webapp/git/ref/heads/main")).Json!;
        await api.Post("repos/acme/webapp/git/refs", new { @ref = "refs/heads/fix", sha = main["object"]!["sha"]!.GetValue<string>() });
        await api.Put("repos/acme/webapp/contents/FIX.md", new { message = "fix", content = Convert.ToBase64String("fix"u8.ToArray()), branch = "fix" }, expect: 201);

        var pull = (await api.Post("repos/acme/webapp/pulls", new { title = "Fix", head = "fix", @base = "main" })).Json!;
        await api.Put($"repos/acme/webapp/pulls/{pull["number"]}/merge", new { });
        await session.Events.WhenDeliveredAsync();

        var events = receiver.Requests.Where(r => r.Headers["X-GitHub-Event"] == "pull_request").Select(r => r.Json).ToList();
        events.Select(e => e["action"]!.GetValue<string>()).Should().Equal("opened", "closed");
        events[0]["number"]!.GetValue<long>().Should().Be(pull["number"]!.GetValue<long>());
        events[1]["pull_request"]!["merged"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Deliveries_are_listed_read_and_redelivered_through_the_api_and_github_does_not_retry()
    {
        var (session, api, receiver) = await StartAsync((n, _) => new HttpResponseMessage(n == 1 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK));
        await using var _ = session;
        var hook = (await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/github" }, events = new[] { "issues" } })).Json!;
        var id = hook["id"]!.GetValue<long>();
        await session.Events.WhenDeliveredAsync();

        var list = (await api.Get($"repos/acme/webapp/hooks/{id}/deliveries", "/repos/{owner}/{repo}/hooks/{hook_id}/deliveries")).Json!.AsArray();
        var failed = list.Single()!;
        failed["event"]!.GetValue<string>().Should().Be("ping");
        failed["status_code"]!.GetValue<int>().Should().Be(500);
        failed["status"]!.GetValue<string>().Should().Be("Invalid HTTP Response: 500");
        failed["redelivery"]!.GetValue<bool>().Should().BeFalse();
        var deliveryId = failed["id"]!.GetValue<long>();
        var detail = (await api.Get($"repos/acme/webapp/hooks/{id}/deliveries/{deliveryId}", "/repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}")).Json!;
        detail["request"]!["headers"]!["X-GitHub-Event"]!.GetValue<string>().Should().Be("ping");
        detail["request"]!["payload"]!["hook_id"]!.GetValue<long>().Should().Be(id);
        (await api.Get($"repos/acme/webapp/hooks/{id}", Hook)).Json!["last_response"]!["code"]!.GetValue<int>().Should().Be(500);

        await api.Post($"repos/acme/webapp/hooks/{id}/deliveries/{deliveryId}/attempts", new { }, "/repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts", expect: 202);
        await session.Events.WhenDeliveredAsync();

        receiver.Requests.Should().HaveCount(2);
        receiver.Requests.Select(r => r.Headers["X-GitHub-Delivery"]).Distinct().Should().ContainSingle("a redelivery keeps the GUID");
        var after = (await api.Get($"repos/acme/webapp/hooks/{id}/deliveries", "/repos/{owner}/{repo}/hooks/{hook_id}/deliveries")).Json!.AsArray();
        after.Select(d => (d!["redelivery"]!.GetValue<bool>(), d["status_code"]!.GetValue<int>())).Should().Equal((true, 200), (false, 500));
        await api.Get($"repos/acme/webapp/hooks/{id}/deliveries/999999", expect: 404);
    }

    [Fact]
    public async Task Organization_hooks_hear_every_repository_of_the_organization()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;

        var hook = (await api.Post("orgs/acme/hooks", new { name = "web", config = new { url = "https://app.test/org", secret = "org-secret" }, events = new[] { "issues" } }, "/orgs/{org}/hooks")).Json!;
        await api.Post("repos/acme/infra/issues", new { title = "Rotate keys" });
        await api.Post($"orgs/acme/hooks/{hook["id"]}/pings", null, "/orgs/{org}/hooks/{hook_id}/pings", expect: 204);
        await session.Events.WhenDeliveredAsync();

        hook["type"]!.GetValue<string>().Should().Be("Organization");
        var received = receiver.Requests.ToList();
        received.Select(r => r.Headers["X-GitHub-Event"]).Should().Equal("ping", "issues", "ping");
        received[1].Json["repository"]!["full_name"]!.GetValue<string>().Should().Be("acme/infra");
        received[1].Headers["X-GitHub-Hook-Installation-Target-Type"].Should().Be("organization");
        received.Should().OnlyContain(r => r.Headers["X-Hub-Signature-256"] == Sign("org-secret", r.BodyBytes));
        (await api.Get("orgs/acme/hooks", "/orgs/{org}/hooks")).Json!.AsArray().Should().ContainSingle();
        await api.Get("orgs/nobody/hooks", expect: 404);
    }

    [Fact]
    public async Task A_form_hook_gets_the_payload_form_encoded_and_signed_over_the_form_body()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;

        await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/form", content_type = "form", secret = "x" }, events = new[] { "issues" } });
        await session.Events.WhenDeliveredAsync();

        var ping = receiver.Requests.Single();
        ping.Headers["Content-Type"].Should().Be("application/x-www-form-urlencoded");
        ping.Body.Should().StartWith("payload=%7B");
        JsonNode.Parse(Uri.UnescapeDataString(ping.Body["payload=".Length..]))!["zen"].Should().NotBeNull();
        ping.Headers["X-Hub-Signature-256"].Should().Be(Sign("x", ping.BodyBytes));
        session.Events.Deliveries.Single().Status.Should().Be(WebhookDeliveryStatus.Delivered);
    }

    [Fact]
    public async Task A_renamed_repository_keeps_its_hooks_and_a_deleted_one_is_announced_to_its_organization()
    {
        var (session, api, receiver) = await StartAsync();
        await using var _ = session;
        await api.Post("repos/acme/webapp/hooks", new { config = new { url = "https://app.test/repo" }, events = new[] { "repository", "issues" } });
        await api.Post("orgs/acme/hooks", new { name = "web", config = new { url = "https://app.test/org" }, events = new[] { "repository" } });

        await api.Patch("repos/acme/webapp", new { name = "storefront" });
        await api.Post("repos/acme/storefront/issues", new { title = "After the rename" });
        (await api.Get("repos/acme/storefront/hooks")).Json!.AsArray().Should().ContainSingle();
        await api.Delete("repos/acme/storefront");
        await session.Events.WhenDeliveredAsync();

        receiver.Requests.Where(r => r.Url == "https://app.test/repo" && r.Headers["X-GitHub-Event"] != "ping")
            .Select(r => $"{r.Headers["X-GitHub-Event"]}.{r.Json["action"]}").Should().Equal("repository.renamed", "issues.opened");
        var org = receiver.Requests.Where(r => r.Url == "https://app.test/org" && r.Headers["X-GitHub-Event"] != "ping").Select(r => r.Json).ToList();
        org.Select(j => j["action"]!.GetValue<string>()).Should().Equal("renamed", "deleted");
        org[0]["changes"]!["repository"]!["name"]!["from"]!.GetValue<string>().Should().Be("webapp");
        org[1]["repository"]!["full_name"]!.GetValue<string>().Should().Be("acme/storefront");
        session.ReadState((Clones.GitHub.GitHubState s) => s.Snapshot()["hook"]!.AsArray().Count, "github").Should().Be(1, "the repository's hook went with it");
    }
}
