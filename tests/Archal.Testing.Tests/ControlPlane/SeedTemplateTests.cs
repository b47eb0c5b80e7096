using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.GitHub;
using Archal.Testing.Clones.Stripe;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>
/// Sessions of one seed share its seeded state until they first use it (issue 12: 10,000 rich sessions in bounded
/// memory): what one session does never reaches another, and a shared seed behaves exactly like a private one.
/// </summary>
public class SeedTemplateTests
{
    private static SessionRequest Rich() => new SessionRequest("github", "slack", "stripe")
        .WithSeed("github", "small-project").WithSeed("slack", "engineering-team").WithSeed("stripe", "small-business");

    private static async Task<ArchalHost> StartAsync(FakeTimeProvider time)
    {
        var host = new ArchalHost(new ArchalHostOptions { TimeProvider = time });
        await host.StartAsync();
        return host;
    }

    private static async Task<JsonObject> CreateIssueAsync(ArchalSession session, string title)
    {
        using var github = session.CreateClient("github");
        using var response = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task Sessions_of_one_seed_share_it_until_they_use_a_clone_and_never_see_each_others_writes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, 250, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        await using var first = await host.CreateSessionAsync(Rich());
        await using var second = await host.CreateSessionAsync(Rich());
        var firstRecord = host.Runtime.Sessions.Find(first.Id)!;
        var secondRecord = host.Runtime.Sessions.Find(second.Id)!;

        host.Runtime.SeedTemplates.Count.Should().Be(3, "one template per clone and seed, built once for both sessions");
        firstRecord.States.Slot("github").Template.Should().BeSameAs(secondRecord.States.Slot("github").Template);
        firstRecord.States.IfCopied("github").Should().BeNull("nothing has used the clone yet");
        first.Changes.Should().BeEmpty();

        var issue = await CreateIssueAsync(first, "Only in the first session");

        firstRecord.States.IfCopied("github").Should().NotBeNull();
        firstRecord.States.IfCopied("stripe").Should().BeNull("only the clone that was called is copied");
        secondRecord.States.IfCopied("github").Should().BeNull();
        second.ReadState((GitHubState s) => s.Issues.Items.Count(i => i.Title == "Only in the first session"), "github").Should().Be(0);
        var again = await CreateIssueAsync(second, "Same number");
        again["number"]!.GetValue<long>().Should().Be(issue["number"]!.GetValue<long>(), "each session numbers from the same seed");
        first.Changes.Should().ContainSingle().Which.Id.Should().Be($"acme/webapp#{issue["number"]}");
        second.Snapshot("stripe").ToJsonString().Should().Be(first.InitialSnapshot("stripe").ToJsonString());
    }

    private static async Task<string> CustomerNameAsync(ArchalSession session, string id)
    {
        using var stripe = session.CreateClient("stripe");
        var customer = await stripe.GetFromJsonAsync<JsonObject>($"v1/customers/{id}");
        return customer.Str("name")!;
    }

    [Fact]
    public async Task A_shared_Stripe_object_changes_only_in_the_session_that_changes_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        var request = new SessionRequest("stripe").WithSeed("stripe", "small-business");
        await using var changed = await host.CreateSessionAsync(request);
        await using var untouched = await host.CreateSessionAsync(request);
        var id = changed.ReadState((StripeState s) => s.Customers.Items[0].Id, "stripe");
        var seededName = await CustomerNameAsync(untouched, id);

        using (var stripe = changed.CreateClient("stripe"))
        {
            using var update = await stripe.PostAsync($"v1/customers/{id}", new FormUrlEncodedContent([new("name", "Renamed Ltd")]));
            update.EnsureSuccessStatusCode();
        }

        await using var fork = await host.CreateSessionAsync(new SessionRequest().FromSnapshot(await changed.SnapshotAsync()));
        await using var later = await host.CreateSessionAsync(request);

