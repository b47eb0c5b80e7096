using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// One session's Stripe data. Every object is kept in the exact JSON shape the API returns
/// (references to other objects as ids, never expanded), so a snapshot row is the object itself.
/// </summary>
/// <remarks>
/// Snapshot tables (one JSON array each, insertion order; every row has at least <c>id</c>,
/// <c>object</c>, <c>created</c> (epoch seconds), <c>livemode</c> and <c>metadata</c>):
/// <list type="bullet">
/// <item><c>customer</c>: email, name, phone, description, balance, invoice_settings.default_payment_method, …</item>
/// <item><c>product</c>: name, description, active, default_price, …</item>
/// <item><c>price</c>: product, unit_amount, currency, type (one_time/recurring), recurring, lookup_key, active, …</item>
/// <item><c>payment_method</c>: type, card (brand, last4, …), customer (null when detached), …</item>
/// <item><c>payment_intent</c>: amount, currency, status, customer, payment_method, latest_charge, amount_received,
/// amount_capturable, capture_method, last_payment_error, canceled_at, cancellation_reason, …</item>
/// <item><c>charge</c>: id, customer, amount, amount_captured, amount_refunded, refunded, captured, paid,
/// status (succeeded/failed), payment_intent, created, description, metadata, failure_code, outcome, …</item>
/// <item><c>refund</c>: amount, charge, payment_intent, reason, status, …</item>
/// <item><c>subscription</c>: customer, status (trialing/active/past_due/canceled/incomplete/…),
/// items.data[] (price, quantity, current_period_start/end), latest_invoice, cancel_at_period_end, canceled_at, …</item>
/// <item><c>invoice</c>: customer, subscription (via parent.subscription_details), status (draft/open/paid/uncollectible/void),
/// amount_due, amount_paid, amount_remaining, lines.data[], …</item>
/// <item><c>event</c>: type (for example <c>payment_intent.succeeded</c>), data.object, data.previous_attributes, request.</item>
/// </list>
/// </remarks>
public sealed class StripeState : CloneState
{
    private readonly DeterministicRandom _requestIds;
    private readonly Dictionary<string, IdempotentResult> _idempotency = new(StringComparer.Ordinal);
    private long _sequence;

    internal StripeState(CloneSeedContext seed) : base("stripe", seed)
    {
        _requestIds = new DeterministicRandom(StableHash.Combine(seed.RandomSeed, "stripe-request-ids"));
        Customers = CreateTable<StripeCustomer>("customer", o => o.Id, Project);
        Products = CreateTable<StripeProduct>("product", o => o.Id, Project);
        Prices = CreateTable<StripePrice>("price", o => o.Id, Project);
        PaymentMethods = CreateTable<StripePaymentMethod>("payment_method", o => o.Id, Project);
        PaymentIntents = CreateTable<StripePaymentIntent>("payment_intent", o => o.Id, Project);
        Charges = CreateTable<StripeCharge>("charge", o => o.Id, Project);
        Refunds = CreateTable<StripeRefund>("refund", o => o.Id, Project);
        Subscriptions = CreateTable<StripeSubscription>("subscription", o => o.Id, Project);
        Invoices = CreateTable<StripeInvoice>("invoice", o => o.Id, Project);
        Events = CreateTable<StripeEvent>("event", o => o.Id, Project);
        TestClocks = CreateTable<StripeTestClock>("test_clock", o => o.Id, Project);
        WebhookEndpoints = CreateTable<StripeWebhookEndpoint>("webhook_endpoint", o => o.Id, Project);
    }

    /// <summary>Test clocks (<c>clock_</c>): customers created with one, and their subscriptions and invoices, move with it.</summary>
    public EntityTable<StripeTestClock> TestClocks { get; }

    /// <summary>The account's retry schedule and what happens when the last retry fails (seed data <c>settings</c>).</summary>
    internal StripeBillingSettings Billing { get; set; } = StripeBillingSettings.Default;

