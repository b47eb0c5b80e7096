using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>/v1/invoices</c>: invoices generated for subscriptions (draft → open → paid / uncollectible / void),
/// retrieve, list, update, finalize, pay, void, mark_uncollectible, lines.
/// </summary>
internal static class StripeInvoices
{
    /// <summary>One invoice line to bill.</summary>
    internal sealed record Line(StripePrice Price, long Quantity, string SubscriptionItem, long PeriodStart, long PeriodEnd, bool Trial);

    /// <summary>Creates a draft invoice for a subscription period and emits <c>invoice.created</c>.</summary>
    public static StripeInvoice CreateDraft(StripeState state, StripeSubscription subscription, string billingReason,
        IReadOnlyList<Line> lines, long periodStart, long periodEnd) =>
        state.Create(state.Invoices, new StripeInvoice(Draft(state, subscription, billingReason, lines, periodStart, periodEnd, state.NewId("in_1", 23)), state.NextSequence()), "invoice.created");

    /// <summary>
    /// The invoice a subscription's next renewal will create, as <c>invoice.upcoming</c> carries it: no id (Stripe: "The
    /// received Invoice object will not have an invoice ID"), <c>billing_reason: upcoming</c>, the next period's lines, and
    /// <c>next_payment_attempt</c> when it will be charged. Nothing is stored.
    /// </summary>
    public static JsonObject Upcoming(StripeState state, StripeSubscription subscription, IReadOnlyList<Line> lines, long periodStart, long periodEnd, long chargedAt)
    {
        var json = Draft(state, subscription, "upcoming", lines, periodStart, periodEnd, null);
        json.Remove("id");
        json["created"] = periodEnd;
        json["next_payment_attempt"] = chargedAt;
        json["webhooks_delivered_at"] = null;
        return json;
    }

