using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Events;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Archal.Testing.Tests.Events;

/// <summary>The delivery engine, driven through a test-only clone (<see cref="HookClone"/>): in-process and loopback targets, order, retries, bad receivers.</summary>
public sealed class SessionEventsTests : IAsyncLifetime
{
    private static readonly Uri App = new("https://app.test/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private ArchalHost _host = null!;
    private ArchalSession _session = null!;
    private HttpClient _hooks = null!;

    public async Task InitializeAsync()
    {
        // Retries run over hours of fake time: the session must outlive them, and its evidence must outlive its end.
        var options = new ArchalHostOptions { TimeProvider = _time, DefaultSessionTtl = TimeSpan.FromHours(24), EndedSessionRetention = TimeSpan.FromDays(7) };
        options.Clones.Clear();
        options.Clones.Add(new HookClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
        _session = await _host.StartSessionAsync(new SessionRequest("hooks"));
        _hooks = _session.CreateClient("hooks");
    }

    public async Task DisposeAsync()
    {
        _hooks.Dispose();
        await _session.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task SendAsync(string url, string eventType = "thing.happened", params double[] retries)
    {
        using var response = await _hooks.PostAsJsonAsync("send", new { url, @event = eventType, retries });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task In_process_route_receives_every_callback_in_order_with_its_headers()
    {
        var receiver = new Receiver();
        _session.Events.Route(App, receiver);

        for (var i = 0; i < 20; i++)
        {
            await SendAsync("https://app.test/hooks", $"event.{i}");
        }

        await _session.Events.WhenDeliveredAsync();

        receiver.Requests.Select(r => r.Body).Should().Equal(Enumerable.Range(1, 20).Select(i => $"{{\"n\":{i},\"type\":\"event.{i - 1}\"}}"));
        var first = receiver.Requests.First();
        first.Url.Should().Be("https://app.test/hooks");
        first.Headers["X-Hook-Attempt"].Should().Be("1");
        first.Headers["Content-Type"].Should().Be("application/json");
        first.Headers["User-Agent"].Should().Be("Hooks/1.0");
        _session.Events.Deliveries.Should().HaveCount(20).And.OnlyContain(d => d.Status == WebhookDeliveryStatus.Delivered && d.LastStatus == 200);
        _session.Events.Deliveries[0].Attempts.Single().RequestHeaders["X-Hook-Attempt"].Should().Be("1");
    }

    [Fact]
    public async Task The_run_record_lists_every_delivery_and_attempt()
    {
        _session.Events.Route(App, new Receiver((n, _) => Task.FromResult(n == 1 ? HttpStatusCode.BadGateway : HttpStatusCode.OK)));
        await SendAsync("https://app.test/hooks", "invoice.paid", 0);
        await _session.Events.WhenDeliveredAsync();

        var run = await _session.GetRunRecordAsync();

        var deliveries = run["deliveries"]!;
        deliveries["count"]!.GetValue<int>().Should().Be(1);
        var entry = deliveries["entries"]![0]!;
        entry["event"]!.GetValue<string>().Should().Be("invoice.paid");
        entry["status"]!.GetValue<string>().Should().Be("delivered");
        entry["payload"]!.GetValue<string>().Should().Be("{\"n\":1,\"type\":\"invoice.paid\"}");
        entry["attempts"]!.AsArray().Select(a => (a!["number"]!.GetValue<int>(), a["status"]!.GetValue<int>())).Should().Equal((1, 502), (2, 200));
        entry["attempts"]![1]!["requestHeaders"]!["X-Hook-Attempt"]!.GetValue<string>().Should().Be("2");
    }

    [Fact]
    public async Task The_delivery_log_is_bounded_and_counts_what_it_forgot()
    {
        _session.Events.Route(App, new Receiver());

        for (var i = 0; i < 5; i++)
        {
            await SendAsync("https://app.test/many");
        }

        await _session.Events.WhenDeliveredAsync();
        for (var i = 0; i < SessionEvents.MaxKept; i++)
        {
            await SendAsync("https://app.test/many");
        }

        await _session.Events.WhenDeliveredAsync();

        _session.Events.Deliveries.Should().HaveCount(SessionEvents.MaxKept);
        _session.Events.Forgotten.Should().Be(5);
        _session.Events.Deliveries[0].Sequence.Should().Be(6, "the oldest finished deliveries go first");
    }

    [Fact]
    public async Task A_client_route_rebases_the_url_on_its_base_address()
    {
        var receiver = new Receiver();
        using var client = new HttpClient(receiver) { BaseAddress = new Uri("http://localhost/app/") };
        _session.Events.Route(App, client);

        await SendAsync("https://app.test/hooks/stripe?x=1");
        await _session.Events.WhenDeliveredAsync();

        receiver.Requests.Single().Url.Should().Be("http://localhost/app/hooks/stripe?x=1");
    }

    [Fact]
    public async Task A_receiver_that_blocks_does_not_block_the_clone_and_the_attempt_times_out()
    {
        var release = new TaskCompletionSource();
        var receiver = new Receiver(async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return HttpStatusCode.OK;
        });
        _session.Events.Route(App, receiver);
        _session.Events.AttemptTimeout = TimeSpan.FromMilliseconds(300);

        // Each call returns while the receiver still holds the first delivery.
        await SendAsync("https://app.test/slow");
        await SendAsync("https://app.test/slow");
        release.Task.IsCompleted.Should().BeFalse();
        await _session.Events.WhenDeliveredAsync();

        var deliveries = _session.Events.Deliveries;
        deliveries.Should().HaveCount(2).And.OnlyContain(d => d.Status == WebhookDeliveryStatus.Failed);
        deliveries[0].Attempts.Single().Failure.Should().Be(WebhookFailure.Timeout);
        deliveries[0].Attempts.Single().Error.Should().Be("timed out after 0.3 s");
    }

    [Fact]
    public async Task A_retry_also_runs_when_the_session_clock_is_moved_past_it_and_only_once()
    {
        var receiver = new Receiver((n, _) => Task.FromResult(n < 3 ? HttpStatusCode.InternalServerError : HttpStatusCode.NoContent));
        _session.Events.Route(App, receiver);

        await SendAsync("https://app.test/flaky", "thing.happened", 60, 300, 900);
        await _session.Events.WhenDeliveredAsync();
        await _session.Clock.AdvanceAsync(TimeSpan.FromSeconds(59));
        await _session.Events.WhenDeliveredAsync();
        receiver.Requests.Should().HaveCount(1, "the retry is due 60 s after the first attempt on the session clock");

        await _session.Clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        await _session.Events.WhenDeliveredAsync();
        receiver.Requests.Should().HaveCount(2);
        await _session.Clock.AdvanceAsync(TimeSpan.FromSeconds(300));
        await _session.Events.WhenDeliveredAsync();
        _time.Advance(TimeSpan.FromHours(1));
        await _session.Events.WhenDeliveredAsync();

        receiver.Requests.Select(r => r.Headers["X-Hook-Attempt"]).Should().Equal(["1", "2", "3"], "the host clock passing the same instants later runs nothing again");
        _session.Events.Deliveries.Single().Status.Should().Be(WebhookDeliveryStatus.Delivered);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_on_the_clock_with_the_previous_failure_and_each_attempt_is_recorded()
    {
        var receiver = new Receiver((n, _) => Task.FromResult(n < 3 ? HttpStatusCode.InternalServerError : HttpStatusCode.NoContent));
        _session.Events.Route(App, receiver);

        await SendAsync("https://app.test/flaky", "thing.happened", 60, 300, 900);
        await _session.Events.WhenDeliveredAsync();
        receiver.Requests.Should().HaveCount(1, "the retry is due a minute later on the host's clock");
        _session.Events.Deliveries.Single().Status.Should().Be(WebhookDeliveryStatus.Pending);

        _time.Advance(TimeSpan.FromSeconds(59));
        await _session.Events.WhenDeliveredAsync();
        receiver.Requests.Should().HaveCount(1);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _session.Events.WhenDeliveredAsync();
        _time.Advance(TimeSpan.FromSeconds(300));
        await _session.Events.WhenDeliveredAsync();

        receiver.Requests.Select(r => r.Headers["X-Hook-Attempt"]).Should().Equal("1", "2", "3");
        receiver.Requests.Select(r => r.Headers["X-Hook-Previous"]).Should().Equal("None", "HttpError", "HttpError");
        var delivery = _session.Events.Deliveries.Single();
        delivery.Status.Should().Be(WebhookDeliveryStatus.Delivered);
        delivery.Attempts.Select(a => (a.Number, a.Status, a.Error)).Should().Equal((1, 500, "HTTP 500"), (2, 500, "HTTP 500"), (3, 204, null));
        delivery.Attempts.Select(a => a.StartedAt - _time.Start).Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(360));
    }

    [Fact]
    public async Task A_closed_port_is_a_connection_failure_and_retries_stop_at_the_service_count()
    {
        var port = ClosedPort();

        await SendAsync($"http://127.0.0.1:{port}/hook", "thing.happened", 10, 10);
        await _session.Events.WhenDeliveredAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        await _session.Events.WhenDeliveredAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        await _session.Events.WhenDeliveredAsync();
        _time.Advance(TimeSpan.FromHours(1));
        await _session.Events.WhenDeliveredAsync();

        var delivery = _session.Events.Deliveries.Single();
        delivery.Status.Should().Be(WebhookDeliveryStatus.Failed);
        delivery.Attempts.Should().HaveCount(3).And.OnlyContain(a => a.Failure == WebhookFailure.ConnectionFailed && a.Status == null);
    }

    [Fact]
    public async Task A_loopback_url_is_called_over_real_http()
    {
        var received = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            received.Enqueue(request.Headers["X-Hook-Attempt"] + " " + await reader.ReadToEndAsync());
            return Results.Text("thanks");
        });
        await app.StartAsync();

        await SendAsync(app.Urls.Single() + "/hook");
        await _session.Events.WhenDeliveredAsync();

        received.Should().Equal("1 {\"n\":1,\"type\":\"thing.happened\"}");
        _session.Events.Deliveries.Single().Attempts.Single().ResponseBody.Should().Be("thanks");
    }

    [Fact]
    public async Task A_url_that_is_neither_loopback_nor_routed_is_refused_without_retries()
    {
        await SendAsync("https://hooks.example.com/x", "thing.happened", 1, 1);
        await _session.Events.WhenDeliveredAsync();

        var delivery = _session.Events.Deliveries.Single();
        delivery.Status.Should().Be(WebhookDeliveryStatus.Failed);
        delivery.Attempts.Single().Failure.Should().Be(WebhookFailure.Refused);
        delivery.Attempts.Single().Error.Should().Contain("session.Events.Route(new Uri(\"https://hooks.example.com/\")");
    }

    [Fact]
    public async Task A_receiver_that_throws_is_a_recorded_failure()
    {
        _session.Events.Route(App, new Receiver((_, _) => throw new InvalidOperationException("the app crashed")));

        await SendAsync("https://app.test/x");
        await _session.Events.WhenDeliveredAsync();

        _session.Events.Deliveries.Single().Attempts.Single().Error.Should().Be("InvalidOperationException: the app crashed");
    }

    [Fact]
    public async Task Ending_the_session_cancels_waiting_deliveries()
    {
        _session.Events.Route(App, new Receiver((_, _) => Task.FromResult(HttpStatusCode.ServiceUnavailable)));
        await SendAsync("https://app.test/x", "thing.happened", 60);
        await _session.Events.WhenDeliveredAsync();

        await _session.EndAsync();
        _time.Advance(TimeSpan.FromMinutes(5));
        await _session.Events.WhenDeliveredAsync();

        var delivery = _session.Events.Deliveries.Single();
        delivery.Status.Should().Be(WebhookDeliveryStatus.Canceled);
        delivery.Attempts.Should().ContainSingle();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal sealed record Received(string Url, Dictionary<string, string> Headers, string Body);

    /// <summary>An in-process receiver: records each request and answers with <c>answer(callNumber)</c>.</summary>
    internal sealed class Receiver(Func<int, CancellationToken, Task<HttpStatusCode>>? answer = null) : HttpMessageHandler
    {
        private int _calls;

        public ConcurrentQueue<Received> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.NonValidated.Concat(request.Content!.Headers.NonValidated).ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new Received(request.RequestUri!.AbsoluteUri, headers, await request.Content.ReadAsStringAsync(cancellationToken)));
            var status = answer is null ? HttpStatusCode.OK : await answer(Interlocked.Increment(ref _calls), cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent("") };
        }
    }
}