    /// <summary>
    /// Notices sent ahead of time, each once: <c>customer.subscription.trial_will_end</c> per trial
    /// (<c>{subscription}@{trial_end}</c>) and <c>invoice.upcoming</c> per renewal (<c>upcoming:{subscription}@{period_end}</c>).
    /// </summary>
    internal HashSet<string> NoticesSent { get; } = new(StringComparer.Ordinal);

    /// <summary>When seeding finished (unix seconds): the session clock fires only what falls due from then on.</summary>
    internal long SeededAt
    {
        get;
        set
        {
            field = value;
            _dueEpoch++;
        }
    } = long.MinValue;

    /// <inheritdoc />
    /// <remarks>The next renewal, trial end, invoice finalization or payment retry of an object without a test clock.</remarks>
    public override DateTimeOffset? NextDueAt
    {
        get
        {
            // Read before every call: scan subscriptions and invoices again only when one of them changed.
            var version = (Subscriptions.Version, Invoices.Version, _dueEpoch);
            if (_nextDue.Version != version)
            {
                _nextDue = (version, StripeBilling.NextDue(this, null, SeededAt));
            }

            return _nextDue.At is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null;
        }
    }

    /// <summary>Records that a notice (<see cref="NoticesSent"/>) was sent.</summary>
    internal void MarkNoticeSent(string key)
    {
        NoticesSent.Add(key);
        _dueEpoch++;
    }

    private long _dueEpoch;

    private ((long, long, long) Version, long? At) _nextDue = ((-1, -1, -1), null);

    /// <inheritdoc />
    public override void RunDue(DateTimeOffset now) => StripeBilling.RunDue(this, null, now.ToUnixTimeSeconds(), SeededAt);

    /// <summary>
    /// While a request or a test clock works on objects of a test clock, their time is the clock's <c>frozen_time</c>
    /// (https://docs.stripe.com/billing/testing/test-clocks/api-advanced-usage). Dispose to restore.
    /// </summary>
    internal ClockScope AtClockOf(string? testClock) =>
        testClock is not null && TestClocks.Find(testClock) is { } clock
            ? new ClockScope(this, DateTimeOffset.FromUnixTimeSeconds(clock.FrozenTime))
            : new ClockScope(this, NowOverride);

    internal readonly struct ClockScope : IDisposable
    {
        private readonly StripeState _state;
        private readonly DateTimeOffset? _saved;

        public ClockScope(StripeState state, DateTimeOffset? now)
        {
            _state = state;
            _saved = state.NowOverride;
            state.NowOverride = now;
        }

        public void Dispose() => _state.NowOverride = _saved;
    }

    /// <summary>Customers (<c>cus_</c>). Deleted customers are removed.</summary>
    public EntityTable<StripeCustomer> Customers { get; }

    /// <summary>Products (<c>prod_</c>).</summary>
    public EntityTable<StripeProduct> Products { get; }

    /// <summary>Prices (<c>price_</c>).</summary>
    public EntityTable<StripePrice> Prices { get; }

    /// <summary>Payment methods (<c>pm_</c>), attached or not.</summary>
    public EntityTable<StripePaymentMethod> PaymentMethods { get; }

    /// <summary>Payment intents (<c>pi_</c>).</summary>
    public EntityTable<StripePaymentIntent> PaymentIntents { get; }

    /// <summary>Charges (<c>ch_</c>), created by payment intents.</summary>
    public EntityTable<StripeCharge> Charges { get; }

    /// <summary>Refunds (<c>re_</c>).</summary>
    public EntityTable<StripeRefund> Refunds { get; }

    /// <summary>Subscriptions (<c>sub_</c>) with their items.</summary>
    public EntityTable<StripeSubscription> Subscriptions { get; }

    /// <summary>Invoices (<c>in_</c>) with their lines.</summary>
    public EntityTable<StripeInvoice> Invoices { get; }

    /// <summary>Events (<c>evt_</c>), one per state change.</summary>
    public EntityTable<StripeEvent> Events { get; }

    /// <summary>Webhook endpoints (<c>we_</c>); every event is delivered to those that enable it (StripeWebhookEndpoints.cs).</summary>
    internal EntityTable<StripeWebhookEndpoint> WebhookEndpoints { get; }

