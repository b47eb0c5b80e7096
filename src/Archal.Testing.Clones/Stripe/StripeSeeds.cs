using System.Globalization;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Bogus;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// The Stripe clone's named seeds and its seed-data format. Everything is generated from the session's
/// random seed and back-dated against the host clock, so the same seed gives the same objects.
/// </summary>
/// <remarks>
/// <para>Named seeds:</para>
/// <list type="bullet">
/// <item><c>empty</c>: no objects.</item>
/// <item><c>small-business</c>: 3 products (one monthly plan), 8 customers with a default Visa, ~12 one-off charges over
/// the last 60 days (one fully refunded, one partially refunded, one declined).</item>
/// <item><c>checkout-flow</c>: a shop (T-shirt, Mug, Hoodie with lookup keys <c>tshirt</c>, <c>mug</c>, <c>hoodie</c>),
/// 3 customers, an abandoned payment intent (requires_payment_method), an authorized one (requires_capture) and two paid orders.</item>
/// <item><c>subscription-heavy</c>: Starter / Pro / Enterprise plans (monthly and yearly), 25 customers with subscriptions
/// (mostly active with paid renewal invoices, some trialing, some canceled).</item>
/// <item><c>subscription-lifecycle</c>: one subscription in each state: <c>tina.trial@example.com</c> (trialing),
/// <c>alex.active@example.com</c> (active), <c>pat.pastdue@example.com</c> (past_due: the default card is now
/// <c>pm_card_chargeCustomerFail</c> and the renewal invoice is open after a declined attempt),
/// <c>casey.canceled@example.com</c> (canceled).</item>
/// </list>
/// <para>Seed data (<see cref="CloneSeedContext.Data"/>) is applied on top of the named seed:</para>
/// <code>
/// {
///   "customers": [{ "id"?: "cus_…", "email": "…", "name"?: "…", "phone"?: "…", "description"?: "…", "metadata"?: {…},
///                   "payment_method"?: "pm_card_visa" (the default; null for no card) }],
///   "products":  [{ "id"?: "prod_…", "name": "…", "description"?: "…", "active"?: true, "metadata"?: {…} }],
///   "prices":    [{ "id"?: "price_…", "product": "prod id or product name", "unit_amount": 2000, "currency"?: "usd",
///                   "recurring"?: { "interval": "month", "interval_count"?: 1 }, "lookup_key"?: "…", "nickname"?: "…" }],
///   "charges":   [{ "customer": "email or cus id", "amount": 5000, "currency"?: "usd", "description"?: "…",
///                   "days_ago"?: 3, "refunded"?: true | amount, "metadata"?: {…} }],
///   "subscriptions": [{ "customer": "email or cus id", "price": "price id or lookup key",
///                   "status"?: "active" | "trialing" | "past_due" | "canceled", "days_ago"?: 40, "trial_days"?: 14,
///                   "canceled_days_ago"?: 1 }],
///   "settings": [{ "retry_days"?: [3, 5, 7], "after_final_retry"?: "cancel" | "unpaid" | "past_due", "upcoming_renewal_days"?: 7 }]
/// }
/// </code>
/// <para>A declared charge gets a succeeded PaymentIntent (with a Visa payment method) behind it, created
/// <c>days_ago</c> days before now; <c>refunded: true</c> refunds it in full, a number refunds that amount.
/// A declared subscription starts <c>days_ago</c> days ago (default 40; 1 when trialing) with every renewal since
/// paid; <c>past_due</c> makes the latest renewal decline (the default card becomes <c>pm_card_chargeCustomerFail</c>)
/// and leaves its invoice open;
/// <c>canceled</c> cancels it <c>canceled_days_ago</c> days ago. <c>settings</c> (one row) is the account's retry
/// schedule for failed subscription payments: retry <c>retry_days</c> days after each failed attempt, then cancel the
/// subscription, mark it <c>unpaid</c> or leave it <c>past_due</c> (default: 3, 5, 7 days, then cancel).
/// Unspecified fields are filled deterministically. A reference to a customer or product that does not exist
/// (in the named seed or earlier in the data) throws <see cref="CloneSeedException"/> naming it.</para>
/// <para>A <c>state</c> object (an exported state, <see cref="StripeClone.ExportSeedData"/>) replaces the named seed: the
/// account starts with exactly its objects and bookkeeping, and the lists above are applied on top.</para>
/// </remarks>
public static class StripeSeeds
{
    /// <summary>The named seeds.</summary>
    public static IReadOnlyList<string> Names { get; } = [Empty, SmallBusiness, CheckoutFlow, SubscriptionHeavy, SubscriptionLifecycle];

