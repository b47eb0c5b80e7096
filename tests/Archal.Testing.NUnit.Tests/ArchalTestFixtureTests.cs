using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.NUnit;

namespace Archal.Testing.NUnit.Tests;

public class ArchalTestFixtureTests : ArchalTestFixture
{
    [Test]
    public async Task Fixture_host_serves_sessions()
    {
        await using var session = await StartSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");

        var user = await github.GetFromJsonAsync<JsonObject>("user");

        user!["login"]!.GetValue<string>().Should().Be("octocat");
    }

    [Test]
    public async Task Each_test_gets_an_isolated_session()
    {
        await using var a = await StartSessionAsync(new SessionRequest("stripe"));
        await using var b = await StartSessionAsync(new SessionRequest("stripe"));

        a.Id.Should().NotBe(b.Id);
    }
}

public class BrokenFixtureTests
{
    private sealed class Broken : ArchalTestFixture
    {
        protected override void Configure(ArchalHostOptions options) => options.DefaultSessionTtl = TimeSpan.Zero;

        public ArchalHost ExposedHost => Host;
    }

    [Test]
    public async Task Startup_failure_surfaces_with_its_cause()
    {
        var fixture = new Broken();
        await fixture.StartArchalHostAsync();

        var act = () => fixture.ExposedHost;

        act.Should().Throw<ArchalStartupException>()
            .WithMessage("The Archal host failed to start: *TTL*")
            .WithInnerException<ArgumentOutOfRangeException>();
        await fixture.StopArchalHostAsync();
    }
}