    /// <summary>Each webhook endpoint's signing secret (<c>whsec_…</c>), kept out of the snapshot.</summary>
    internal Dictionary<string, string> WebhookSecrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids of deleted customers (retrieving one answers the deleted stub).</summary>
    internal HashSet<string> DeletedCustomers { get; } = new(StringComparer.Ordinal);

    /// <summary>The PaymentIntent that last tried to pay each invoice (for pre-2025-03-31 <c>invoice.payment_intent</c>).</summary>
    internal Dictionary<string, string> InvoicePayments { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A decline a fault rule injected into the current call (null between calls): the next payment attempt of the call
    /// declines with it, as a declining card would (see <see cref="StripeFaults"/>).
    /// </summary>
    internal StripePaymentMethods.TestCard? InjectedDecline { get; set; }

    /// <summary>While seeding, objects are back-dated to this instant instead of the clock's now.</summary>
    internal DateTimeOffset? NowOverride { get; set; }

    /// <summary>The request being served (events record it).</summary>
    internal StripeRequestInfo? CurrentRequest { get; set; }

    internal DateTimeOffset Now => NowOverride ?? Time.GetUtcNow();

    internal long NowSeconds => Now.ToUnixTimeSeconds();

    internal long NextSequence() => ++_sequence;

    /// <summary>A Stripe-style id: prefix plus mixed-case alphanumerics.</summary>
    internal string NewId(string prefix, int length = 24) => prefix + Random.NextAlphanumeric(length);

    internal string NewRequestId() => "req_" + _requestIds.NextAlphanumeric(14);

    internal IdempotentResult? FindIdempotent(string key)
    {
        if (_idempotency.TryGetValue(key, out var result) && Time.GetUtcNow() - result.StoredAt < TimeSpan.FromHours(24))
        {
            return result;
        }

        _idempotency.Remove(key);
        return null;
    }

    internal void StoreIdempotent(string key, IdempotentResult result) => _idempotency[key] = result;

    /// <summary>Finds any object by id across tables (for expansion).</summary>
    internal StripeObject? FindAny(string id)
    {
        var underscore = id.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0)
        {
            return null;
        }

        return id[..underscore] switch
        {
            "cus" => Customers.Find(id),
            "prod" => Products.Find(id),
            "price" => Prices.Find(id),
            "pm" => PaymentMethods.Find(id),
            "pi" => PaymentIntents.Find(id),
            "ch" => Charges.Find(id),
            "re" => Refunds.Find(id),
            "sub" => Subscriptions.Find(id),
            "in" => Invoices.Find(id),
            "evt" => Events.Find(id),
            "clock" => TestClocks.Find(id),
            _ => null,
        };
    }

    /// <summary>Adds a new object and emits its <c>*.created</c> event (when <paramref name="eventType"/> is given).</summary>
    internal T Create<T>(EntityTable<T> table, T obj, string? eventType) where T : StripeObject
    {
        table.Add(obj);
        if (eventType is not null)
        {
            Emit(eventType, obj, null);
        }

        return obj;
    }

    /// <summary>
    /// Changes an object through its table (so the trace records it) and emits <paramref name="eventType"/>
    /// with <c>previous_attributes</c> when anything changed.
    /// </summary>
    internal T Change<T>(EntityTable<T> table, T obj, Action<JsonObject> change, string? eventType) where T : StripeObject
    {
        if (eventType is null)
        {
            table.Update(obj, o => change(o.Json));
            return obj;
        }

        var before = (JsonObject)obj.Json.DeepClone();
        table.Update(obj, o => change(o.Json));

        var previous = new JsonObject();
        foreach (var (name, value) in before)
        {
            if (!obj.Json.TryGetPropertyValue(name, out var now) || !JsonNode.DeepEquals(value, now))
            {
                previous[name] = value?.DeepClone();
            }
        }

        if (previous.Count > 0)
        {
            Emit(eventType, obj, previous);
        }

        return obj;
    }