    /// <summary>No objects.</summary>
    public const string Empty = "empty";

    /// <summary>3 products, 8 customers with a default Visa and about 12 one-off charges.</summary>
    public const string SmallBusiness = "small-business";

    /// <summary>A shop (T-shirt, Mug, Hoodie with lookup keys) for checkout flows.</summary>
    public const string CheckoutFlow = "checkout-flow";

    /// <summary>Starter / Pro / Enterprise plans and 25 customers with subscriptions.</summary>
    public const string SubscriptionHeavy = "subscription-heavy";

    /// <summary>One subscription in each state: trialing, active, past_due, canceled.</summary>
    public const string SubscriptionLifecycle = "subscription-lifecycle";

    internal static StripeState Create(CloneSeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = new StripeState(context);
        var builder = new Builder(state);
        // An exported state (StripeSeedExport) replaces the named seed: the file holds the whole account.
        var exported = SeedDataExport.Split(context.Data, "Stripe", out var rest);
        switch (exported is not null && Names.Contains(context.SeedName) ? null : context.SeedName)
        {
            case null:
                StripeSeedExport.Load(state, exported!);
                break;
            case "empty":
                break;
            case "small-business":
                builder.SmallBusiness();
                break;
            case "checkout-flow":
                builder.CheckoutFlow();
                break;
            case "subscription-heavy":
                builder.SubscriptionHeavy();
                break;
            case "subscription-lifecycle":
                builder.SubscriptionLifecycle();
                break;
            default:
                throw new CloneSeedException($"Stripe has no seed named '{context.SeedName}'. Known seeds: {string.Join(", ", Names)}.");
        }

        if (rest is { } data)
        {
            builder.ApplyData(data);
        }

        state.NowOverride = null;
        state.SeededAt = state.NowSeconds;
        return state;
    }

    private sealed class Builder
    {
        private readonly StripeState _state;
        // Building a Faker costs ~0.75 MB and ~2 ms: only seeds that generate names build one.
        private readonly Lazy<Faker> _lazyFaker;
        private readonly DateTimeOffset _now;

        public Builder(StripeState state)
        {
            _state = state;
            _now = state.Time.GetUtcNow();
            _lazyFaker = new(() => new Faker { Random = new Randomizer(StableHash.Combine(state.Seed.RandomSeed, "stripe-seed-data")) });
        }

        private Faker Fake => _lazyFaker.Value;

        private void At(DateTimeOffset when) => _state.NowOverride = when;

        private DateTimeOffset DaysAgo(double days) => _now.AddDays(-days);

        public StripeCustomer Customer(string? email, string? name, string? id = null, string? card = "pm_card_visa")
        {
            var first = Fake.Name.FirstName();
            var last = Fake.Name.LastName();
            name ??= $"{first} {last}";
            email ??= $"{first}.{last}@example.com".ToLowerInvariant().Replace("'", "", StringComparison.Ordinal);
            var json = StripeCustomers.New(_state, id ?? _state.NewId("cus_", 14), email, name);
            var customer = _state.Create(_state.Customers, new StripeCustomer(json, _state.NextSequence()), "customer.created");
            if (card is not null)
            {
                AttachDefault(customer, card);
            }

            return customer;
        }

