using System.Net.Http.Json;
using Archal.Testing.FluentAssertions;
using Archal.Testing.Hosting;
using Archal.Testing.NUnit;
using FluentAssertions;
using NUnit.Framework;

namespace QuickStart.NUnit;

public class GitHubAgentTests : ArchalTestFixture
{
    [Test]
    public async Task Agent_sees_the_authenticated_user()
    {
        await using var session = await StartSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github"); // both auth hops preset

        var user = await github.GetFromJsonAsync<GitHubUser>("user");

        user!.Login.Should().Be("octocat");
        session.Trace.Should().ContainCall("github", "GET /user").Once();
    }

    private sealed record GitHubUser(string Login);
}
