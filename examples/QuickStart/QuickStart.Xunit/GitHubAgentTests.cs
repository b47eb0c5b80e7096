using System.Net.Http.Json;
using Archal.Testing.FluentAssertions;
using Archal.Testing.Hosting;
using Archal.Testing.Xunit;
using FluentAssertions;
using Xunit;

namespace QuickStart.Xunit;

public class GitHubAgentTests(ArchalFixture archal) : IClassFixture<ArchalFixture>
{
    [Fact]
    public async Task Agent_sees_the_authenticated_user()
    {
        await using var session = await archal.StartSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github"); // both auth hops preset

        var user = await github.GetFromJsonAsync<GitHubUser>("user");

        user!.Login.Should().Be("octocat");
        session.Trace.Should().ContainCall("github", "GET /user").Once();
    }

    private sealed record GitHubUser(string Login);
}
