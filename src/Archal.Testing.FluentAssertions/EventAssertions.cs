using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Events;
using FluentAssertions;
using FluentAssertions.Primitives;

namespace Archal.Testing.FluentAssertions;

/// <summary>
/// Assertions over the callbacks a session's clones sent (<c>session.Events.Should()</c>): which events reached the app
/// under test, where, and how often. Call after <c>await session.Events.WhenDeliveredAsync()</c>.
/// </summary>
public sealed class EventAssertions : ReferenceTypeAssertions<SessionEvents, EventAssertions>
{
    /// <summary>Creates the assertions.</summary>
    public EventAssertions(SessionEvents subject) : base(subject) { }

    /// <inheritdoc />
    protected override string Identifier => "events";

    /// <summary>
    /// Asserts at least one successful delivery of <paramref name="eventType"/> from <paramref name="cloneId"/>, where
    /// the event type is the service's name (<c>invoice.paid</c>, <c>issues</c>, <c>app_mention</c>) or, for events
    /// with an action or subtype, <c>name.action</c> (<c>issues.opened</c>, <c>message.message_changed</c>). Refine with
    /// <see cref="DeliveryConstraint.Once"/>, <see cref="DeliveryConstraint.Exactly"/>, <see cref="DeliveryConstraint.To"/>
    /// and <see cref="DeliveryConstraint.WithPayload"/>.
    /// </summary>
    public DeliveryConstraint HaveDelivered(string cloneId, string eventType, string because = "", params object[] becauseArgs)
    {
        var all = Subject.Deliveries;
        var matches = all.Where(d => d.Status == WebhookDeliveryStatus.Delivered && Matches(d, cloneId, eventType)).ToList();
        if (matches.Count == 0)
        {
            AssertionMessages.Fail(
                $"Expected {cloneId} to have delivered \"{eventType}\"{{reason}}, but it was not among {all.Count} deliver{(all.Count == 1 ? "y" : "ies")}:{Environment.NewLine}{Lines(all)}",
                because, becauseArgs);
        }

        return new DeliveryConstraint(this, cloneId, eventType, matches);
    }

    /// <summary>Asserts no delivery (successful or not) of <paramref name="eventType"/> from <paramref name="cloneId"/>.</summary>
    public AndConstraint<EventAssertions> NotHaveDelivered(string cloneId, string eventType, string because = "", params object[] becauseArgs)
    {
        var matches = Subject.Deliveries.Where(d => Matches(d, cloneId, eventType)).ToList();
        if (matches.Count > 0)
        {
            AssertionMessages.Fail(
                $"Expected {cloneId} not to have delivered \"{eventType}\"{{reason}}, but found {matches.Count}:{Environment.NewLine}{Lines(matches)}",
                because, becauseArgs);
        }

        return new AndConstraint<EventAssertions>(this);
    }

    /// <summary>Asserts that no delivery failed for good or was canceled (pending ones waiting for a retry count as failing).</summary>
    public AndConstraint<EventAssertions> HaveNoFailedDeliveries(string because = "", params object[] becauseArgs)
    {
        var all = Subject.Deliveries;
        var failed = all.Where(d => d.Status != WebhookDeliveryStatus.Delivered).ToList();
        if (failed.Count > 0)
        {
            AssertionMessages.Fail(
                $"Expected every delivery to succeed{{reason}}, but {failed.Count} of {all.Count} did not:{Environment.NewLine}{Lines(failed)}",
                because, becauseArgs);
        }

        return new AndConstraint<EventAssertions>(this);
    }

    internal static bool Matches(WebhookDelivery delivery, string cloneId, string eventType) =>
        delivery.CloneId == cloneId
        && (delivery.EventType == eventType || (delivery.Message.Action is { } action && $"{delivery.EventType}.{action}" == eventType));

    internal static string Lines(IEnumerable<WebhookDelivery> deliveries)
    {
        var lines = deliveries.Select(d => "  " + d).ToList();
        return lines.Count == 0 ? "  (none)" : string.Join(Environment.NewLine, lines);
    }
}

/// <summary>The deliveries that matched <see cref="EventAssertions.HaveDelivered"/>, for further refinement.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "FluentAssertions naming.")]
public sealed class DeliveryConstraint : AndConstraint<EventAssertions>
{
    private readonly string _cloneId;
    private readonly string _eventType;

    internal DeliveryConstraint(EventAssertions parent, string cloneId, string eventType, IReadOnlyList<WebhookDelivery> deliveries)
        : base(parent)
    {
        _cloneId = cloneId;
        _eventType = eventType;
        Deliveries = deliveries;
    }

    /// <summary>The matching successful deliveries, in order.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries { get; }

    /// <summary>The first matching delivery.</summary>
    public WebhookDelivery Which => Deliveries.Count > 0 ? Deliveries[0] : throw new InvalidOperationException("No delivery matched.");

    /// <summary>Asserts exactly <paramref name="count"/> matching deliveries.</summary>
    public DeliveryConstraint Exactly(int count, string because = "", params object[] becauseArgs) =>
        Count(Deliveries.Count == count, $"exactly {count}", because, becauseArgs);

    /// <summary>Asserts exactly one matching delivery.</summary>
    public DeliveryConstraint Once(string because = "", params object[] becauseArgs) => Exactly(1, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="count"/> matching deliveries.</summary>
    public DeliveryConstraint AtLeast(int count, string because = "", params object[] becauseArgs) =>
        Count(Deliveries.Count >= count, $"at least {count}", because, becauseArgs);

    /// <summary>Keeps the deliveries sent to <paramref name="url"/> (absolute, or a prefix of it); asserts one remains.</summary>
    public DeliveryConstraint To(string url, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Narrow([.. Deliveries.Where(d => d.Url.AbsoluteUri.StartsWith(url, StringComparison.OrdinalIgnoreCase))], $"to {url}", because, becauseArgs);
    }

    /// <summary>Keeps the deliveries whose JSON body (a form body's <c>payload</c>) satisfies <paramref name="predicate"/>; asserts one remains.</summary>
    public DeliveryConstraint WithPayload(Func<JsonNode?, bool> predicate, string description = "matching payload", string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Narrow([.. Deliveries.Where(d => predicate(Payload(d)))], $"with {description}", because, becauseArgs);
    }

    private static JsonNode? Payload(WebhookDelivery delivery)
    {
        var text = System.Text.Encoding.UTF8.GetString(delivery.Message.Body.Span);
        if (text.StartsWith("payload=", StringComparison.Ordinal))
        {
            text = Uri.UnescapeDataString(text["payload=".Length..].Replace('+', ' '));
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private DeliveryConstraint Narrow(List<WebhookDelivery> kept, string description, string because, object[] becauseArgs)
    {
        if (kept.Count == 0)
        {
            AssertionMessages.Fail(
                $"Expected {_cloneId} to have delivered \"{_eventType}\" {description}{{reason}}, but none of the {Deliveries.Count} matching deliver{(Deliveries.Count == 1 ? "y" : "ies")} had it:{Environment.NewLine}{EventAssertions.Lines(Deliveries)}",
                because, becauseArgs);
        }

        return new DeliveryConstraint(And, _cloneId, _eventType, kept);
    }

    private DeliveryConstraint Count(bool ok, string expectation, string because, object[] becauseArgs)
    {
        if (!ok)
        {
            AssertionMessages.Fail(
                $"Expected {_cloneId} to have delivered \"{_eventType}\" {expectation} time(s){{reason}}, but found {Deliveries.Count}:{Environment.NewLine}{EventAssertions.Lines(Deliveries)}",
                because, becauseArgs);
        }

        return this;
    }
}
