using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Tracing;

public class TraceRecordingTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Every_runtime_call_becomes_one_entry_with_request_response_and_operation()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo", "github"));
        using var echo = session.CreateClient("echo");
        using var github = session.CreateClient("github");

        (await echo.PostAsync("notes/a?x=1", new StringContent("hello"))).Dispose();
        (await github.GetAsync("user")).Dispose();

        var entries = session.Trace.Entries;
        entries.Should().HaveCount(2);
        var first = entries[0];
        first.Sequence.Should().Be(1);
        first.CloneId.Should().Be("echo");
        first.Operation.Should().Be("notes/put");
        first.Method.Should().Be("POST");
        first.PathTemplate.Should().Be("/notes/{key}");
        first.Path.Should().Be("/notes/a");
        first.Query.Should().Be("?x=1");
        first.Url.Should().Be($"{session.ApiBaseUrls["echo"]}/notes/a?x=1");
        first.RequestBody.Should().Be("hello");
        first.Status.Should().Be(201);
        first.ResponseBody.Should().Be("""{"key":"a","text":"hello"}""");
        first.ResponseHeaders["Content-Type"].Should().StartWith("application/json");
        first.StartedAt.Should().Be(fixture.Time.GetUtcNow());
        entries[1].Sequence.Should().Be(2);
        entries[1].Endpoint.Should().Be("GET /user");
    }

    [Fact]
    public async Task Entries_carry_the_state_mutations_they_caused()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");

        (await echo.PostAsync("notes/a", new StringContent("v1"))).Dispose();
        (await echo.PostAsync("notes/a", new StringContent("v2"))).Dispose();
        (await echo.DeleteAsync("notes/a")).Dispose();
        (await echo.GetAsync("echo")).Dispose();

        var mutations = session.Trace.Entries.Select(e => e.Mutations).ToList();
        mutations[0].Should().ContainSingle().Which.Should().BeEquivalentTo(new { EntityType = "note", Id = "a", Kind = MutationKind.Created });
        var update = mutations[1].Should().ContainSingle().Subject;
        update.Kind.Should().Be(MutationKind.Updated);
        update.Changes.Should().ContainSingle();
        update.Changes[0].Field.Should().Be("text");
        update.Changes[0].Before!.GetValue<string>().Should().Be("v1");
        update.Changes[0].After!.GetValue<string>().Should().Be("v2");
        mutations[2].Should().ContainSingle().Which.Kind.Should().Be(MutationKind.Deleted);
        mutations[3].Should().BeEmpty("a read changes nothing");
    }

    [Fact]
    public async Task Unmatched_calls_are_recorded_with_their_concrete_path()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");

        (await echo.GetAsync("nowhere/at/all")).Dispose();

        var entry = session.Trace.Entries.Should().ContainSingle().Subject;
        entry.Status.Should().Be(404);
        entry.PathTemplate.Should().Be("/nowhere/at/all");
    }

    [Fact]
    public async Task A_clone_exception_becomes_a_readable_500_in_the_response_and_the_trace()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");

        var (status, body) = await (await echo.GetAsync("boom")).ReadJsonAsync();
        (await echo.GetAsync("echo")).Dispose();

        status.Should().Be(500);
        body.Str("code").Should().Be("clone_exception");
        body.Str("message").Should().Be("The echo clone failed: the echo clone exploded");
        var entries = session.Trace.Entries;
        entries[0].Status.Should().Be(500);
        entries[0].ResponseBody.Should().Contain("clone_exception");
        entries[1].Status.Should().Be(200, "the session keeps serving after a clone failure");
    }

    [Fact]
    public async Task Parallel_calls_are_all_recorded_in_sequence_without_loss()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo", "github"));
        using var echo = session.CreateClient("echo");
        using var github = session.CreateClient("github");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = i % 2 == 0
                ? await echo.PostAsync($"notes/n{i}", new StringContent($"body-{i}"))
                : await github.GetAsync("user");
        }));

        var entries = session.Trace.Entries;
        entries.Should().HaveCount(200);
        entries.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 200).Select(i => (long)i));
        foreach (var entry in entries.Where(e => e.CloneId == "echo"))
        {
            var key = entry.Path["/notes/".Length..];
            entry.RequestBody.Should().Be("body-" + key[1..], "each entry keeps its own request");
            entry.Mutations.Should().ContainSingle().Which.Id.Should().Be(key);
        }

        session.GetState<EchoState>("echo").Notes.Count.Should().Be(100);
    }

    [Fact]
    public async Task Large_bodies_are_truncated_with_a_marker()
    {
        var options = new ArchalHostOptions { MaxTraceBodyBytes = 16 };
        options.Clones.Add(new EchoClone());
        await using var host = new ArchalHost(options);
        await host.StartAsync();
        await using var session = await host.CreateSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");

        (await echo.PostAsync("notes/k", new StringContent(new string('x', 100)))).Dispose();

        var entry = session.Trace.Entries.Single();
        entry.RequestBody.Should().Be(new string('x', 16) + "…[truncated: 84 more bytes of 100]");
        entry.ResponseBody.Should().EndWith("more bytes of 121]");
        session.GetState<EchoState>("echo").Notes.Find("k")!.Text.Should().HaveLength(100, "truncation is only in the trace");
    }

    [Fact]
    public async Task Trace_cap_counts_what_it_drops()
    {
        var options = new ArchalHostOptions { MaxTraceEntriesPerSession = 3 };
        await using var host = new ArchalHost(options);
        await host.StartAsync();
        await using var session = await host.CreateSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");

        for (var i = 0; i < 5; i++)
        {
            (await github.GetAsync("user")).Dispose();
        }

        session.Trace.Entries.Should().HaveCount(3);
        session.Trace.Dropped.Should().Be(2);
        session.Trace.TotalCalls.Should().Be(5);
    }

    [Fact]
    public async Task Recording_can_be_turned_off()
    {
        await using var host = new ArchalHost(new ArchalHostOptions { RecordTraces = false });
        await host.StartAsync();
        await using var session = await host.CreateSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");

        var user = await github.GetFromJsonAsync<JsonObject>("user");

        user!["login"]!.GetValue<string>().Should().Be("octocat");
        session.Trace.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task Changes_compare_final_state_with_the_seed()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");
        (await echo.PostAsync("notes/a", new StringContent("1"))).Dispose();
        (await echo.PostAsync("notes/b", new StringContent("1"))).Dispose();
        (await echo.DeleteAsync("notes/b")).Dispose();

        session.Changes.Should().ContainSingle().Which.Should().BeEquivalentTo(new { CloneId = "echo", EntityType = "note", Id = "a", Kind = MutationKind.Created });
    }
}