        public StripePaymentMethod AttachDefault(StripeCustomer customer, string token)
        {
            var test = StripePaymentMethods.TestCards.FirstOrDefault(c => c.Token == token)
                ?? throw new CloneSeedException($"Stripe seed data names the unknown test payment method '{token}'. Known: {string.Join(", ", StripePaymentMethods.TestCards.Select(c => c.Token))}.");
            var billing = new JsonObject
            {
                ["address"] = new JsonObject { ["city"] = null, ["country"] = null, ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null },
                ["email"] = customer.Email,
                ["name"] = customer.Name,
                ["phone"] = null,
                ["tax_id"] = null,
            };
            var method = StripePaymentMethods.CreateFromCard(_state, test, billing);
            _state.Change(_state.PaymentMethods, method, json => json["customer"] = customer.Id, null);
            _state.Emit("payment_method.attached", method, null);
            _state.Change(_state.Customers, customer, json => json["invoice_settings"]!["default_payment_method"] = method.Id, "customer.updated");
            return method;
        }

        public StripeProduct Product(string name, string? description = null, string? id = null)
        {
            var json = StripeProducts.NewProduct(_state, id ?? _state.NewId("prod_", 14), name);
            json["description"] = description;
            return _state.Create(_state.Products, new StripeProduct(json, _state.NextSequence()), "product.created");
        }

        public StripePrice Price(StripeProduct product, long amount, string? interval = null, string? lookupKey = null,
            string currency = "usd", string? id = null, long intervalCount = 1, string? nickname = null)
        {
            JsonObject? recurring = interval is null ? null : new JsonObject
            {
                ["interval"] = interval,
                ["interval_count"] = intervalCount,
                ["meter"] = null,
                ["trial_period_days"] = null,
                ["usage_type"] = "licensed",
            };
            var json = StripeProducts.NewPriceJson(_state, id ?? _state.NewId("price_1", 23), product.Id, currency, amount, recurring);
            json["lookup_key"] = lookupKey;
            json["nickname"] = nickname;
            var price = _state.Create(_state.Prices, new StripePrice(json, _state.NextSequence()), "price.created");
            if (product.GetString("default_price") is null)
            {
                _state.Change(_state.Products, product, p => p["default_price"] = price.Id, null);
            }

            return price;
        }

        /// <summary>A payment intent confirmed with <paramref name="card"/> (declines leave a failed charge).</summary>
        public StripePaymentIntent Payment(StripeCustomer? customer, long amount, string currency, string? description,
            string card = "pm_card_visa", bool manualCapture = false, bool confirm = true)
        {
            var json = StripePaymentIntents.New(_state, _state.NewId("pi_3", 23), amount, currency, customer?.Id);
            json["description"] = description;
            if (manualCapture)
            {
                json["capture_method"] = "manual";
            }

            var intent = _state.Create(_state.PaymentIntents, new StripePaymentIntent(json, _state.NextSequence()), "payment_intent.created");
            if (!confirm)
            {
                return intent;
            }

            var method = customer?.DefaultPaymentMethod is { } pm && card == "pm_card_visa"
                ? _state.PaymentMethods.Find(pm)!
                : StripePaymentMethods.CreateFromCard(_state, StripePaymentMethods.TestCards.First(c => c.Token == card));
            _state.Change(_state.PaymentIntents, intent, j =>
            {
                j["payment_method"] = method.Id;
                j["status"] = "requires_confirmation";
            }, null);
            try
            {
                StripePaymentIntents.Attempt(_state, intent, method, offSession: false, errorOnRequiresAction: false);
            }
            catch (StripeApiException)
            {
                // A declined seed payment stays declined: failed charge, requires_payment_method.
            }

            return intent;
        }

        public void Refund(StripePaymentIntent intent, long? amount, string? reason = "requested_by_customer")
        {
            var charge = _state.Charges.Find(intent.GetString("latest_charge")!)!;
            StripeRefunds.Refund(_state, charge, amount, reason, null);
        }

        public StripeSubscription Subscription(StripeCustomer customer, StripePrice price, DateTimeOffset start, int? trialDays = null)
        {
            At(start);
            long? trialEnd = trialDays is { } days ? start.AddDays(days).ToUnixTimeSeconds() : null;
            var subscription = StripeSubscriptions.Build(_state, customer.Id, [new StripeSubscriptions.NewItem(price, 1, null)],
                trialEnd, "charge_automatically", null, null, null);
            StripeSubscriptions.Start(_state, subscription, customer.DefaultPaymentMethod, defaultIncomplete: false);
            return subscription;
        }