        (await CustomerNameAsync(changed, id)).Should().Be("Renamed Ltd");
        (await CustomerNameAsync(fork, id)).Should().Be("Renamed Ltd");
        (await CustomerNameAsync(untouched, id)).Should().Be(seededName).And.NotBe("Renamed Ltd");
        (await CustomerNameAsync(later, id)).Should().Be(seededName);
        changed.Changes.Should().ContainSingle(c => c.Id == id);
        await changed.ResetAsync();
        (await CustomerNameAsync(changed, id)).Should().Be(seededName);
    }

    [Fact]
    public async Task A_shared_seed_gives_the_same_data_as_a_host_that_seeded_it_alone()
    {
        var start = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        await using var busy = await StartAsync(new FakeTimeProvider(start));
        await using var alone = await StartAsync(new FakeTimeProvider(start));
        await using var warm = await busy.CreateSessionAsync(Rich());
        await CreateIssueAsync(warm, "Used before the next session starts");

        await using var shared = await busy.CreateSessionAsync(Rich());
        await using var single = await alone.CreateSessionAsync(Rich());

        foreach (var clone in new[] { "github", "slack", "stripe" })
        {
            shared.Snapshot(clone).ToJsonString().Should().Be(single.Snapshot(clone).ToJsonString(), $"{clone} is seeded the same whether shared or not");
        }
    }

    [Fact]
    public async Task Seeds_resolve_ages_against_the_session_start_to_the_second_and_a_later_second_builds_a_new_template()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, 900, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        await using var early = await host.CreateSessionAsync(new SessionRequest("stripe").WithSeed("stripe", "small-business"));
        var seededAt = early.ReadState((StripeState s) => s.SeededAt, "stripe");

        time.Advance(TimeSpan.FromSeconds(1));
        await using var later = await host.CreateSessionAsync(new SessionRequest("stripe").WithSeed("stripe", "small-business"));

        seededAt.Should().Be(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
        later.ReadState((StripeState s) => s.SeededAt, "stripe").Should().Be(seededAt + 1);
        host.Runtime.SeedTemplates.Count.Should().Be(1, "the newer template replaces the older one of the same seed");
    }

    [Fact]
    public async Task Sessions_share_a_seed_only_when_their_seed_data_is_the_same()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        SessionRequest With(string email) => new SessionRequest("stripe").WithSeedData("stripe",
            JsonNode.Parse($$"""{"customers": [{"email": "{{email}}"}]}""")!.AsObject());
        await using var first = await host.CreateSessionAsync(With("a@example.com"));
        await using var same = await host.CreateSessionAsync(With("a@example.com"));
        await using var other = await host.CreateSessionAsync(With("b@example.com"));
        var slot = (ArchalSession s) => host.Runtime.Sessions.Find(s.Id)!.States.Slot("stripe").Template;

        slot(same).Should().BeSameAs(slot(first));
        slot(other).Should().NotBeSameAs(slot(first));
        other.ReadState((StripeState s) => s.Customers.Items.Select(c => c.Email).ToList(), "stripe").Should().Contain("b@example.com").And.NotContain("a@example.com");
    }

    [Fact]
    public async Task A_template_the_host_no_longer_holds_is_shared_while_a_session_holds_it_and_then_collected()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var host = new ArchalHost(new ArchalHostOptions { TimeProvider = time, EndedSessionRetention = TimeSpan.Zero });
        await host.StartAsync();
        var capacity = host.Runtime.SeedTemplates.Capacity;
        await using var kept = await host.CreateSessionAsync(new SessionRequest("github") { RandomSeed = -1 });
        var template = host.Runtime.Sessions.Find(kept.Id)!.States.Slot("github").Template;
        var dropped = await CreateAndEndAsync(host, -2);

        for (var seed = 0; seed < capacity + 2; seed++)
        {
            await using var session = await host.CreateSessionAsync(new SessionRequest("github") { RandomSeed = seed });
        }

        await using var again = await host.CreateSessionAsync(new SessionRequest("github") { RandomSeed = -1 });
        host.Runtime.Sessions.Find(again.Id)!.States.Slot("github").Template.Should().BeSameAs(template, "a live session still holds it");
        for (var i = 0; i < 3 && IsAlive(dropped); i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        IsAlive(dropped).Should().BeFalse("no session holds it and the host keeps only the last seeds' templates");
        host.Runtime.SeedTemplates.Count.Should().Be(capacity);
    }

    /// <summary>A session created and deleted over HTTP (nothing in the test keeps it); a weak reference to its template.</summary>
    private static async Task<WeakReference<Archal.Testing.Clones.Abstractions.StateTemplate>> CreateAndEndAsync(ArchalHost host, int randomSeed)
    {
        using var client = host.CreateClient();
        using var created = await client.PostAsJsonAsync("/api/sessions", new { clones = new[] { "github" }, runConfig = new { randomSeed } });
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>()).Str("sessionId")!;
        var weak = Weak(host, id);
        (await client.DeleteAsync($"/api/sessions/{id}")).Dispose();
        return weak;
    }

    // Never in the test's own frame: a strong reference there (even a discarded out value) keeps it alive in Debug builds.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<Archal.Testing.Clones.Abstractions.StateTemplate> weak) => weak.TryGetTarget(out _);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<Archal.Testing.Clones.Abstractions.StateTemplate> Weak(ArchalHost host, string id) =>
        new(host.Runtime.Sessions.Find(id)!.States.Slot("github").Template);

    [Fact]
    public async Task A_fork_reads_its_own_clock_not_its_sources()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        await using var source = await host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        await CreateIssueAsync(source, "Before the snapshot");
        await using var fork = await host.CreateSessionAsync(new SessionRequest().FromSnapshot(await source.SnapshotAsync()));

        await source.Clock.AdvanceAsync(TimeSpan.FromDays(30));
        var inFork = await CreateIssueAsync(fork, "Filed in the fork");
        var inSource = await CreateIssueAsync(source, "Filed in the source");

        inFork["created_at"]!.GetValue<string>().Should().Be("2026-03-02T10:00:00Z");
        inSource["created_at"]!.GetValue<string>().Should().Be("2026-04-01T10:00:00Z");
    }

    [Fact]
    public async Task Reset_after_the_clock_moved_returns_to_the_seed_as_it_was_created()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        await using var session = await host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        var seeded = session.Snapshot("github").ToJsonString();
        await session.Clock.AdvanceAsync(TimeSpan.FromDays(3));
        await CreateIssueAsync(session, "Scratch");

        await session.ResetAsync();

        session.Snapshot("github").ToJsonString().Should().Be(seeded);
        session.Changes.Should().BeEmpty();
    }

    [Fact]
    public async Task The_host_keeps_a_bounded_number_of_templates()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(time);
        var capacity = host.Runtime.SeedTemplates.Capacity;

        for (var seed = 0; seed < capacity + 5; seed++)
        {
            await using var session = await host.CreateSessionAsync(new SessionRequest("github") { RandomSeed = seed });
        }

        host.Runtime.SeedTemplates.Count.Should().Be(capacity);
    }
}
