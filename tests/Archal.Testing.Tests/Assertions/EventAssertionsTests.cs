using System.Net;
using System.Net.Http.Json;
using Archal.Testing.FluentAssertions;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Events;
using Archal.Testing.Tests.Support;
using Xunit.Sdk;

namespace Archal.Testing.Tests.Assertions;

/// <summary><c>session.Events.Should()</c>: what was delivered, to whom, with what status — and messages that list it.</summary>
public sealed class EventAssertionsTests : IAsyncLifetime
{
    private ArchalHost _host = null!;
    private ArchalSession _session = null!;

    public async Task InitializeAsync()
    {
        var options = new ArchalHostOptions();
        options.Clones.Clear();
        options.Clones.Add(new HookClone());
        _host = new ArchalHost(options);
        await _host.StartAsync();
        _session = await _host.StartSessionAsync(new SessionRequest("hooks"));
        _session.Events.Route(new Uri("https://app.test/"), new SessionEventsTests.Receiver((n, _) =>
            Task.FromResult(n == 2 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK)));
        using var hooks = _session.CreateClient("hooks");
        foreach (var (url, type) in new[] { ("https://app.test/a", "invoice.paid"), ("https://app.test/b", "invoice.paid"), ("https://app.test/a", "customer.created") })
        {
            (await hooks.PostAsJsonAsync("send", new { url, @event = type })).Dispose();
            await _session.Events.WhenDeliveredAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _host.DisposeAsync();
    }

    private static string Listing => string.Join(Environment.NewLine,
        "  #1 hooks invoice.paid → https://app.test/a : delivered (1 attempt, HTTP 200)",
        "  #2 hooks invoice.paid → https://app.test/b : failed (1 attempt, HTTP 500)",
        "  #3 hooks customer.created → https://app.test/a : delivered (1 attempt, HTTP 200)");

    [Fact]
    public void Have_delivered_counts_successful_deliveries_and_narrows_by_target_and_payload()
    {
        _session.Events.Should().HaveDelivered("hooks", "invoice.paid").Once()
            .Which.Url.Should().Be(new Uri("https://app.test/a"));
        _session.Events.Should().HaveDelivered("hooks", "customer.created").To("https://app.test/a")
            .WithPayload(p => p?["n"]?.GetValue<int>() == 3, "n = 3").Once();
        _session.Events.Should().NotHaveDelivered("hooks", "invoice.voided");
    }

    [Fact]
    public void A_missing_event_lists_every_delivery_with_its_target_and_status()
    {
        var act = () => _session.Events.Should().HaveDelivered("hooks", "invoice.voided", "the agent voided it");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            $"Expected hooks to have delivered \"invoice.voided\" because the agent voided it, but it was not among 3 deliveries:{Environment.NewLine}{Listing}");
    }

    [Fact]
    public void A_wrong_count_lists_the_matching_deliveries()
    {
        var act = () => _session.Events.Should().HaveDelivered("hooks", "invoice.paid").Exactly(2);

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            $"Expected hooks to have delivered \"invoice.paid\" exactly 2 time(s), but found 1:{Environment.NewLine}  #1 hooks invoice.paid → https://app.test/a : delivered (1 attempt, HTTP 200)");
    }

    [Fact]
    public void Failed_deliveries_are_reported()
    {
        var act = () => _session.Events.Should().HaveNoFailedDeliveries();
        var notDelivered = () => _session.Events.Should().NotHaveDelivered("hooks", "invoice.paid");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            $"Expected every delivery to succeed, but 1 of 3 did not:{Environment.NewLine}  #2 hooks invoice.paid → https://app.test/b : failed (1 attempt, HTTP 500)");
        notDelivered.Should().Throw<XunitException>().Which.Message.Should().StartWith("Expected hooks not to have delivered \"invoice.paid\", but found 2:");
    }
}
