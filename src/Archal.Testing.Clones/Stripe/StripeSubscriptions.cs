using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>/v1/subscriptions</c>: create with price items and trials (an invoice is generated, finalized and charged),
/// update items / metadata / cancel_at_period_end / trial_end=now, cancel now (DELETE), list by customer,
/// price and status, search. Renewals, trial ends, payment retries and cancel_at_period_end happen as the session
/// clock (or the customer's test clock) passes them: <see cref="StripeBilling"/>.
/// </summary>
internal static class StripeSubscriptions
{
    private static readonly string[] Statuses =
        ["active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due", "paused", "trialing", "unpaid"];

    private const string NoPaymentMethodMessage =
        "This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.";

    public static JsonNode Create(StripeCall call)
    {
        call.Allow("customer", "items", "trial_period_days", "trial_end", "trial_from_plan", "default_payment_method", "cancel_at_period_end",
            "cancel_at", "metadata", "collection_method", "days_until_due", "payment_behavior", "description", "off_session",
            "proration_behavior", "currency", "payment_settings", "automatic_tax", "billing_cycle_anchor", "default_tax_rates",
            "backdate_start_date", "coupon", "discounts", "promotion_code", "expand_items", "add_invoice_items", "trial_settings", "application_fee_percent");
        StripeParams.ValidateMetadata(call.Params);
        var state = call.State;
        var customer = StripeCustomers.Find(call, call.RequireStr("customer"), "customer");
        using var clock = state.AtClockOf(customer.GetString("test_clock"));
        var items = ParseNewItems(call, StripeParams.Array(call.Params, "items") ?? throw StripeErrors.Missing("items"), requireAtLeastOne: true);
        var collection = call.Enum("collection_method", "charge_automatically", "send_invoice") ?? "charge_automatically";
        var daysUntilDue = call.Int("days_until_due");
        if (collection == "send_invoice" && daysUntilDue is null)
        {
            throw StripeErrors.InvalidRequest("The `days_until_due` parameter is required when `collection_method` is `send_invoice`.", "parameter_missing", "days_until_due");
        }

        var behaviour = call.Enum("payment_behavior", "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete") ?? "allow_incomplete";
        string? defaultPm = null;
        if (call.Str("default_payment_method") is { Length: > 0 } pm)
        {
            var method = StripePaymentMethods.Resolve(call, pm, "default_payment_method");
            if (method.Customer != customer.Id)
            {
                throw StripeErrors.InvalidRequest(
                    $"The customer does not have a payment method with the ID {pm}. The payment method must be attached to the customer.", "resource_missing", "default_payment_method");
            }

            defaultPm = method.Id;
        }

        var now = call.Now;
        long? trialEnd = null;
        if (call.Str("trial_end") is { Length: > 0 } trialEndText)
        {
            trialEnd = trialEndText == "now" ? null
                : long.TryParse(trialEndText, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t
                : throw StripeErrors.InvalidInteger("trial_end", trialEndText);
            if (trialEnd is not null && trialEnd <= now)
            {
                throw StripeErrors.InvalidRequest("Invalid timestamp: must be an integer Unix timestamp in the future.", null, "trial_end");
            }
        }
        else if (call.Int("trial_period_days") is { } days)
        {
            if (days < 0 || days > 730)
            {
                throw StripeErrors.InvalidRequest("The maximum number of trial period days is 730 (2 years).", null, "trial_period_days");
            }

            trialEnd = days == 0 ? null : state.Now.AddDays(days).ToUnixTimeSeconds();
        }

        var chargesNow = trialEnd is null && collection == "charge_automatically" && items.Sum(i => i.Price.UnitAmount * i.Quantity) > 0;
        var paymentMethod = defaultPm ?? customer.DefaultPaymentMethod;
        if (chargesNow && paymentMethod is null && behaviour is "allow_incomplete" or "error_if_incomplete")
        {
            throw StripeErrors.InvalidRequest(NoPaymentMethodMessage, "resource_missing");
        }

        var currency = items[0].Price.GetString("currency")!;
        if (items.Any(i => i.Price.GetString("currency") != currency))
        {
            throw StripeErrors.InvalidRequest("All prices on a subscription must have the same `currency`.", null, "items");
        }

        var subscription = Build(state, customer.Id, items, trialEnd, collection, daysUntilDue, defaultPm, call);
        var created = Start(state, subscription, paymentMethod, behaviour == "default_incomplete");
        if (created.Decline is { } decline && behaviour == "error_if_incomplete")
        {
            throw decline;
        }

        return subscription.Json;
    }

    internal sealed record NewItem(StripePrice Price, long Quantity, JsonObject? Metadata);

    private static List<NewItem> ParseNewItems(StripeCall call, JsonArray array, bool requireAtLeastOne)
    {
        var items = new List<NewItem>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                throw StripeErrors.InvalidHash($"items[{i}]");
            }

            StripeParams.Allow(item, ["price", "quantity", "metadata", "price_data", "tax_rates", "discounts", "billing_thresholds", "id", "deleted", "clear_usage"], $"items[{i}]");
            var priceId = StripeParams.Str(item, "price", $"items[{i}][price]");
            if (string.IsNullOrEmpty(priceId))
            {
                throw StripeErrors.Missing($"items[{i}][price]");
            }

            var price = StripeProducts.FindPrice(call, priceId, $"items[{i}][price]");
            ValidateRecurring(price, $"items[{i}][price]");
            var quantity = StripeParams.Int(item, "quantity", $"items[{i}][quantity]") ?? 1;
            if (quantity < 0)
            {
                throw StripeErrors.InvalidRequest("This value must be greater than or equal to 0.", null, $"items[{i}][quantity]");
            }

            items.Add(new NewItem(price, quantity, StripeParams.Hash(item, "metadata", $"items[{i}][metadata]")));
        }

