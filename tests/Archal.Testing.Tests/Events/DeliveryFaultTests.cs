using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Receiver = Archal.Testing.Tests.Events.SessionEventsTests.Receiver;

namespace Archal.Testing.Tests.Events;

/// <summary>Delivery fault rules (<c>"delivery"</c> with a <c>duplicate</c> or <c>reorder</c> effect), driven through the test-only <see cref="HookClone"/>.</summary>
public sealed class DeliveryFaultTests : IAsyncLifetime
{
    private static readonly Uri App = new("https://app.test/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private ArchalHost _host = null!;

    public async Task InitializeAsync()
    {
        var options = new ArchalHostOptions { TimeProvider = _time };
        options.Clones.Clear();
        options.Clones.Add(new HookClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task SendAsync(HttpClient hooks, string eventType, string url = "https://app.test/hooks")
    {
        using var response = await hooks.PostAsJsonAsync("send", new { url, @event = eventType });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private async Task<JsonObject> AddFaultOverHttpAsync(ArchalSession session, string rule)
    {
        using var client = _host.CreateClient(session.RouteToken);
        using var response = await client.PostAsync($"/api/sessions/{session.Id}/faults", new StringContent(rule, System.Text.Encoding.UTF8, "application/json"));
        var (status, body) = await response.ReadJsonAsync();
        status.Should().Be(201, body.ToJsonString());
        return body;
    }

    [Fact]
    public async Task A_duplicated_delivery_arrives_twice_with_the_same_body_and_first_attempt_headers_and_is_marked()
    {
        await using var session = await _host.StartSessionAsync(new SessionRequest("hooks"));
        var receiver = new Receiver();
        session.Events.Route(App, receiver);
        var rule = await AddFaultOverHttpAsync(session, """{"clone":"hooks","delivery":"invoice.paid","trigger":{"firstCalls":1},"effect":{"duplicate":true}}""");
        using var hooks = session.CreateClient("hooks");

        await SendAsync(hooks, "invoice.paid");
        await SendAsync(hooks, "invoice.paid");
        await SendAsync(hooks, "customer.created");
        await session.Events.WhenDeliveredAsync();

        receiver.Requests.Select(r => r.Body).Should().Equal(
            """{"n":1,"type":"invoice.paid"}""", """{"n":1,"type":"invoice.paid"}""", """{"n":2,"type":"invoice.paid"}""", """{"n":3,"type":"customer.created"}""");
        receiver.Requests.Take(2).Select(r => r.Headers["X-Hook-Attempt"]).Should().Equal(["1", "1"], "a duplicate is a second delivery, not a retry");
        var deliveries = session.Events.Deliveries;
        deliveries.Select(d => $"{d.Sequence} {d.Message.EventId} {d.Fault} {d.FaultRuleId}").Should().Equal(
            "1 evt_1  ", $"2 evt_1 duplicate {rule.Str("id")}", "3 evt_2  ", "4 evt_3  ");
        deliveries.Should().OnlyContain(d => d.Status == WebhookDeliveryStatus.Delivered);

        var listed = session.Faults.List().Single();
        listed["calls"]!.GetValue<long>().Should().Be(2, "the rule counts the invoice.paid deliveries it watches");
        listed["injected"]!.GetValue<long>().Should().Be(1);
        var entries = (await session.GetRunRecordAsync())["deliveries"]!["entries"]!.AsArray();
        entries[1]!["fault"]!.ToJsonString().Should().Be($$"""{"effect":"duplicate","rule":"{{rule.Str("id")}}"}""");
        entries[0]!["fault"].Should().BeNull();
    }

    [Fact]
    public async Task A_reordered_delivery_is_held_and_sent_after_the_next_one_to_the_same_target()
    {
        await using var session = await _host.StartSessionAsync(new SessionRequest("hooks"));
        var receiver = new Receiver();
        session.Events.Route(App, receiver);
        var ruleId = session.Faults.Add(FaultRule.ForDelivery("hooks", "*", FaultTrigger.FirstCalls(1), FaultEffect.ReorderDelivery()));
        using var hooks = session.CreateClient("hooks");

        await SendAsync(hooks, "invoice.created");
        await session.Events.WhenDeliveredAsync();
        receiver.Requests.Should().BeEmpty("the first delivery waits for the next one to its target");
        session.Events.Deliveries.Single().Status.Should().Be(WebhookDeliveryStatus.Pending);

        await SendAsync(hooks, "other", "https://app.test/elsewhere");
        await SendAsync(hooks, "invoice.paid");
        await SendAsync(hooks, "invoice.finalized");
        await session.Events.WhenDeliveredAsync();

        receiver.Requests.Where(r => r.Url == "https://app.test/hooks").Select(r => r.Body).Should().Equal(
            """{"n":3,"type":"invoice.paid"}""", """{"n":1,"type":"invoice.created"}""", """{"n":4,"type":"invoice.finalized"}""");
        var first = session.Events.Deliveries[0];
        (first.Fault, first.FaultRuleId, first.Status).Should().Be(("reorder", ruleId, WebhookDeliveryStatus.Delivered));
        session.Events.Deliveries.Skip(1).Should().OnlyContain(d => d.Fault == null);
    }

    [Fact]
    public async Task Reordering_every_delivery_swaps_them_in_pairs_and_duplicates_go_with_their_original()
    {
        await using var session = await _host.StartSessionAsync(new SessionRequest("hooks")
            .WithFault(FaultRule.ForDelivery("hooks", "*", null, FaultEffect.ReorderDelivery()))
            .WithFault(FaultRule.ForDelivery("hooks", "thing.happened", FaultTrigger.Calls(3, 3), FaultEffect.DuplicateDelivery())));
        var receiver = new Receiver();
        session.Events.Route(App, receiver);
        using var hooks = session.CreateClient("hooks");

        for (var i = 0; i < 4; i++)
        {
            await SendAsync(hooks, "thing.happened");
        }

        await session.Events.WhenDeliveredAsync();

        string.Concat(receiver.Requests.Select(r => r.Body[5])).Should().Be("21433");
    }

    [Fact]
    public async Task The_same_seed_injects_the_same_probabilistic_delivery_faults()
    {
        async Task<string> RunAsync(int seed)
        {
            await using var session = await _host.StartSessionAsync(new SessionRequest("hooks").WithRandomSeed(seed));
            var receiver = new Receiver();
            session.Events.Route(App, receiver);
            session.Faults.Add(FaultRule.ForDelivery("hooks", "*", FaultTrigger.Probability(0.3), FaultEffect.DuplicateDelivery()));
            session.Faults.Add(FaultRule.ForDelivery("hooks", "*", FaultTrigger.Probability(0.3), FaultEffect.ReorderDelivery()));
            using var hooks = session.CreateClient("hooks");
            for (var i = 0; i < 30; i++)
            {
                await SendAsync(hooks, "thing.happened");
            }

            await SendAsync(hooks, "flush");
            await SendAsync(hooks, "flush");
            await session.Events.WhenDeliveredAsync();
            return string.Join(",", receiver.Requests.Select(r => JsonNode.Parse(r.Body)!["n"]!.GetValue<int>()));
        }

        static int[] Numbers(string order) => [.. order.Split(',').Select(int.Parse)];

        var first = await RunAsync(7);
        var again = await RunAsync(7);
        var other = await RunAsync(8);

        again.Should().Be(first);
        Numbers(first).Distinct().Count().Should().BeLessThan(Numbers(first).Length, "some deliveries were duplicated");
        Numbers(first).Should().NotBeInAscendingOrder("some were reordered");
        other.Should().NotBe(first, "another seed draws other faults");
    }
}
