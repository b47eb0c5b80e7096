using Archal.Testing.Clones;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Clones.Stripe;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Hosting;

public class ArchalSessionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Host_starts_sessions_with_the_same_verb_as_the_fixtures()
    {
        await using var session = await fixture.Host.StartSessionAsync(new SessionRequest(CloneIds.GitHub).WithSeed(CloneIds.GitHub, GitHubSeeds.StaleIssues));

        session.ResolvedSeeds[CloneIds.GitHub].Should().Be("stale-issues");
    }

    [Fact]
    public void Clone_id_and_seed_name_constants_are_the_catalogs_names()
    {
        var clones = new ArchalHostOptions().Clones.ToDictionary(c => c.Id, c => c.SeedNames);

        clones.Keys.Should().Contain([CloneIds.GitHub, CloneIds.Slack, CloneIds.Stripe]);
        clones[CloneIds.GitHub].Should().Equal(GitHubSeeds.Names).And.Contain([GitHubSeeds.Empty, GitHubSeeds.SmallProject, GitHubSeeds.StaleIssues, GitHubSeeds.LargeBacklog]);
        clones[CloneIds.Slack].Should().Equal(SlackSeeds.Names).And.Contain([SlackSeeds.Empty, SlackSeeds.EngineeringTeam, SlackSeeds.BusyWorkspace, SlackSeeds.IncidentActive]);
        clones[CloneIds.Stripe].Should().Equal(StripeSeeds.Names).And.Contain([StripeSeeds.Empty, StripeSeeds.SmallBusiness, StripeSeeds.CheckoutFlow, StripeSeeds.SubscriptionHeavy, StripeSeeds.SubscriptionLifecycle]);
    }

    [Fact]
    public async Task Service_tokens_are_what_the_preset_clients_send()
    {
        await using var session = await fixture.Host.StartSessionAsync(new SessionRequest("echo", CloneIds.GitHub));
        using var echo = session.CreateClient("echo");

        session.ServiceTokens.Should().ContainKeys("echo", CloneIds.GitHub);
        session.ServiceTokens["echo"].Should().Be("echo-service-token");
        echo.DefaultRequestHeaders.Authorization!.ToString().Should().Be("Bearer echo-service-token");
    }

    [Fact]
    public async Task A_disposed_session_throws_object_disposed_but_keeps_its_evidence()
    {
        var session = await fixture.Host.StartSessionAsync(new SessionRequest("echo"));
        await session.DisposeAsync();

        var client = () => session.CreateClient("echo");
        var state = () => session.GetState<EchoState>("echo");
        var snapshot = () => session.Snapshot("echo");

        client.Should().Throw<ObjectDisposedException>();
        state.Should().Throw<ObjectDisposedException>();
        snapshot.Should().Throw<ObjectDisposedException>();
        session.Trace.Entries.Should().BeEmpty();
        await session.DisposeAsync(); // twice is fine
    }

    [Fact]
    public async Task Get_state_with_the_wrong_type_names_the_clone_and_the_right_type()
    {
        await using var session = await fixture.Host.StartSessionAsync(new SessionRequest("echo", CloneIds.GitHub));

        var wrong = () => session.GetState<EchoState>(CloneIds.GitHub);
        var missing = () => session.GetState<EchoState>(CloneIds.Slack);

        wrong.Should().Throw<ArgumentException>().WithMessage(
            "The 'github' clone's state is a Archal.Testing.Clones.GitHub.GitHubState, not a Archal.Testing.Tests.Support.EchoState: call GetState<GitHubState>(\"github\").*");
        missing.Should().Throw<ArgumentException>().WithMessage($"Session {session.Id} has no 'slack' clone; it has echo, github.*");
        session.GetState<GitHubState>(CloneIds.GitHub).Should().NotBeNull();
    }
}