        if (requireAtLeastOne && items.Count == 0)
        {
            throw StripeErrors.Missing("items");
        }

        return items;
    }

    private static void ValidateRecurring(StripePrice price, string param)
    {
        if (!price.IsRecurring)
        {
            throw StripeErrors.InvalidRequest(
                $"The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.", null, param);
        }

        if (!price.GetBoolean("active"))
        {
            throw StripeErrors.InvalidRequest($"The price specified is inactive. This field only accepts active prices.", null, param);
        }
    }

    /// <summary>Builds and stores a subscription (status <c>incomplete</c> until <see cref="Start"/> runs).</summary>
    internal static StripeSubscription Build(StripeState state, string customer, IReadOnlyList<NewItem> items, long? trialEnd,
        string collection, long? daysUntilDue, string? defaultPm, StripeCall? call)
    {
        var id = state.NewId("sub_1", 23);
        var now = state.NowSeconds;
        var periodEnd = trialEnd ?? PeriodEnd(state.Now, items[0].Price);
        var data = new JsonArray();
        foreach (var item in items)
        {
            data.Add(Item(state, id, item, now, periodEnd));
        }

        var json = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["application"] = null,
            ["application_fee_percent"] = null,
            ["automatic_tax"] = new JsonObject { ["disabled_reason"] = null, ["enabled"] = false, ["liability"] = null },
            ["billing_cycle_anchor"] = periodEnd == now ? now : (trialEnd ?? now),
            ["billing_cycle_anchor_config"] = null,
            ["billing_mode"] = new JsonObject { ["flexible"] = null, ["type"] = "classic" },
            ["billing_schedules"] = new JsonArray(),
            ["billing_thresholds"] = null,
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = null },
            ["collection_method"] = collection,
            ["created"] = now,
            ["currency"] = items[0].Price.GetString("currency"),
            ["customer"] = customer,
            ["customer_account"] = null,
            ["days_until_due"] = daysUntilDue,
            ["default_payment_method"] = defaultPm,
            ["default_source"] = null,
            ["default_tax_rates"] = new JsonArray(),
            ["description"] = null,
            ["discounts"] = new JsonArray(),
            ["ended_at"] = null,
            ["invoice_settings"] = new JsonObject { ["account_tax_ids"] = null, ["issuer"] = new JsonObject { ["type"] = "self" } },
            ["items"] = StripeLists.Embedded(data, $"/v1/subscription_items?subscription={id}"),
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["managed_payments"] = new JsonObject { ["enabled"] = false },
            ["metadata"] = new JsonObject(),
            ["next_pending_invoice_item_invoice"] = null,
            ["on_behalf_of"] = null,
            ["pause_collection"] = null,
            ["payment_settings"] = new JsonObject
            {
                ["payment_method_options"] = null,
                ["payment_method_types"] = null,
                ["save_default_payment_method"] = "off",
            },
            ["pending_invoice_item_interval"] = null,
            ["pending_setup_intent"] = null,
            ["pending_update"] = null,
            ["schedule"] = null,
            ["start_date"] = now,
            ["status"] = "incomplete",
            ["test_clock"] = state.Customers.Find(customer)?.GetString("test_clock"),
            ["transfer_data"] = null,
            ["trial_end"] = trialEnd,
            ["trial_settings"] = new JsonObject { ["end_behavior"] = new JsonObject { ["missing_payment_method"] = "create_invoice" } },
            ["trial_start"] = trialEnd is null ? null : now,
        };
        if (call is not null)
        {
            if (call.Str("description") is { Length: > 0 } description)
            {
                json["description"] = description;
            }

            StripeParams.ApplyMetadata(json, call.Params);
            if (call.Bool("cancel_at_period_end") == true)
            {
                json["cancel_at_period_end"] = true;
                json["cancel_at"] = periodEnd;
            }
        }

        var subscription = new StripeSubscription(json, state.NextSequence());
        state.Subscriptions.Add(subscription);
        return subscription;
    }

    private static JsonObject Item(StripeState state, string subscriptionId, NewItem item, long periodStart, long periodEnd)
    {
        var json = new JsonObject
        {
            ["id"] = state.NewId("si_", 14),
            ["object"] = "subscription_item",
            ["billing_thresholds"] = null,
            ["created"] = state.NowSeconds,
            ["current_period_end"] = periodEnd,
            ["current_period_start"] = periodStart,
            ["discounts"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["plan"] = Plan(item.Price),
            ["price"] = item.Price.Json.DeepClone(),
            ["quantity"] = item.Quantity,
            ["subscription"] = subscriptionId,
            ["tax_rates"] = new JsonArray(),
        };
        if (item.Metadata is not null)
        {
            StripeParams.ApplyMetadata(json, new JsonObject { ["metadata"] = item.Metadata.DeepClone() });
        }

        return json;
    }

    private static JsonObject Plan(StripePrice price)
    {
        var p = price.Json;
        var recurring = p["recurring"];
        return new JsonObject
        {
            ["id"] = price.Id,
            ["object"] = "plan",
            ["active"] = p["active"]?.DeepClone(),
            ["amount"] = p["unit_amount"]?.DeepClone(),
            ["amount_decimal"] = p["unit_amount_decimal"]?.DeepClone(),
            ["billing_scheme"] = p["billing_scheme"]?.DeepClone(),
            ["created"] = p["created"]?.DeepClone(),
            ["currency"] = p["currency"]?.DeepClone(),
            ["interval"] = recurring?["interval"]?.DeepClone(),
            ["interval_count"] = recurring?["interval_count"]?.DeepClone(),
            ["livemode"] = false,
            ["metadata"] = p["metadata"]?.DeepClone(),
            ["meter"] = null,
            ["nickname"] = p["nickname"]?.DeepClone(),
            ["product"] = p["product"]?.DeepClone(),
            ["tiers_mode"] = null,
            ["transform_usage"] = null,
            ["trial_period_days"] = recurring?["trial_period_days"]?.DeepClone(),
            ["usage_type"] = recurring?["usage_type"]?.DeepClone(),
        };
    }

    /// <summary>The end of the first billing period starting at <paramref name="start"/>.</summary>
    internal static long PeriodEnd(DateTimeOffset start, StripePrice price)
    {
        var interval = price.Json["recurring"]?["interval"]?.GetValue<string>() ?? "month";
        var count = (int)(price.Json["recurring"]?["interval_count"]?.GetValue<long>() ?? 1);
        var end = interval switch
        {
            "day" => start.AddDays(count),
            "week" => start.AddDays(7 * count),
            "year" => start.AddYears(count),
            _ => start.AddMonths(count),
        };
        return end.ToUnixTimeSeconds();
    }

    internal sealed record StartResult(StripeInvoice Invoice, StripeApiException? Decline);

    /// <summary>Creates, finalizes and (when due now) charges the first invoice; sets the status; emits created.</summary>
    internal static StartResult Start(StripeState state, StripeSubscription subscription, string? paymentMethod, bool defaultIncomplete)
    {
        var items = subscription.Json["items"]!["data"]!.AsArray();
        var trialEnd = subscription.GetInt64("trial_end");
        var now = state.NowSeconds;
        var lines = items.Select(i => new StripeInvoices.Line(
            state.Prices.Find(i!["price"]!["id"]!.GetValue<string>())!,
            i["quantity"]!.GetValue<long>(),
            i["id"]!.GetValue<string>(),
            now,
            i["current_period_end"]!.GetValue<long>(),
            trialEnd is not null)).ToList();
        var invoice = StripeInvoices.CreateDraft(state, subscription, "subscription_create", lines, now, now);
        StripeInvoices.FinalizeDraft(state, invoice);
        StripeApiException? decline = null;
        string status;
        if (trialEnd is not null)
        {
            status = "trialing";
        }
        else if (invoice.Status == "paid" || subscription.GetString("collection_method") == "send_invoice")
        {
            status = "active";
        }
        else if (defaultIncomplete || paymentMethod is null)
        {
            status = "incomplete";
        }
        else
        {
            var method = state.PaymentMethods.Find(paymentMethod)!;
            decline = StripeInvoices.Charge(state, invoice, method, "Subscription creation");
            status = decline is null ? "active" : "incomplete";
        }

        state.Change(state.Subscriptions, subscription, json =>
        {
            json["status"] = status;
            json["latest_invoice"] = invoice.Id;
        }, null);
        state.Emit("customer.subscription.created", subscription, null);
        return new StartResult(invoice, decline);
    }

    public static StripeSubscription Find(StripeCall call, string id) =>
        call.State.Subscriptions.Find(id) ?? throw StripeErrors.NoSuch("subscription", id);

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("items", "metadata", "cancel_at_period_end", "cancel_at", "cancellation_details", "default_payment_method", "description",
            "trial_end", "proration_behavior", "payment_behavior", "collection_method", "days_until_due", "off_session", "pause_collection",
            "proration_date", "billing_cycle_anchor", "default_tax_rates", "discounts", "coupon", "promotion_code", "payment_settings",
            "trial_from_plan", "trial_settings", "automatic_tax", "add_invoice_items");
        StripeParams.ValidateMetadata(call.Params);
        call.Enum("proration_behavior", "always_invoice", "create_prorations", "none");
        var subscription = Find(call, call.Route("id"));
        var state = call.State;
        using var clock = state.AtClockOf(subscription.GetString("test_clock"));
        if (subscription.Status is "canceled" or "incomplete_expired")
        {
            if (call.Params.Any(p => p.Key is not ("metadata" or "cancellation_details")))
            {
                throw StripeErrors.InvalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
            }
        }

        string? defaultPm = null;
        if (call.Has("default_payment_method"))
        {
            defaultPm = call.Str("default_payment_method") ?? "";
            if (defaultPm.Length > 0)
            {
                var method = StripePaymentMethods.Resolve(call, defaultPm, "default_payment_method");
                if (method.Customer != subscription.Customer)
                {
                    throw StripeErrors.InvalidRequest(
                        $"The customer does not have a payment method with the ID {defaultPm}. The payment method must be attached to the customer.", "resource_missing", "default_payment_method");
                }

                defaultPm = method.Id;
            }
        }

        var itemChanges = StripeParams.Array(call.Params, "items");
        var newItems = itemChanges is null ? null : ApplyItems(call, subscription, itemChanges);
        var cancelAtPeriodEnd = call.Bool("cancel_at_period_end");
        var cancelAt = call.Int("cancel_at");
        var endTrial = call.Str("trial_end") == "now" && subscription.Status == "trialing";
        var details = StripeParams.Hash(call.Params, "cancellation_details");
        var periodEnd = CurrentPeriodEnd(subscription);
        state.Change(state.Subscriptions, subscription, json =>
        {
            if (newItems is not null)
            {
                json["items"] = StripeLists.Embedded(newItems, $"/v1/subscription_items?subscription={subscription.Id}");
            }

            if (cancelAtPeriodEnd is not null)
            {
                json["cancel_at_period_end"] = cancelAtPeriodEnd;
                json["cancel_at"] = cancelAtPeriodEnd == true ? periodEnd : null;
                json["canceled_at"] = cancelAtPeriodEnd == true ? call.Now : null;
            }

            if (cancelAt is not null)
            {
                json["cancel_at"] = cancelAt;
            }

            if (details is not null)
            {
                ApplyCancellationDetails(json, details, null);
            }

            if (defaultPm is not null)
            {
                json["default_payment_method"] = defaultPm.Length == 0 ? null : defaultPm;
            }

            if (call.Has("description"))
            {
                json["description"] = call.Str("description") is { Length: > 0 } d ? d : null;
            }

            if (call.Int("days_until_due") is { } days)
            {
                json["days_until_due"] = days;
            }

            if (call.Enum("collection_method", "charge_automatically", "send_invoice") is { } collection)
            {
                json["collection_method"] = collection;
            }

            StripeParams.ApplyMetadata(json, call.Params);
        }, "customer.subscription.updated");
        if (endTrial)
        {
            EndTrial(state, subscription);
        }

        return subscription.Json;
    }

    private static long CurrentPeriodEnd(StripeSubscription subscription) =>
        subscription.Json["items"]?["data"]?.AsArray().FirstOrDefault()?["current_period_end"]?.GetValue<long>() ?? subscription.Created;

    private static JsonArray ApplyItems(StripeCall call, StripeSubscription subscription, JsonArray changes)
    {
        var current = subscription.Json["items"]!["data"]!.AsArray().Select(i => (JsonObject)i!.DeepClone()).ToList();
        var periodStart = current.FirstOrDefault()?["current_period_start"]?.GetValue<long>() ?? call.Now;
        var periodEnd = CurrentPeriodEnd(subscription);
        for (var i = 0; i < changes.Count; i++)
        {
            if (changes[i] is not JsonObject change)
            {
                throw StripeErrors.InvalidHash($"items[{i}]");
            }

            StripeParams.Allow(change, ["id", "price", "quantity", "metadata", "deleted", "price_data", "tax_rates", "discounts", "billing_thresholds", "clear_usage"], $"items[{i}]");
            var itemId = StripeParams.Str(change, "id", $"items[{i}][id]");
            var priceId = StripeParams.Str(change, "price", $"items[{i}][price]");
            var quantity = StripeParams.Int(change, "quantity", $"items[{i}][quantity]");
            if (!string.IsNullOrEmpty(itemId))
            {
                var existing = current.Find(c => c["id"]!.GetValue<string>() == itemId)
                    ?? throw StripeErrors.InvalidRequest($"No such subscription item: '{itemId}'", "resource_missing", $"items[{i}][id]");
                if (StripeParams.Bool(change, "deleted", $"items[{i}][deleted]") == true)
                {
                    current.Remove(existing);
                    continue;
                }

                if (!string.IsNullOrEmpty(priceId))
                {
                    var price = StripeProducts.FindPrice(call, priceId, $"items[{i}][price]");
                    ValidateRecurring(price, $"items[{i}][price]");
                    existing["price"] = price.Json.DeepClone();
                    existing["plan"] = Plan(price);
                }

                if (quantity is not null)
                {
                    existing["quantity"] = quantity;
                }

                if (StripeParams.Hash(change, "metadata") is not null)
                {
                    StripeParams.ApplyMetadata(existing, change);
                }
            }
            else
            {
                if (string.IsNullOrEmpty(priceId))
                {
                    throw StripeErrors.Missing($"items[{i}][price]");
                }

                var price = StripeProducts.FindPrice(call, priceId, $"items[{i}][price]");
                ValidateRecurring(price, $"items[{i}][price]");
                if (current.Exists(c => c["price"]!["id"]!.GetValue<string>() == price.Id))
                {
                    throw StripeErrors.InvalidRequest(
                        $"Cannot add multiple subscription items with the same price: {price.Id}", null, $"items[{i}][price]");
                }

                current.Add(Item(call.State, subscription.Id, new NewItem(price, quantity ?? 1, StripeParams.Hash(change, "metadata")), periodStart, periodEnd));
            }
        }

        if (current.Count == 0)
        {
            throw StripeErrors.InvalidRequest("A subscription must have at least one active plan. To cancel a subscription, send a DELETE request instead.", null, "items");
        }

        var array = new JsonArray();
        foreach (var item in current)
        {
            array.Add(item);
        }

        return array;
    }

    private static void EndTrial(StripeState state, StripeSubscription subscription)
    {
        StripeBilling.TrialWillEnd(state, subscription);
        var now = state.NowSeconds;
        var data = subscription.Json["items"]!["data"]!.AsArray();
        var first = state.Prices.Find(data[0]!["price"]!["id"]!.GetValue<string>())!;
        var periodEnd = PeriodEnd(state.Now, first);
        state.Change(state.Subscriptions, subscription, json =>
        {
            json["trial_end"] = now;
            json["billing_cycle_anchor"] = now;
            foreach (var item in json["items"]!["data"]!.AsArray())
            {
                item!["current_period_start"] = now;
                item["current_period_end"] = periodEnd;
            }
        }, "customer.subscription.updated");
        var lines = data.Select(i => new StripeInvoices.Line(
            state.Prices.Find(i!["price"]!["id"]!.GetValue<string>())!, i["quantity"]!.GetValue<long>(), i["id"]!.GetValue<string>(), now, periodEnd, false)).ToList();
        var invoice = StripeInvoices.CreateDraft(state, subscription, "subscription_cycle", lines, now, now);
        StripeInvoices.FinalizeDraft(state, invoice);
        var status = invoice.Status == "paid" ? "active" : "past_due";
        if (invoice.Status == "open" && subscription.GetString("collection_method") == "send_invoice")
        {
            status = "active";
        }
        else if (invoice.Status == "open"
            && (subscription.GetString("default_payment_method") ?? state.Customers.Find(subscription.Customer)?.DefaultPaymentMethod) is { } pm
            && state.PaymentMethods.Find(pm) is { } method)
        {
            status = StripeInvoices.Charge(state, invoice, method, "Subscription update") is null ? "active" : "past_due";
        }

        state.Change(state.Subscriptions, subscription, json =>
        {
            json["status"] = status;
            json["latest_invoice"] = invoice.Id;
        }, "customer.subscription.updated");
    }

    private static void ApplyCancellationDetails(JsonObject json, JsonObject? details, string? reason)
    {
        var target = json["cancellation_details"] as JsonObject ?? new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = null };
        if (details is not null)
        {
            StripeParams.Allow(details, ["comment", "feedback"], "cancellation_details");
            if (StripeParams.Str(details, "comment", "cancellation_details[comment]") is { } comment)
            {
                target["comment"] = comment.Length == 0 ? null : comment;
            }

            if (StripeParams.Enum(details, "feedback",
                ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"],
                "cancellation_details[feedback]") is { } feedback)
            {
                target["feedback"] = feedback;
            }
        }

        if (reason is not null)
        {
            target["reason"] = reason;
        }

        json["cancellation_details"] = target;
    }

    public static JsonNode Cancel(StripeCall call)
    {
        call.Allow("invoice_now", "prorate", "cancellation_details");
        var subscription = Find(call, call.Route("id"));
        if (subscription.Status == "canceled")
        {
            throw StripeErrors.InvalidRequest("A canceled subscription can only update its cancellation_details and metadata.");
        }

        var details = StripeParams.Hash(call.Params, "cancellation_details");
        using var clock = call.State.AtClockOf(subscription.GetString("test_clock"));
        CancelNow(call, subscription, "cancellation_requested", details);
        return subscription.Json;
    }

    internal static void CancelNow(StripeCall call, StripeSubscription subscription, string reason, JsonObject? details = null)
    {
        var now = call.Now;
        var state = call.State;
        state.Change(state.Subscriptions, subscription, json =>
        {
            json["status"] = "canceled";
            json["canceled_at"] = now;
            json["ended_at"] = now;
            json["cancel_at"] = null;
            json["cancel_at_period_end"] = false;
            ApplyCancellationDetails(json, details, reason);
        }, null);
        state.Emit("customer.subscription.deleted", subscription, null);
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "customer", "price", "status", "collection_method", "current_period_end", "current_period_start", "test_clock", "automatic_tax"]);
        var customer = call.Str("customer");
        var price = call.Str("price");
        var status = call.Enum("status", Statuses);
        var collection = call.Enum("collection_method", "charge_automatically", "send_invoice");
        var testClock = call.Str("test_clock");
        var items = call.State.Subscriptions.Items.Where(s =>
            (customer is null || s.Customer == customer)
            && (testClock is null || s.GetString("test_clock") == testClock)
            && (price is null || s.Json["items"]!["data"]!.AsArray().Any(i => i!["price"]!["id"]!.GetValue<string>() == price))
            && (collection is null || s.GetString("collection_method") == collection)
            && status switch
            {
                null => s.Status is not ("canceled" or "incomplete_expired"),
                "all" => true,
                "ended" => s.Status is "canceled" or "incomplete_expired",
                _ => s.Status == status,
            });
        return StripeLists.List(call, items, "/v1/subscriptions", "subscription");
    }

    public static JsonNode Search(StripeCall call) =>
        StripeLists.Search(call, call.State.Subscriptions.Items, "subscriptions", ["status", "created", "metadata", "customer"]);

    /// <summary><c>GET /v1/subscription_items?subscription=</c>: the items of one subscription, in order.</summary>
    public static JsonNode ListItems(StripeCall call)
    {
        call.Allow("subscription", "limit", "starting_after", "ending_before");
        var subscription = call.Str("subscription") is { Length: > 0 } id
            ? call.State.Subscriptions.Find(id) ?? throw StripeErrors.NoSuchParam("subscription", id, "subscription")
            : throw StripeErrors.Missing("subscription");
        var limit = StripeLists.Limit(call);
        var items = subscription.Json["items"]!["data"]!.AsArray().Select(i => i!).ToList();
        var start = 0;
        if (call.Str("starting_after") is { Length: > 0 } after)
        {
            start = items.FindIndex(i => i["id"]!.GetValue<string>() == after) + 1;
            if (start == 0)
            {
                throw StripeErrors.NoSuch("subscription_item", after, "starting_after");
            }
        }

        var data = new JsonArray();
        foreach (var item in items.Skip(start).Take(limit))
        {
            data.Add(item.DeepClone());
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["has_more"] = items.Count > start + limit,
            ["url"] = "/v1/subscription_items",
        };
    }

    /// <summary><c>GET /v1/subscription_items/{id}</c>.</summary>
    public static JsonNode RetrieveItem(StripeCall call)
    {
        call.Allow();
        var id = call.Route("id");
        foreach (var subscription in call.State.Subscriptions.Items)
        {
            if (subscription.Json["items"]!["data"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<string>() == id) is { } item)
            {
                return item.DeepClone();
            }
        }

        throw StripeErrors.NoSuch("subscription_item", id);
    }
}
