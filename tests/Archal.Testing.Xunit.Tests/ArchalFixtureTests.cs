using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Xunit;

namespace Archal.Testing.Xunit.Tests;

public class ArchalFixtureTests(ArchalFixture fixture) : IClassFixture<ArchalFixture>
{
    [Fact]
    public async Task Class_fixture_starts_sessions_with_preset_clients()
    {
        await using var session = await fixture.StartSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");

        var user = await github.GetFromJsonAsync<JsonObject>("user");

        user!["login"]!.GetValue<string>().Should().Be("octocat");
        fixture.Host.IsKestrel.Should().BeFalse("the default host is an in-memory TestServer");
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

[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<ArchalFixture>
{
    public const string Name = "shared archal host";
}

[Collection(SharedHostCollection.Name)]
public class CollectionFixtureA(ArchalFixture fixture)
{
    [Fact]
    public async Task Collection_fixture_serves_sessions_to_many_classes()
    {
        await using var session = await fixture.StartSessionAsync(new SessionRequest("slack"));
        using var slack = session.CreateClient("slack");

        var response = await slack.PostAsync("auth.test", null);

        ((int)response.StatusCode).Should().Be(200);
    }
}

[Collection(SharedHostCollection.Name)]
public class CollectionFixtureB(ArchalFixture fixture)
{
    [Fact]
    public async Task Sessions_on_a_shared_host_do_not_share_state()
    {
        await using var a = await fixture.StartSessionAsync(new SessionRequest("github"));
        await using var b = await fixture.StartSessionAsync(new SessionRequest("github"));

        a.Id.Should().NotBe(b.Id);
        a.ApiBaseUrls["github"].Should().NotBe(b.ApiBaseUrls["github"]);
    }
}