        /// <summary>Bills every period that has ended by now; a declined renewal leaves the subscription past_due.</summary>
        public void Renew(StripeSubscription subscription, StripePaymentMethod? failWith = null, int maxPeriods = int.MaxValue)
        {
            var periods = 0;
            while (periods++ < maxPeriods && subscription.Status is "active" or "trialing")
            {
                var item = subscription.Json["items"]!["data"]![0]!;
                var periodEnd = item["current_period_end"]!.GetValue<long>();
                if (periodEnd > _now.ToUnixTimeSeconds())
                {
                    return;
                }

                var start = DateTimeOffset.FromUnixTimeSeconds(periodEnd);
                At(start);
                var price = _state.Prices.Find(item["price"]!["id"]!.GetValue<string>())!;
                var end = StripeSubscriptions.PeriodEnd(start, price);
                _state.Change(_state.Subscriptions, subscription, json =>
                {
                    foreach (var i in json["items"]!["data"]!.AsArray())
                    {
                        i!["current_period_start"] = periodEnd;
                        i["current_period_end"] = end;
                    }
                }, "customer.subscription.updated");
                var line = new StripeInvoices.Line(price, item["quantity"]!.GetValue<long>(), item["id"]!.GetValue<string>(), periodEnd, end, false);
                var invoice = StripeInvoices.CreateDraft(_state, subscription, "subscription_cycle", [line], periodEnd, periodEnd);
                StripeInvoices.FinalizeDraft(_state, invoice);
                var method = failWith ?? _state.PaymentMethods.Find(_state.Customers.Find(subscription.Customer)!.DefaultPaymentMethod!)!;
                var declined = StripeInvoices.Charge(_state, invoice, method, "Subscription update") is not null;
                var status = declined ? "past_due" : "active";
                _state.Change(_state.Subscriptions, subscription, json =>
                {
                    json["status"] = status;
                    json["latest_invoice"] = invoice.Id;
                }, "customer.subscription.updated");
            }
        }

