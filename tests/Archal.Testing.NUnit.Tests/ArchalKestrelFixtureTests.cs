using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.NUnit;

namespace Archal.Testing.NUnit.Tests;

public class ArchalKestrelFixtureTests : ArchalKestrelFixture
{
    [Test]
    public async Task Kestrel_fixture_serves_sessions_on_a_loopback_port()
    {
        await using var session = await StartSessionAsync(new SessionRequest("github"));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.ApiBaseUrls["github"].ToString().TrimEnd('/') + "/user"));
        request.Headers.Add("x-route-authorization", $"Bearer {Host.Token}");
        request.Headers.Add("Authorization", "Bearer ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt");

        using var response = await http.SendAsync(request);
        var user = await response.Content.ReadFromJsonAsync<JsonObject>();

        Host.IsKestrel.Should().BeTrue();
        session.ApiBaseUrls["github"].Host.Should().Be("127.0.0.1");
        user!["login"]!.GetValue<string>().Should().Be("octocat");
    }
}
