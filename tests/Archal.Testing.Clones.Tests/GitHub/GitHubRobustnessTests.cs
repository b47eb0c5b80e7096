using System.Net;
using System.Text;

namespace Archal.Testing.Clones.Tests.GitHub;

/// <summary>Bad input gets GitHub's errors, never a 500.</summary>
[Collection(CloneHostCollection.Name)]
public class GitHubRobustnessTests(CloneHostFixture fixture)
{
    public static TheoryData<string, string, string, int> BadBodies => new()
    {
        { "POST", "repos/acme/webapp/issues", "{\"title\": ", 400 },
        { "POST", "repos/acme/webapp/issues", "not json at all", 400 },
        { "POST", "repos/acme/webapp/issues", "[1,2,3]", 400 },
        { "POST", "repos/acme/webapp/issues", "\"a string\"", 400 },
        { "POST", "repos/acme/webapp/issues", "{\"title\": {\"nested\": true}}", 422 },
        { "POST", "repos/acme/webapp/issues", "{\"title\": \"t\", \"labels\": \"bug\"}", 422 },
        { "POST", "repos/acme/webapp/issues", "{\"title\": \"t\", \"assignees\": [1, 2]}", 422 },
        { "POST", "repos/acme/webapp/issues", "{\"title\": \"t\", \"milestone\": \"abc\"}", 422 },
        { "POST", "repos/acme/webapp/issues", "{\"title\": \"t\", \"unknown_field\": 1}", 201 },
        { "PATCH", "repos/acme/webapp/issues/1", "{\"state\": \"weird\"}", 422 },
        { "PATCH", "repos/acme/webapp/issues/1", "{\"state\": null}", 422 },
        { "PATCH", "repos/acme/webapp/issues/1", "{\"state_reason\": 5}", 422 },
        { "PUT", "repos/acme/webapp/issues/1/lock", "{\"lock_reason\": \"because\"}", 422 },
        { "POST", "repos/acme/webapp/issues/1/comments", "{}", 422 },
        { "POST", "repos/acme/webapp/issues/1/comments", "{\"body\": 42}", 422 },
        { "POST", "repos/acme/webapp/labels", "{\"name\": \"x\", \"color\": \"red\"}", 422 },
        { "POST", "repos/acme/webapp/milestones", "{\"title\": \"m\", \"due_on\": \"soon\"}", 422 },
        { "POST", "repos/acme/webapp/pulls", "{\"title\": \"t\", \"head\": \"nope\", \"base\": \"main\"}", 422 },
        { "POST", "repos/acme/webapp/pulls", "{\"title\": \"t\"}", 422 },
        { "PUT", "repos/acme/webapp/pulls/13/merge", "{\"merge_method\": \"octopus\"}", 422 },
        { "POST", "repos/acme/webapp/pulls/13/reviews", "{\"event\": \"LOVE\"}", 422 },
        { "PUT", "repos/acme/webapp/contents/a.txt", "{\"message\": \"m\", \"content\": \"***not base64***\"}", 422 },
        { "PUT", "repos/acme/webapp/contents/a.txt", "{\"content\": \"eA==\"}", 422 },
        { "POST", "repos/acme/webapp/git/refs", "{\"ref\": \"heads/x\", \"sha\": \"abc\"}", 422 },
        { "POST", "repos/acme/webapp/git/refs", "{\"ref\": \"refs/heads/x\", \"sha\": \"0000000000000000000000000000000000000000\"}", 422 },
        { "POST", "user/repos", "{\"name\": 5}", 422 },
        { "POST", "user/repos", "{}", 422 },
        { "PATCH", "repos/acme/webapp", "{\"default_branch\": \"nope\"}", 422 },
        { "POST", "repos/acme/webapp/issues/1/labels", "[\"from-array\"]", 200 },
        { "POST", "repos/acme/webapp/issues", "{\"title\":\"a\",\"title\":\"b\"}", 400 },
        { "POST", "repos/acme/webapp/issues", "{\"title\":\"a\",\"\\ud800\":1}", 400 },
        { "PATCH", "repos/acme/webapp/issues/1", "{\"body\":\"x\",\"labels\":[],\"body\":\"y\"}", 400 },
    };

    [Fact]
    public async Task Invalid_utf8_body_is_problems_parsing_json()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        using var content = new ByteArrayContent([.. "{\"title\":\"git"u8, 0xFF, .. "hub\"}"u8]);
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync("repos/acme/webapp/issues", content);

        ((int)response.StatusCode).Should().Be(400);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Problems parsing JSON");
        session.GetState<Archal.Testing.Clones.GitHub.GitHubState>("github").Issues.Items.Should().NotContain(i => i.Title.StartsWith("git", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_GitHub_errors(string method, string path, string body, int status)
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(status, await response.Content.ReadAsStringAsync());
        if (status >= 400)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            json["message"]!.GetValue<string>().Should().NotBeNullOrEmpty();
            json["documentation_url"]!.GetValue<string>().Should().StartWith("https://docs.github.com/");
        }
    }

    [Theory]
    [InlineData("repos/acme%2Fwebapp/issues")]
    [InlineData("repos/acme/webapp%2F..%2Finfra")]
    [InlineData("repos/acme/webapp/contents/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("repos/acme/webapp/contents/src%2F..%2F..%2Fsecret")]
    [InlineData("repos/acme/webapp/issues/abc")]
    [InlineData("repos/acme/webapp/issues/99999999999999999999999")]
    [InlineData("repos/acme/webapp/issues/-1")]
    [InlineData("repos/acme/webapp/issues/comments/abc")]
    [InlineData("repos/acme/webapp/labels/%FF%FE")]
    [InlineData("repos/acme/webapp/git/ref/tags%2Fv1")]
    [InlineData("repos/acme/webapp/commits/zzzz")]
    [InlineData("repos/%20/%20")]
    public async Task Odd_paths_get_GitHub_errors_not_500(string path)
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;

        using var response = await client.GetAsync(path);

        ((int)response.StatusCode).Should().BeOneOf([404, 422], await response.Content.ReadAsStringAsync());
        System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"].Should().NotBeNull();
    }

    [Fact]
    public async Task Huge_body_gets_413_not_500()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        var huge = "{\"title\":\"" + new string('x', 11 * 1024 * 1024) + "\"}";

        using var response = await client.PostAsync("repos/acme/webapp/issues", new StringContent(huge, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Deeply_nested_json_gets_400_not_500()
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;
        var deep = "{\"title\":" + new string('[', 5000) + new string(']', 5000) + "}";

        using var response = await client.PostAsync("repos/acme/webapp/issues", new StringContent(deep, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("search/issues?q=")]
    [InlineData("search/issues?q=%22unterminated")]
    [InlineData("search/issues?q=created:>notadate+comments:>x")]
    [InlineData("search/issues?q=label:&sort=nonsense&order=sideways")]
    [InlineData("search/repositories?q=stars:..")]
    [InlineData("repos/acme/webapp/issues?per_page=-5&page=0")]
    [InlineData("repos/acme/webapp/issues?per_page=abc&page=abc")]
    [InlineData("repos/acme/webapp/issues?since=yesterday")]
    [InlineData("repos/acme/webapp/issues?state=weird")]
    [InlineData("repos/acme/webapp/issues?milestone=abc&assignee=%00")]
    public async Task Odd_query_strings_never_yield_500(string path)
    {
        var (session, client) = await fixture.StartAsync("github", "small-project");
        await using var _ = session;

        using var response = await client.GetAsync(path);

        ((int)response.StatusCode).Should().BeOneOf([200, 422], await response.Content.ReadAsStringAsync());
    }
}
