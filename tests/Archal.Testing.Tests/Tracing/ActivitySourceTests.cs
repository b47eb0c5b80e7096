using System.Collections.Concurrent;
using System.Diagnostics;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;

namespace Archal.Testing.Tests.Tracing;

public class ActivitySourceTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Every_runtime_call_emits_one_span_with_clone_operation_and_status()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo", "github"));
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Archal.Testing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem("archal.session_id") == session.Id)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var echo = session.CreateClient("echo");
        using var github = session.CreateClient("github");

        (await echo.PostAsync("notes/a", new StringContent("x"))).Dispose();
        (await github.GetAsync("nope")).Dispose();

        spans.Should().HaveCount(2);
        var put = spans.Single(s => (string?)s.GetTagItem("archal.clone") == "echo");
        put.GetTagItem("archal.operation").Should().Be("notes/put");
        put.GetTagItem("http.response.status_code").Should().Be(201);
        put.Kind.Should().Be(ActivityKind.Server);
        var missing = spans.Single(s => (string?)s.GetTagItem("archal.clone") == "github");
        missing.GetTagItem("http.response.status_code").Should().Be(404);
    }
}
