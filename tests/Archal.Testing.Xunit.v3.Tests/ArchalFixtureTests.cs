using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Xunit.v3.Tests;

public class ArchalFixtureTests(ArchalFixture fixture) : IClassFixture<ArchalFixture>
{
    [Fact]
    public async Task Class_fixture_starts_sessions_with_preset_clients()
    {
        await using var session = await fixture.StartSessionAsync(new SessionRequest("github"), TestContext.Current.CancellationToken);
        using var github = session.CreateClient("github");

        var user = await github.GetFromJsonAsync<JsonObject>("user", TestContext.Current.CancellationToken);

        user!["login"]!.GetValue<string>().Should().Be("octocat");
    }

    [Fact]
    public async Task Session_trace_goes_to_the_output_of_the_test_that_started_it()
    {
        string id;
        await using (var session = await fixture.StartSessionAsync(new SessionRequest("github"), TestContext.Current.CancellationToken))
        {
            id = session.Id;
            using var github = session.CreateClient("github");
            (await github.GetAsync("user", TestContext.Current.CancellationToken)).Dispose();
        }

        var output = TestContext.Current.TestOutputHelper!.Output;

        output.Should().StartWith($"Archal session {id}: 1 call(s), 0 error(s), 0 dropped");
        output.Should().Contain("github GET /user → 200");
    }

    [Fact]
    public async Task Startup_failure_is_rethrown_with_its_cause_to_every_user()
    {
        IAsyncLifetime broken = new BrokenFixture();
        await broken.InitializeAsync();

        var first = () => ((ArchalFixture)broken).Host;
        var second = () => ((ArchalFixture)broken).StartSessionAsync(new SessionRequest("github"));

        first.Should().Throw<ArchalStartupException>().WithInnerException<ArgumentOutOfRangeException>().WithMessage("*Port*");
        await second.Should().ThrowAsync<ArchalStartupException>().WithMessage("The Archal host failed to start: *Port*");
        await broken.DisposeAsync();
    }

    private sealed class BrokenFixture : ArchalFixture
    {
        protected override void Configure(ArchalHostOptions options) => options.Port = -1;
    }
}

public class KestrelFixtureTests(ArchalKestrelFixture fixture) : IClassFixture<ArchalKestrelFixture>
{
    [Fact]
    public async Task Kestrel_fixture_listens_on_loopback_for_subprocess_agents()
    {
        await using var session = await fixture.StartSessionAsync(new SessionRequest("github"), TestContext.Current.CancellationToken);

        fixture.Host.IsKestrel.Should().BeTrue();
        session.ApiBaseUrls["github"].Host.Should().Be("127.0.0.1");
    }
}