    private static JsonObject Draft(StripeState state, StripeSubscription subscription, string billingReason,
        IReadOnlyList<Line> lines, long periodStart, long periodEnd, string? id)
    {
        var customer = state.Customers.Find(subscription.Customer)!;
        var currency = subscription.GetString("currency") ?? "usd";
        var data = new JsonArray();
        long subtotal = 0;
        foreach (var line in lines)
        {
            var unit = line.Trial ? 0 : line.Price.UnitAmount;
            var amount = unit * line.Quantity;
            subtotal += amount;
            var productName = state.Products.Find(line.Price.Product)?.Name ?? line.Price.Product;
            data.Add(new JsonObject
            {
                ["id"] = id is null ? state.NewId("il_tmp_1", 23) : state.NewId("il_1", 23),
                ["object"] = "line_item",
                ["amount"] = amount,
                ["currency"] = currency,
                ["description"] = line.Trial
                    ? $"Trial period for {productName}"
                    : $"{line.Quantity} × {productName} (at {Money(line.Price.UnitAmount, currency)} / {line.Price.Json["recurring"]?["interval"]?.GetValue<string>() ?? "month"})",
                ["discount_amounts"] = new JsonArray(),
                ["discountable"] = true,
                ["discounts"] = new JsonArray(),
                ["invoice"] = id,
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["parent"] = new JsonObject
                {
                    ["invoice_item_details"] = null,
                    ["subscription_item_details"] = new JsonObject
                    {
                        ["invoice_item"] = null,
                        ["proration"] = false,
                        ["proration_details"] = new JsonObject { ["credited_items"] = null },
                        ["subscription"] = subscription.Id,
                        ["subscription_item"] = line.SubscriptionItem,
                    },
                    ["type"] = "subscription_item_details",
                },
                ["period"] = new JsonObject { ["end"] = line.PeriodEnd, ["start"] = line.PeriodStart },
                ["pretax_credit_amounts"] = new JsonArray(),
                ["pricing"] = new JsonObject
                {
                    ["price_details"] = new JsonObject { ["price"] = line.Price.Id, ["product"] = line.Price.Product },
                    ["type"] = "price_details",
                    ["unit_amount_decimal"] = unit.ToString(CultureInfo.InvariantCulture),
                },
                ["quantity"] = line.Quantity,
                ["quantity_decimal"] = line.Quantity.ToString(CultureInfo.InvariantCulture),
                ["subscription"] = subscription.Id,
                ["subtotal"] = amount,
                ["taxes"] = new JsonArray(),
            });
        }

        var collection = subscription.GetString("collection_method") ?? "charge_automatically";
        var now = state.NowSeconds;
        var json = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["account_name"] = "Archal Testing",
            ["account_tax_ids"] = null,
            ["amount_due"] = subtotal,
            ["amount_overpaid"] = 0,
            ["amount_paid"] = 0,
            ["amount_remaining"] = subtotal,
            ["amount_shipping"] = 0,
            ["application"] = null,
            ["attempt_count"] = 0,
            ["attempted"] = false,
            ["auto_advance"] = true,
            ["automatic_tax"] = new JsonObject { ["disabled_reason"] = null, ["enabled"] = false, ["liability"] = null, ["provider"] = null, ["status"] = null },
            ["automatically_finalizes_at"] = null,
            ["billing_reason"] = billingReason,
            ["collection_method"] = collection,
            ["created"] = now,
            ["currency"] = currency,
            ["custom_fields"] = null,
            ["customer"] = customer.Id,
            ["customer_account"] = null,
            ["customer_address"] = customer.Json["address"]?.DeepClone(),
            ["customer_email"] = customer.Email,
            ["customer_name"] = customer.Name,
            ["customer_phone"] = customer.GetString("phone"),
            ["customer_shipping"] = null,
            ["customer_tax_exempt"] = customer.GetString("tax_exempt") ?? "none",
            ["customer_tax_ids"] = new JsonArray(),
            ["default_payment_method"] = null,
            ["default_source"] = null,
            ["default_tax_rates"] = new JsonArray(),
            ["description"] = null,
            ["discounts"] = new JsonArray(),
            ["due_date"] = collection == "send_invoice" ? now + (subscription.GetInt64("days_until_due") ?? 30) * 86400 : null,
            ["effective_at"] = null,
            ["ending_balance"] = null,
            ["footer"] = null,
            ["from_invoice"] = null,
            ["hosted_invoice_url"] = null,
            ["invoice_pdf"] = null,
            ["issuer"] = new JsonObject { ["type"] = "self" },
            ["last_finalization_error"] = null,
            ["latest_revision"] = null,
            ["lines"] = StripeLists.Embedded(data, id is null ? "/v1/invoices/upcoming/lines" : $"/v1/invoices/{id}/lines"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_payment_attempt"] = null,
            ["number"] = null,
            ["on_behalf_of"] = null,
            ["parent"] = new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = subscription.Json["metadata"]?.DeepClone(), ["subscription"] = subscription.Id },
                ["type"] = "subscription_details",
            },
            ["payment_settings"] = new JsonObject { ["default_mandate"] = null, ["payment_method_options"] = null, ["payment_method_types"] = null },
            ["period_end"] = periodEnd,
            ["period_start"] = periodStart,
            ["post_payment_credit_notes_amount"] = 0,
            ["pre_payment_credit_notes_amount"] = 0,
            ["receipt_number"] = null,
            ["rendering"] = null,
            ["shipping_cost"] = null,
            ["shipping_details"] = null,
            ["starting_balance"] = 0,
            ["statement_descriptor"] = null,
            ["status"] = "draft",
            ["status_transitions"] = new JsonObject { ["finalized_at"] = null, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null },
            ["subscription"] = subscription.Id,
            ["subtotal"] = subtotal,
            ["subtotal_excluding_tax"] = subtotal,
            ["test_clock"] = subscription.GetString("test_clock"),
            ["total"] = subtotal,
            ["total_discount_amounts"] = new JsonArray(),
            ["total_excluding_tax"] = subtotal,
            ["total_pretax_credit_amounts"] = new JsonArray(),
            ["total_taxes"] = new JsonArray(),
            ["webhooks_delivered_at"] = now,
        };
        return json;
    }

    /// <summary>The subscription an invoice bills, or null.</summary>
    public static string? SubscriptionOf(StripeInvoice invoice) =>
        invoice.Json["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>();

    /// <summary>draft → open (or straight to paid when nothing is due).</summary>
    public static void FinalizeDraft(StripeState state, StripeInvoice invoice)
    {
        var customer = state.Customers.Find(invoice.GetString("customer")!);
        var number = "DRAFT";
        if (customer is not null)
        {
            var sequence = customer.GetInt64("next_invoice_sequence") ?? 1;
            number = $"{customer.GetString("invoice_prefix")}-{sequence:0000}";
            state.Change(state.Customers, customer, json => json["next_invoice_sequence"] = sequence + 1, null);
        }

        var now = state.NowSeconds;
        state.Change(state.Invoices, invoice, json =>
        {
            json["status"] = "open";
            json["number"] = number;
            json["effective_at"] = now;
            json["status_transitions"]!["finalized_at"] = now;
            json["hosted_invoice_url"] = $"https://invoice.stripe.com/i/acct_archal/test_{invoice.Id}";
            json["invoice_pdf"] = $"https://pay.stripe.com/invoice/acct_archal/test_{invoice.Id}/pdf";
            json["ending_balance"] = 0;
            if (json["collection_method"]?.GetValue<string>() == "charge_automatically" && (invoice.GetInt64("amount_due") ?? 0) > 0)
            {
                json["next_payment_attempt"] = now;
            }
        }, null);
        state.Emit("invoice.finalized", invoice, null);
        if ((invoice.GetInt64("amount_due") ?? 0) == 0)
        {
            MarkPaid(state, invoice, 0);
        }
    }

    /// <summary>
    /// Charges an open invoice with <paramref name="paymentMethod"/>. Returns the card error on a decline
    /// (the invoice stays open with one more attempt) or null when the invoice is paid. <c>nextAttempt</c>, given the
    /// attempt count after a decline, says when to retry (null: no more retries); by default 3 days later.
    /// </summary>
    public static StripeApiException? Charge(StripeState state, StripeInvoice invoice, StripePaymentMethod paymentMethod, string description,
        Func<long, long?>? nextAttempt = null)
    {
        var amount = invoice.GetInt64("amount_remaining") ?? 0;
        var intentJson = StripePaymentIntents.New(state, state.NewId("pi_3", 23), amount, invoice.GetString("currency")!, invoice.GetString("customer"));
        intentJson["description"] = description;
        intentJson["payment_method"] = paymentMethod.Id;
        intentJson["status"] = "requires_confirmation";
        intentJson["automatic_payment_methods"] = null;
        var intent = state.Create(state.PaymentIntents, new StripePaymentIntent(intentJson, state.NextSequence()), "payment_intent.created");
        state.InvoicePayments[invoice.Id] = intent.Id;
        try
        {
            StripePaymentIntents.Attempt(state, intent, paymentMethod, offSession: true, errorOnRequiresAction: true);
        }
        catch (StripeApiException decline)
        {
            var now = state.NowSeconds;
            var attempts = (invoice.GetInt64("attempt_count") ?? 0) + 1;
            state.Change(state.Invoices, invoice, json =>
            {
                json["attempted"] = true;
                json["attempt_count"] = attempts;
                json["next_payment_attempt"] = nextAttempt is null ? now + 3 * 86400 : nextAttempt(attempts);
            }, "invoice.updated");
            state.Emit("invoice.payment_failed", invoice, null);
            return decline;
        }

        MarkPaid(state, invoice, amount);
        return null;
    }

    private static void MarkPaid(StripeState state, StripeInvoice invoice, long amount)
    {
        var now = state.NowSeconds;
        state.Change(state.Invoices, invoice, json =>
        {
            json["status"] = "paid";
            json["amount_paid"] = (invoice.GetInt64("amount_paid") ?? 0) + amount;
            json["amount_remaining"] = 0;
            json["attempted"] = true;
            if (amount > 0)
            {
                json["attempt_count"] = (invoice.GetInt64("attempt_count") ?? 0) + 1;
            }

            json["next_payment_attempt"] = null;
            json["status_transitions"]!["paid_at"] = now;
        }, null);
        state.Emit("invoice.paid", invoice, null);
        state.Emit("invoice.payment_succeeded", invoice, null);
        if (SubscriptionOf(invoice) is { } subscriptionId && state.Subscriptions.Find(subscriptionId) is { Status: "incomplete" or "past_due" or "unpaid" } subscription
            && subscription.GetString("latest_invoice") == invoice.Id)
        {
            state.Change(state.Subscriptions, subscription, json => json["status"] = "active", "customer.subscription.updated");
        }
    }

    private static string Money(long amount, string currency) =>
        currency == "usd" ? "$" + (amount / 100m).ToString("0.00", CultureInfo.InvariantCulture)
        : (amount / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + currency.ToUpperInvariant();

    public static StripeInvoice Find(StripeCall call, string id) =>
        call.State.Invoices.Find(id) ?? throw StripeErrors.NoSuch("invoice", id);

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("description", "metadata", "footer", "auto_advance", "days_until_due", "due_date", "default_payment_method", "custom_fields", "statement_descriptor");
        StripeParams.ValidateMetadata(call.Params);
        var invoice = Find(call, call.Route("id"));
        if (invoice.Status is "paid" or "void" or "uncollectible" && (call.Has("description") || call.Has("footer") || call.Has("due_date")))
        {
            throw StripeErrors.InvalidRequest($"You can only update the metadata of an invoice with a status of {invoice.Status}.", "invoice_not_editable");
        }

        var autoAdvance = call.Bool("auto_advance");
        var dueDate = call.Int("due_date");
        call.State.Change(call.State.Invoices, invoice, json =>
        {
            foreach (var field in (string[])["description", "footer", "statement_descriptor"])
            {
                if (call.Has(field))
                {
                    json[field] = call.Str(field) is { Length: > 0 } value ? value : null;
                }
            }

            if (autoAdvance is not null)
            {
                json["auto_advance"] = autoAdvance;
            }

            if (dueDate is not null)
            {
                json["due_date"] = dueDate;
            }

            StripeParams.ApplyMetadata(json, call.Params);
        }, "invoice.updated");
        return invoice.Json;
    }

    public static JsonNode Finalize(StripeCall call)
    {
        call.Allow("auto_advance");
        var invoice = Find(call, call.Route("id"));
        using var clock = call.State.AtClockOf(invoice.GetString("test_clock"));
        if (invoice.Status != "draft")
        {
            throw StripeErrors.InvalidRequest($"This invoice is already finalized, you can't re-finalize a non-draft invoice.", "invoice_not_editable");
        }

        FinalizeDraft(call.State, invoice);
        return invoice.Json;
    }

    public static JsonNode Pay(StripeCall call)
    {
        call.Allow("payment_method", "paid_out_of_band", "off_session", "forgive", "mandate", "source");
        var invoice = Find(call, call.Route("id"));
        var state = call.State;
        using var clock = state.AtClockOf(invoice.GetString("test_clock"));
        switch (invoice.Status)
        {
            case "paid":
                throw StripeErrors.InvalidRequest("Invoice is already paid", "invoice_already_paid");
            case "void":
                throw StripeErrors.InvalidRequest("This invoice can no longer be paid because it has been voided.", "invoice_not_open");
            case "draft":
                FinalizeDraft(state, invoice);
                if (invoice.Status == "paid")
                {
                    return invoice.Json;
                }

                break;
        }

        if (call.Bool("paid_out_of_band") == true)
        {
            MarkPaid(state, invoice, invoice.GetInt64("amount_remaining") ?? 0);
            return invoice.Json;
        }

        var methodId = call.Str("payment_method") is { Length: > 0 } pm ? pm : DefaultPaymentMethod(state, invoice);
        if (methodId is null)
        {
            throw StripeErrors.InvalidRequest(
                "This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.",
                "resource_missing");
        }

        var method = StripePaymentMethods.Resolve(call, methodId, "payment_method");
        if (Charge(state, invoice, method, "Payment for Invoice") is { } decline)
        {
            throw decline;
        }

        return invoice.Json;
    }

    /// <summary>The payment method an invoice is charged with by default: the subscription's, then the customer's.</summary>
    public static string? DefaultPaymentMethod(StripeState state, StripeInvoice invoice)
    {
        if (SubscriptionOf(invoice) is { } subscriptionId && state.Subscriptions.Find(subscriptionId)?.GetString("default_payment_method") is { } fromSubscription)
        {
            return fromSubscription;
        }

        return state.Customers.Find(invoice.GetString("customer")!)?.DefaultPaymentMethod;
    }

    public static JsonNode Void(StripeCall call)
    {
        call.Allow();
        var invoice = Find(call, call.Route("id"));
        using var clock = call.State.AtClockOf(invoice.GetString("test_clock"));
        if (invoice.Status is not ("open" or "uncollectible"))
        {
            throw StripeErrors.InvalidRequest($"You can only pass in open or uncollectible invoices. This invoice is {invoice.Status}.", "invoice_not_open");
        }

        VoidCore(call.State, invoice);
        return invoice.Json;
    }

    /// <summary>Voids an open or uncollectible invoice (<c>invoice.voided</c>).</summary>
    public static void VoidCore(StripeState state, StripeInvoice invoice)
    {
        var now = state.NowSeconds;
        state.Change(state.Invoices, invoice, json =>
        {
            json["status"] = "void";
            json["amount_remaining"] = 0;
            json["next_payment_attempt"] = null;
            json["status_transitions"]!["voided_at"] = now;
        }, null);
        state.Emit("invoice.voided", invoice, null);
    }

    public static JsonNode MarkUncollectible(StripeCall call)
    {
        call.Allow();
        var invoice = Find(call, call.Route("id"));
        using var clock = call.State.AtClockOf(invoice.GetString("test_clock"));
        if (invoice.Status != "open")
        {
            throw StripeErrors.InvalidRequest($"You can only mark open invoices as uncollectible. This invoice is {invoice.Status}.", "invoice_not_open");
        }

        MarkUncollectibleCore(call.State, invoice);
        return invoice.Json;
    }

    public static void MarkUncollectibleCore(StripeState state, StripeInvoice invoice)
    {
        var now = state.NowSeconds;
        state.Change(state.Invoices, invoice, json =>
        {
            json["status"] = "uncollectible";
            json["next_payment_attempt"] = null;
            json["status_transitions"]!["marked_uncollectible_at"] = now;
        }, null);
        state.Emit("invoice.marked_uncollectible", invoice, null);
    }

    public static JsonNode Lines(StripeCall call)
    {
        call.Allow("limit", "starting_after", "ending_before");
        var invoice = Find(call, call.Route("id"));
        var limit = StripeLists.Limit(call);
        var lines = invoice.Json["lines"]!["data"]!.AsArray().Select(l => l!).ToList();
        var start = 0;
        if (call.Str("starting_after") is { Length: > 0 } after)
        {
            start = lines.FindIndex(l => l["id"]!.GetValue<string>() == after) + 1;
            if (start == 0)
            {
                throw StripeErrors.NoSuch("line_item", after, "starting_after");
            }
        }

        var data = new JsonArray();
        foreach (var line in lines.Skip(start).Take(limit))
        {
            data.Add(line.DeepClone());
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["has_more"] = lines.Count > start + limit,
            ["url"] = $"/v1/invoices/{invoice.Id}/lines",
        };
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "customer", "subscription", "status", "collection_method", "due_date"]);
        var customer = call.Str("customer");
        var subscription = call.Str("subscription");
        var status = call.Enum("status", "draft", "open", "paid", "uncollectible", "void");
        var collection = call.Enum("collection_method", "charge_automatically", "send_invoice");
        var items = call.State.Invoices.Items.Where(i =>
            (customer is null || i.GetString("customer") == customer)
            && (subscription is null || SubscriptionOf(i) == subscription)
            && (status is null || i.Status == status)
            && (collection is null || i.GetString("collection_method") == collection));
        return StripeLists.List(call, items, "/v1/invoices", "invoice");
    }

    public static JsonNode Search(StripeCall call) =>
        StripeLists.Search(call, call.State.Invoices.Items, "invoices", ["customer", "status", "total", "currency", "created", "metadata", "number"]);
}
