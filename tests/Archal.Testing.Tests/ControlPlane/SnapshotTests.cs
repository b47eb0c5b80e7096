using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>Snapshots, forks and reset: copies are independent and continue exactly where their source was.</summary>
public class SnapshotTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static async Task<JsonObject> CreateIssueAsync(ArchalSession session, string title)
    {
        using var github = session.CreateClient("github");
        using var response = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static int Count(ArchalSession session, string title) =>
        session.ReadState((GitHubState s) => s.Issues.Items.Count(i => i.Title == title), "github");

    [Fact]
    public async Task Fork_is_isolated_from_its_source_and_from_other_forks()
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        await CreateIssueAsync(source, "Before snapshot");
        var snapshot = await source.SnapshotAsync();

        await using var fork = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(snapshot));
        await using var other = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(snapshot));
        await CreateIssueAsync(fork, "Only in fork");
        await CreateIssueAsync(source, "Only in source");

        Count(fork, "Before snapshot").Should().Be(1);
        Count(fork, "Only in fork").Should().Be(1);
        Count(fork, "Only in source").Should().Be(0);
        Count(source, "Only in fork").Should().Be(0);
        Count(other, "Only in fork").Should().Be(0);
        Count(other, "Only in source").Should().Be(0);
        fork.ResolvedSeeds["github"].Should().Be($"snapshot:{snapshot.Id}");
        fork.Trace.Entries.Select(e => e.Path).Should().Equal("/repos/acme/webapp/issues");
        fork.Changes.Should().ContainSingle("changes are counted from the fork point").Which.Id.Should().StartWith("acme/webapp#");
    }

    [Fact]
    public async Task Fork_continues_numbering_and_ids_exactly_as_its_source_would()
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest("github", "stripe").WithSeed("github", "small-project"));
        await CreateIssueAsync(source, "One");
        var snapshot = await source.SnapshotAsync();
        await using var fork = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(snapshot));

        var inSource = await CreateIssueAsync(source, "Two");
        var inFork = await CreateIssueAsync(fork, "Two");
        var customerInSource = await CreateCustomerAsync(source);
        var customerInFork = await CreateCustomerAsync(fork);

        inFork["number"]!.GetValue<long>().Should().Be(inSource["number"]!.GetValue<long>());
        inFork["id"]!.GetValue<long>().Should().Be(inSource["id"]!.GetValue<long>());
        customerInFork.Should().Be(customerInSource, "the fork's random source continues from the same position");
    }

    private static async Task<string> CreateCustomerAsync(ArchalSession session)
    {
        using var stripe = session.CreateClient("stripe");
        using var response = await stripe.PostAsync("v1/customers", new FormUrlEncodedContent([new("email", "a@example.com")]));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>()).Str("id")!;
    }

    [Theory]
    [InlineData("github", "large-backlog")]
    [InlineData("slack", "busy-workspace")]
    [InlineData("stripe", "subscription-heavy")]
    public async Task Fork_starts_with_the_same_state_as_the_source(string clone, string seed)
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest(clone).WithSeed(clone, seed));

        var snapshot = await source.SnapshotAsync();
        await using var fork = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(snapshot));

        fork.Snapshot(clone).ToJsonString().Should().Be(source.Snapshot(clone).ToJsonString());
        fork.Changes.Should().BeEmpty();
    }

    [Fact]
    public async Task Fork_keeps_the_snapshots_fault_rules_and_their_counters()
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project")
            .WithFault(new FaultRule("github", "issues/create", FaultTrigger.Calls(2, 2), FaultEffect.Status(503))));
        await CreateIssueAsync(source, "First");
        var snapshot = await source.SnapshotAsync();
        await using var fork = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(snapshot));
        using var github = fork.CreateClient("github");

        using var second = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Second" });

        ((int)second.StatusCode).Should().Be(503, "the fork's rule has counted the source's first call");
        snapshot.Json["faults"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Reset_returns_every_clone_or_only_the_named_ones_to_their_seed()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github", "stripe").WithSeed("github", "small-project"));
        var seeded = session.Snapshot("github").ToJsonString();
        var first = await CreateIssueAsync(session, "Scratch");
        await CreateCustomerAsync(session);

        await session.ResetAsync(["github"]);

        session.Snapshot("github").ToJsonString().Should().Be(seeded);
        session.Changes.Should().NotBeEmpty().And.OnlyContain(c => c.CloneId == "stripe");
        await session.ResetAsync();
        session.Changes.Should().BeEmpty();
        var again = await CreateIssueAsync(session, "Scratch");
        again["number"]!.GetValue<long>().Should().Be(first["number"]!.GetValue<long>(), "the seed's numbering starts over");
        again["id"]!.GetValue<long>().Should().Be(first["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Reset_of_a_fork_returns_to_its_snapshot()
    {
        await using var source = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        await CreateIssueAsync(source, "Kept");
        await using var fork = await fixture.Host.CreateSessionAsync(new SessionRequest().FromSnapshot(await source.SnapshotAsync()));
        await CreateIssueAsync(fork, "Scratch");

        await fork.ResetAsync();

        Count(fork, "Kept").Should().Be(1);
        Count(fork, "Scratch").Should().Be(0);
    }

    [Fact]
    public async Task Unknown_snapshot_and_bad_reset_bodies_return_400()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github"));
        using var client = fixture.Host.CreateClient();

        var (forkStatus, forkError) = await (await client.PostAsJsonAsync("/api/sessions", new { source = new { snapshotId = "snap-nope" } })).ReadJsonAsync();
        var (resetStatus, resetError) = await (await client.PostAsJsonAsync($"/api/sessions/{session.Id}/reset", new { clones = new[] { "slack" } })).ReadJsonAsync();

        forkStatus.Should().Be(400);
        forkError.Str("code").Should().Be("unknown_snapshot");
        forkError.Str("field").Should().Be("source.snapshotId");
        resetStatus.Should().Be(400);
        resetError.Str("code").Should().Be("unknown_clone");
    }

    [Fact]
    public async Task Snapshot_over_HTTP_returns_201_with_its_id_and_forks_by_source()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        using var client = fixture.Host.CreateClient();

        var (status, snapshot) = await (await client.PostAsync($"/api/sessions/{session.Id}/snapshots", null)).ReadJsonAsync();
        var (forkStatus, fork) = await (await client.PostAsJsonAsync("/api/sessions", new { source = new { snapshotId = snapshot.Str("snapshotId") } })).ReadJsonAsync();

        status.Should().Be(201);
        snapshot.Str("snapshotId").Should().StartWith("snap-");
        snapshot.Str("sessionId").Should().Be(session.Id);
        forkStatus.Should().Be(201);
        fork["cloneIds"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("github");
        fork["resolvedSeeds"].Str("github").Should().Be($"snapshot:{snapshot.Str("snapshotId")}");
    }
}