        public void Cancel(StripeSubscription subscription, DateTimeOffset when, string? feedback = null)
        {
            At(when);
            var at = when.ToUnixTimeSeconds();
            _state.Change(_state.Subscriptions, subscription, json =>
            {
                json["status"] = "canceled";
                json["canceled_at"] = at;
                json["ended_at"] = at;
                json["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = feedback, ["reason"] = "cancellation_requested" };
            }, null);
            _state.Emit("customer.subscription.deleted", subscription, null);
        }

        public void SmallBusiness()
        {
            At(DaysAgo(120));
            var consulting = Product("Consulting Hour", "One hour of senior consulting.");
            var consultingPrice = Price(consulting, 15000, lookupKey: "consulting_hour");
            var care = Product("Website Care Plan", "Monthly hosting, updates and support.");
            Price(care, 4900, "month", "care_monthly");
            var logo = Product("Logo Design", "A logo with three rounds of revisions.");
            var logoPrice = Price(logo, 40000, lookupKey: "logo_design");
            At(DaysAgo(90));
            var customers = Enumerable.Range(0, 8).Select(_ => Customer(null, null)).ToList();
            var intents = new List<StripePaymentIntent>();
            for (var i = 0; i < 12; i++)
            {
                At(DaysAgo(60 - (i * 5) - Fake.Random.Double(0, 4)));
                var customer = customers[Fake.Random.Int(0, customers.Count - 1)];
                var price = Fake.Random.Bool(0.7f) ? consultingPrice : logoPrice;
                var hours = price == consultingPrice ? Fake.Random.Int(1, 6) : 1;
                intents.Add(Payment(customer, price.UnitAmount * hours, "usd",
                    price == consultingPrice ? $"Consulting: {hours} hour{(hours == 1 ? "" : "s")}" : "Logo design"));
            }

            At(DaysAgo(20));
            Refund(intents[2], null);
            At(DaysAgo(8));
            Refund(intents[7], intents[7].Amount / 2);
            At(DaysAgo(4));
            Payment(customers[3], 15000, "usd", "Consulting: 1 hour", "pm_card_chargeDeclinedInsufficientFunds");
        }

        public void CheckoutFlow()
        {
            At(DaysAgo(30));
            foreach (var (name, amount, key) in new[] { ("T-shirt", 2500L, "tshirt"), ("Mug", 1200L, "mug"), ("Hoodie", 5500L, "hoodie") })
            {
                Price(Product(name, $"Archal {name.ToLowerInvariant()}"), amount, lookupKey: key);
            }

            At(DaysAgo(14));
            var jenny = Customer("jenny.rosen@example.com", "Jenny Rosen");
            var sam = Customer("sam.shopper@example.com", "Sam Shopper");
            Customer("new.visitor@example.com", "Nova Visitor", card: null);
            At(DaysAgo(10));
            Payment(jenny, 2500 + 1200, "usd", "Order #1001");
            At(DaysAgo(6));
            Payment(sam, 5500, "usd", "Order #1002");
            At(DaysAgo(2));
            Payment(sam, 2500, "usd", "Order #1003 (awaiting capture)", manualCapture: true);
            At(DaysAgo(1));
            Payment(jenny, 5500, "usd", "Order #1004 (abandoned cart)", confirm: false);
        }

        public void SubscriptionHeavy()
        {
            At(DaysAgo(400));
            var plans = new List<StripePrice>();
            foreach (var (name, monthly, yearly) in new[] { ("Starter", 1900L, 19000L), ("Pro", 4900L, 49000L), ("Enterprise", 19900L, 0L) })
            {
                var product = Product(name, $"The {name} plan.");
                plans.Add(Price(product, monthly, "month", $"{name.ToLowerInvariant()}_monthly", nickname: $"{name} monthly"));
                if (yearly > 0)
                {
                    plans.Add(Price(product, yearly, "year", $"{name.ToLowerInvariant()}_yearly", nickname: $"{name} yearly"));
                }
            }

            for (var i = 0; i < 25; i++)
            {
                var start = DaysAgo(Fake.Random.Int(5, 300) + Fake.Random.Double(0, 1));
                At(start);
                var customer = Customer(null, null);
                var price = plans[Fake.Random.WeightedRandom([0, 1, 2, 3, 4], [0.35f, 0.1f, 0.3f, 0.1f, 0.15f])];
                var roll = i % 10;
                var subscription = Subscription(customer, price, start, trialDays: roll == 3 && start > DaysAgo(14) ? 14 : null);
                if (roll == 7)
                {
                    Renew(subscription, maxPeriods: 1);
                    Cancel(subscription, DateTimeOffset.FromUnixTimeSeconds(Math.Min(_now.ToUnixTimeSeconds() - 3600, subscription.Created + (40 * 86400))),
                        "too_expensive");
                }
                else
                {
                    Renew(subscription);
                }
            }
        }

        public void SubscriptionLifecycle()
        {
            At(DaysAgo(200));
            var product = Product("Team Plan", "Collaboration for small teams.");
            var monthly = Price(product, 2900, "month", "team_monthly", nickname: "Team monthly");
            At(DaysAgo(3));
            var tina = Customer("tina.trial@example.com", "Tina Trial");
            Subscription(tina, monthly, DaysAgo(3), trialDays: 14);

            At(DaysAgo(40));
            var alex = Customer("alex.active@example.com", "Alex Active");
            Renew(Subscription(alex, monthly, DaysAgo(40)));

            At(DaysAgo(35));
            var pat = Customer("pat.pastdue@example.com", "Pat Pastdue");
            var patSubscription = Subscription(pat, monthly, DaysAgo(35));
            At(DaysAgo(6));
            // The card on file now declines: 4000000000000341 attaches fine and fails when charged.
            var failing = AttachDefault(pat, "pm_card_chargeCustomerFail");
            Renew(patSubscription, failing);

            At(DaysAgo(75));
            var casey = Customer("casey.canceled@example.com", "Casey Canceled");
            var caseySubscription = Subscription(casey, monthly, DaysAgo(75));
            Renew(caseySubscription, maxPeriods: 1);
            Cancel(caseySubscription, DaysAgo(10), "unused");
        }

        public void ApplyData(JsonObject data)
        {
            At(_now);
            if (Items(data, "settings") is { Count: > 0 } settings)
            {
                _state.Billing = settings.Count == 1
                    ? StripeBillingSettings.From(settings[0])
                    : throw new CloneSeedException("Stripe seed data: 'settings' holds one row (retry_days, after_final_retry, upcoming_renewal_days).");
            }

            foreach (var node in Items(data, "customers"))
            {
                var email = Text(node, "email", "customers");
                var card = node.ContainsKey("payment_method") && node["payment_method"] is null ? null : OptionalText(node, "payment_method") ?? "pm_card_visa";
                var customer = Customer(email, OptionalText(node, "name"), Unused(_state.Customers, OptionalText(node, "id"), "customer"), card);
                _state.Change(_state.Customers, customer, json =>
                {
                    foreach (var field in (string[])["phone", "description"])
                    {
                        if (OptionalText(node, field) is { } value)
                        {
                            json[field] = value;
                        }
                    }

                    if (node["metadata"] is JsonObject metadata)
                    {
                        json["metadata"] = metadata.DeepClone();
                    }
                }, null);
            }

            foreach (var node in Items(data, "products"))
            {
                var product = Product(Text(node, "name", "products"), OptionalText(node, "description"), Unused(_state.Products, OptionalText(node, "id"), "product"));
                _state.Change(_state.Products, product, json =>
                {
                    if (node["active"] is JsonValue active)
                    {
                        json["active"] = active.GetValue<bool>();
                    }

                    if (node["metadata"] is JsonObject metadata)
                    {
                        json["metadata"] = metadata.DeepClone();
                    }
                }, null);
            }

            foreach (var node in Items(data, "prices"))
            {
                var productRef = Text(node, "product", "prices");
                var product = _state.Products.Find(productRef)
                    ?? _state.Products.Items.FirstOrDefault(p => p.Name == productRef)
                    ?? throw new CloneSeedException($"Stripe seed data: price refers to product '{productRef}', which is neither a product id nor a product name in this seed.");
                var amount = Number(node, "unit_amount", "prices") ?? throw new CloneSeedException("Stripe seed data: every price needs a 'unit_amount'.");
                var recurring = node["recurring"] as JsonObject;
                var interval = recurring is null ? null : OptionalText(recurring, "interval") ?? "month";
                Price(product, amount, interval, OptionalText(node, "lookup_key"), OptionalText(node, "currency") ?? "usd",
                    Unused(_state.Prices, OptionalText(node, "id"), "price"), recurring is null ? 1 : Number(recurring, "interval_count", "prices") ?? 1, OptionalText(node, "nickname"));
            }

            foreach (var node in Items(data, "charges"))
            {
                var customer = FindCustomer(Text(node, "customer", "charges"), "charge");
                var amount = Number(node, "amount", "charges") ?? throw new CloneSeedException("Stripe seed data: every charge needs an 'amount'.");
                var daysAgo = Number(node, "days_ago", "charges") ?? 0;
                At(_now.AddDays(-daysAgo));
                if (customer.DefaultPaymentMethod is null)
                {
                    AttachDefault(customer, "pm_card_visa");
                }

                var intent = Payment(customer, amount, OptionalText(node, "currency") ?? "usd", OptionalText(node, "description"));
                if (node["metadata"] is JsonObject metadata)
                {
                    var charge = _state.Charges.Find(intent.GetString("latest_charge")!)!;
                    _state.Change(_state.PaymentIntents, intent, json => json["metadata"] = metadata.DeepClone(), null);
                    _state.Change(_state.Charges, charge, json => json["metadata"] = metadata.DeepClone(), null);
                }

                switch (node["refunded"])
                {
                    case JsonValue flag when flag.TryGetValue<bool>(out var full) && full:
                        Refund(intent, null);
                        break;
                    case JsonValue part when part.TryGetValue<long>(out var refundAmount):
                        Refund(intent, refundAmount);
                        break;
                }
            }

            foreach (var node in Items(data, "subscriptions"))
            {
                var customerRef = Text(node, "customer", "subscriptions");
                var customer = FindCustomer(customerRef, "subscription");
                var priceRef = Text(node, "price", "subscriptions");
                var price = _state.Prices.Find(priceRef)
                    ?? _state.Prices.Items.FirstOrDefault(p => p.GetString("lookup_key") == priceRef)
                    ?? throw new CloneSeedException($"Stripe seed data: subscription refers to price '{priceRef}', which is neither a price id nor a lookup key in this seed.");
                if (!price.IsRecurring)
                {
                    throw new CloneSeedException($"Stripe seed data: subscription price '{priceRef}' is not recurring.");
                }

                var status = OptionalText(node, "status") ?? "active";
                if (status is not ("active" or "trialing" or "past_due" or "canceled"))
                {
                    throw new CloneSeedException($"Stripe seed data: subscription status '{status}' is not one of active, trialing, past_due, canceled.");
                }

                var start = _now.AddDays(-(Number(node, "days_ago", "subscriptions") ?? (status == "trialing" ? 1 : 40)));
                At(start);
                if (customer.DefaultPaymentMethod is null)
                {
                    AttachDefault(customer, "pm_card_visa");
                }

                var subscription = Subscription(customer, price, start, status == "trialing" ? (int)(Number(node, "trial_days", "subscriptions") ?? 14) : null);
                if (status == "past_due")
                {
                    Renew(subscription, maxPeriods: PeriodsBefore(subscription) - 1);
                    var failing = AttachDefault(customer, "pm_card_chargeCustomerFail");
                    Renew(subscription, failing, maxPeriods: 1);
                    if (subscription.Status != "past_due")
                    {
                        throw new CloneSeedException(
                            $"Stripe seed data: a past_due subscription for '{customerRef}' needs 'days_ago' longer than one billing period of '{priceRef}'.");
                    }
                }
                else
                {
                    Renew(subscription);
                }

                if (status == "canceled")
                {
                    Cancel(subscription, _now.AddDays(-(Number(node, "canceled_days_ago", "subscriptions") ?? 1)));
                }
            }

            At(_now);
        }

        private StripeCustomer FindCustomer(string reference, string what) =>
            _state.Customers.Find(reference)
            ?? _state.Customers.Items.FirstOrDefault(c => string.Equals(c.Email, reference, StringComparison.OrdinalIgnoreCase))
            ?? throw new CloneSeedException($"Stripe seed data: {what} refers to customer '{reference}', which is neither a customer id nor a customer email in this seed.");

        /// <summary>How many billing periods of <paramref name="subscription"/> have ended by now (at least 1).</summary>
        private int PeriodsBefore(StripeSubscription subscription)
        {
            var price = _state.Prices.Find(subscription.Json["items"]!["data"]![0]!["price"]!["id"]!.GetValue<string>())!;
            var periods = 0;
            var at = DateTimeOffset.FromUnixTimeSeconds(subscription.Json["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>());
            while (at <= _now)
            {
                periods++;
                at = DateTimeOffset.FromUnixTimeSeconds(StripeSubscriptions.PeriodEnd(at, price));
            }

            return Math.Max(1, periods);
        }

        private static string? Unused<T>(EntityTable<T> table, string? id, string kind) where T : class =>
            id is not null && table.Contains(id)
                ? throw new CloneSeedException($"Stripe seed data declares {kind} '{id}', but a {kind} with that id already exists.")
                : id;

        private static List<JsonObject> Items(JsonObject data, string name) =>
            data[name] switch
            {
                null => [],
                JsonArray array => array.Select((n, i) => n as JsonObject
                    ?? throw new CloneSeedException($"Stripe seed data: {name}[{i}] must be an object.")).ToList(),
                _ => throw new CloneSeedException($"Stripe seed data: '{name}' must be an array."),
            };

        private static string Text(JsonObject node, string field, string collection) =>
            OptionalText(node, field) ?? throw new CloneSeedException($"Stripe seed data: every entry of '{collection}' needs '{field}'.");

        private static string? OptionalText(JsonObject node, string field) =>
            node[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

        private static long? Number(JsonObject node, string field, string collection) =>
            node[field] switch
            {
                null => null,
                JsonValue value when value.TryGetValue<long>(out var number) => number,
                JsonValue value when value.TryGetValue<int>(out var small) => small,
                JsonValue value when value.TryGetValue<double>(out var real) && real == Math.Floor(real) => (long)real,
                JsonValue value when value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw new CloneSeedException($"Stripe seed data: '{field}' in '{collection}' must be an integer."),
            };
    }
}