    /// <summary>Records an event about <paramref name="obj"/>.</summary>
    internal void Emit(string type, StripeObject obj, JsonObject? previousAttributes) => Emit(type, (JsonObject)obj.Json.DeepClone(), previousAttributes);

    /// <summary>Records an event whose <c>data.object</c> is <paramref name="value"/> (an object Stripe does not store, such as an upcoming invoice).</summary>
    internal void Emit(string type, JsonObject value, JsonObject? previousAttributes)
    {
        var listening = StripeWebhookEndpoints.Listening(this, type);
        var data = new JsonObject { ["object"] = value };
        if (previousAttributes is not null)
        {
            data["previous_attributes"] = previousAttributes;
        }

        var json = new JsonObject
        {
            ["id"] = NewId("evt_"),
            ["object"] = "event",
            ["api_version"] = CurrentRequest?.ApiVersion ?? StripeClone.DefaultApiVersion,
            ["created"] = NowSeconds,
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = listening.Count,
            ["request"] = new JsonObject
            {
                ["id"] = CurrentRequest?.RequestId,
                ["idempotency_key"] = CurrentRequest?.IdempotencyKey,
            },
            ["type"] = type,
        };
        Events.Add(new StripeEvent(json, NextSequence()));
        StripeWebhookEndpoints.Send(this, json, listening);
    }

    private static JsonObject Project(StripeObject o) => o.Snapshot();

    /// <summary>Freezes every object: the copies of a shared seed or snapshot share their text and thaw what they read.</summary>
    internal override void Freeze()
    {
        IEnumerable<StripeObject>[] tables =
        [
            Customers.Items, Products.Items, Prices.Items, PaymentMethods.Items, PaymentIntents.Items, Charges.Items, Refunds.Items,
            Subscriptions.Items, Invoices.Items, Events.Items, TestClocks.Items, WebhookEndpoints.Items,
        ];
        foreach (var obj in tables.SelectMany(t => t))
        {
            obj.Freeze();
        }
    }
}

/// <summary>What the current request looks like to event records.</summary>
internal sealed record StripeRequestInfo(string RequestId, string? IdempotencyKey, string ApiVersion);

/// <summary>A stored first response for an idempotency key.</summary>
internal sealed record IdempotentResult(string Fingerprint, int Status, string Body, DateTimeOffset StoredAt);

/// <summary>
/// A Stripe API object kept in its API JSON form. Change it only through
/// <see cref="EntityTable{T}.Update"/> (the clone does) so the trace records the mutation.
/// </summary>
public abstract class StripeObject
{
    // The object is either live (_json) or frozen (_frozen, shared by the copies of a seed template or snapshot); a copy
    // thaws it on first read, so a session pays only for the objects it reads. Id and creation time never change: they are
    // read once, at creation, and stay readable without thawing (lists sort and page by them).
    private JsonObject? _json;
    private FrozenJson? _frozen;
    private readonly string _id;
    private readonly long _created;

    private protected StripeObject(JsonObject json, long sequence)
    {
        _json = json;
        _id = json["id"]!.GetValue<string>();
        _created = GetInt64("created") ?? 0;
        Sequence = sequence;
    }

    /// <summary>The object as the API returns it (references as ids).</summary>
    public JsonObject Json => _json ??= _frozen!.Thaw();

    /// <summary>The object's id.</summary>
    public string Id => _id;

    /// <summary>When the object was created (epoch seconds).</summary>
    public long Created => _created;

    /// <summary>A copy of the object as JSON (for snapshots), without thawing a frozen one.</summary>
    internal JsonObject Snapshot() => _json is { } json ? (JsonObject)json.DeepClone() : _frozen!.Thaw();

    /// <summary>Keeps the object as shared, immutable text until it is next read (see <see cref="StripeState.Freeze"/>).</summary>
    internal void Freeze()
    {
        if (_json is { } json)
        {
            _frozen = new FrozenJson(json);
            _json = null;
        }
    }

