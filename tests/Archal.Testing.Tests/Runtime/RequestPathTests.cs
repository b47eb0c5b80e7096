using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Tests.Runtime;

/// <summary>The request path over a real socket: the trace is complete before the caller sees the end of a response.</summary>
public sealed class RequestPathTests : IAsyncLifetime
{
    private readonly ArchalHost _host = new(new ArchalHostOptions { UseKestrel = true });

    public Task InitializeAsync() => _host.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_response_read_over_Kestrel_is_already_in_the_trace()
    {
        await using var session = await _host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        using var github = session.CreateClient("github");

        for (var i = 1; i <= 40; i++)
        {
            using var response = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = $"issue {i}" });
            var body = await response.Content.ReadAsStringAsync();

            // No waiting: the entry must exist the moment the last byte has arrived.
            session.Trace.Entries.Should().HaveCount(i, "call {0} answered {1}", i, body);
            response.Content.Headers.ContentLength.Should().Be(System.Text.Encoding.UTF8.GetByteCount(body));
        }
    }

    [Fact]
    public async Task The_trace_keeps_the_same_request_and_response_bytes_the_clone_saw_and_sent()
    {
        await using var session = await _host.CreateSessionAsync(new SessionRequest("github").WithSeed("github", "small-project"));
        using var github = session.CreateClient("github");

        using var response = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Zoë's bug", body = new string('x', 2048) });
        var text = await response.Content.ReadAsStringAsync();

        var entry = session.Trace.Entries.Single();
        entry.Operation.Should().Be("issues/create");
        JsonNode.Parse(entry.RequestBody!)!["title"]!.GetValue<string>().Should().Be("Zoë's bug");
        entry.ResponseBody.Should().Be(text);
        text.Should().Contain("Zoë", "every clone writes JSON with the same relaxed escaping");
    }
}