    /// <summary>The object's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata =>
        Json["metadata"] is JsonObject metadata
            ? metadata.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>Creation order within the session (breaks ties between equal <see cref="Created"/> values).</summary>
    internal long Sequence { get; }

    /// <summary>A top-level string field, or null.</summary>
    public string? GetString(string field) =>
        Json[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A top-level integer field, or null.</summary>
    public long? GetInt64(string field) =>
        Json[field] is JsonValue value && value.TryGetValue<long>(out var number) ? number
        : Json[field] is JsonValue other && other.TryGetValue<int>(out var small) ? small
        : null;

    /// <summary>A top-level boolean field (false when absent).</summary>
    public bool GetBoolean(string field) =>
        Json[field] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}

/// <summary>A customer (<c>cus_</c>).</summary>
public sealed class StripeCustomer : StripeObject
{
    internal StripeCustomer(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The email.</summary>
    public string? Email => GetString("email");

    /// <summary>The name.</summary>
    public string? Name => GetString("name");

    /// <summary>The default payment method for invoices and subscriptions.</summary>
    public string? DefaultPaymentMethod => Json["invoice_settings"]?["default_payment_method"]?.GetValue<string>();
}

/// <summary>A product (<c>prod_</c>).</summary>
public sealed class StripeProduct : StripeObject
{
    internal StripeProduct(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The name.</summary>
    public string? Name => GetString("name");
}

/// <summary>A price (<c>price_</c>).</summary>
public sealed class StripePrice : StripeObject
{
    internal StripePrice(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The unit amount in the currency's smallest unit.</summary>
    public long UnitAmount => GetInt64("unit_amount") ?? 0;

    /// <summary>The product id.</summary>
    public string Product => GetString("product")!;

    /// <summary>Whether the price is recurring.</summary>
    public bool IsRecurring => GetString("type") == "recurring";
}

/// <summary>A payment method (<c>pm_</c>).</summary>
public sealed class StripePaymentMethod : StripeObject
{
    internal StripePaymentMethod(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The customer it is attached to, or null.</summary>
    public string? Customer => GetString("customer");

    /// <summary>The card's last four digits.</summary>
    public string? Last4 => Json["card"]?["last4"]?.GetValue<string>();
}

/// <summary>A payment intent (<c>pi_</c>).</summary>
public sealed class StripePaymentIntent : StripeObject
{
    internal StripePaymentIntent(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The status (requires_payment_method, requires_confirmation, requires_action, processing, requires_capture, succeeded, canceled).</summary>
    public string Status => GetString("status")!;

    /// <summary>The amount.</summary>
    public long Amount => GetInt64("amount") ?? 0;
}

/// <summary>A charge (<c>ch_</c>).</summary>
public sealed class StripeCharge : StripeObject
{
    internal StripeCharge(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The status (succeeded, pending, failed).</summary>
    public string Status => GetString("status")!;

    /// <summary>The amount.</summary>
    public long Amount => GetInt64("amount") ?? 0;

    /// <summary>The amount refunded (including released uncaptured funds).</summary>
    public long AmountRefunded => GetInt64("amount_refunded") ?? 0;
}

/// <summary>A refund (<c>re_</c>).</summary>
public sealed class StripeRefund : StripeObject
{
    internal StripeRefund(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The amount.</summary>
    public long Amount => GetInt64("amount") ?? 0;
}

/// <summary>A subscription (<c>sub_</c>).</summary>
public sealed class StripeSubscription : StripeObject
{
    internal StripeSubscription(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The status.</summary>
    public string Status => GetString("status")!;

    /// <summary>The customer id.</summary>
    public string Customer => GetString("customer")!;
}

/// <summary>An invoice (<c>in_</c>).</summary>
public sealed class StripeInvoice : StripeObject
{
    internal StripeInvoice(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The status (draft, open, paid, uncollectible, void).</summary>
    public string Status => GetString("status")!;
}

/// <summary>An event (<c>evt_</c>).</summary>
public sealed class StripeEvent : StripeObject
{
    internal StripeEvent(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The event type (for example <c>charge.succeeded</c>).</summary>
    public string Type => GetString("type")!;
}
