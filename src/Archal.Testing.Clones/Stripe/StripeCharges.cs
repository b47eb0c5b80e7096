using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary><c>/v1/charges</c>: charges are created by payment intents; retrieve, update, list, search.</summary>
internal static class StripeCharges
{
    /// <summary>Creates the charge for one payment attempt (succeeded or failed) and emits its event.</summary>
    public static StripeCharge Create(StripeState state, StripePaymentIntent intent, StripePaymentMethod method,
        StripePaymentMethods.TestCard? decline, bool capture)
    {
        var pi = intent.Json;
        var amount = intent.Amount;
        var failed = decline is not null;
        var id = state.NewId("ch_3", 23);
        var card = method.Json["card"]!;
        var json = new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = failed || !capture ? 0 : amount,
            ["amount_refunded"] = 0,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = null,
            ["balance_transaction"] = null,
            ["billing_details"] = method.Json["billing_details"]?.DeepClone(),
            ["calculated_statement_descriptor"] = "ARCHAL TESTING",
            ["captured"] = !failed && capture,
            ["created"] = state.NowSeconds,
            ["currency"] = pi["currency"]?.DeepClone(),
            ["customer"] = pi["customer"]?.DeepClone(),
            ["description"] = pi["description"]?.DeepClone(),
            ["disputed"] = false,
            ["failure_balance_transaction"] = null,
            ["failure_code"] = decline?.ErrorCode,
            ["failure_message"] = decline?.Message,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = pi["metadata"]?.DeepClone() ?? new JsonObject(),
            ["on_behalf_of"] = null,
            ["outcome"] = failed
                ? Outcome("declined_by_network", decline!.DeclineCode, "The bank did not return any further details with this decline.", "issuer_declined")
                : Outcome("approved_by_network", null, "Payment complete.", "authorized"),
            ["paid"] = !failed,
            ["payment_intent"] = intent.Id,
            ["payment_method"] = method.Id,
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["amount_authorized"] = failed ? null : amount,
                    ["authorization_code"] = failed ? null : state.Random.NextString(6, "0123456789"),
                    ["brand"] = card["brand"]?.DeepClone(),
                    ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = null, ["cvc_check"] = decline?.DeclineCode == "incorrect_cvc" ? "fail" : "pass" },
                    ["country"] = card["country"]?.DeepClone(),
                    ["exp_month"] = card["exp_month"]?.DeepClone(),
                    ["exp_year"] = card["exp_year"]?.DeepClone(),
                    ["extended_authorization"] = new JsonObject { ["status"] = "disabled" },
                    ["fingerprint"] = card["fingerprint"]?.DeepClone(),
                    ["funding"] = card["funding"]?.DeepClone(),
                    ["incremental_authorization"] = new JsonObject { ["status"] = "unavailable" },
                    ["installments"] = null,
                    ["last4"] = card["last4"]?.DeepClone(),
                    ["mandate"] = null,
                    ["multicapture"] = new JsonObject { ["status"] = "unavailable" },
                    ["network"] = card["brand"]?.DeepClone(),
                    ["network_token"] = new JsonObject { ["used"] = false },
                    ["network_transaction_id"] = failed ? null : state.Random.NextString(15, "0123456789"),
                    ["overcapture"] = new JsonObject { ["maximum_amount_capturable"] = amount, ["status"] = "unavailable" },
                    ["regulated_status"] = "unregulated",
                    ["three_d_secure"] = null,
                    ["wallet"] = null,
                },
                ["type"] = "card",
            },
            ["receipt_email"] = pi["receipt_email"]?.DeepClone(),
            ["receipt_number"] = null,
            ["receipt_url"] = $"https://pay.stripe.com/receipts/payment/{state.Random.NextAlphanumeric(40)}",
            ["refunded"] = false,
            ["refunds"] = StripeLists.Embedded([], $"/v1/charges/{id}/refunds"),
            ["review"] = null,
            ["shipping"] = pi["shipping"]?.DeepClone(),
            ["source"] = null,
            ["source_transfer"] = null,
            ["statement_descriptor"] = pi["statement_descriptor"]?.DeepClone(),
            ["statement_descriptor_suffix"] = null,
            ["status"] = failed ? "failed" : "succeeded",
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
        var charge = new StripeCharge(json, state.NextSequence());
        return state.Create(state.Charges, charge, failed ? "charge.failed" : "charge.succeeded");
    }

    private static JsonObject Outcome(string networkStatus, string? reason, string sellerMessage, string type) => new()
    {
        ["advice_code"] = null,
        ["network_advice_code"] = null,
        ["network_decline_code"] = null,
        ["network_status"] = networkStatus,
        ["reason"] = reason,
        ["risk_level"] = "normal",
        ["risk_score"] = 20,
        ["seller_message"] = sellerMessage,
        ["type"] = type,
    };

    /// <summary>Recomputes amount_refunded / refunded / refunds from the refunds table (and released uncaptured funds).</summary>
    public static void SyncRefunds(StripeState state, StripeCharge charge, string? eventType)
    {
        var refunds = state.Refunds.Items.Where(r => r.GetString("charge") == charge.Id)
            .OrderByDescending(r => r.Created).ThenByDescending(r => r.Sequence).ToList();
        var refunded = refunds.Where(r => r.GetString("status") is "succeeded" or "pending").Sum(r => r.Amount);
        var released = charge.GetBoolean("captured") ? charge.Amount - (charge.GetInt64("amount_captured") ?? 0) : 0;
        var data = new JsonArray();
        foreach (var refund in refunds)
        {
            data.Add(refund.Json.DeepClone());
        }

        state.Change(state.Charges, charge, json =>
        {
            json["amount_refunded"] = refunded + released;
            json["refunded"] = refunded + released >= charge.Amount && charge.Amount > 0;
            json["refunds"] = StripeLists.Embedded(data, $"/v1/charges/{charge.Id}/refunds");
        }, eventType);
    }

    public static StripeCharge Find(StripeCall call, string id, string param = "id") =>
        call.State.Charges.Find(id) ?? throw (param == "id" ? StripeErrors.NoSuch("charge", id) : StripeErrors.NoSuchParam("charge", id, param));

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("description", "metadata", "receipt_email", "shipping", "fraud_details", "transfer_group", "customer");
        StripeParams.ValidateMetadata(call.Params);
        var charge = Find(call, call.Route("id"));
        call.State.Change(call.State.Charges, charge, json =>
        {
            foreach (var field in (string[])["description", "receipt_email", "transfer_group"])
            {
                if (call.Has(field))
                {
                    json[field] = call.Str(field) is { Length: > 0 } value ? value : null;
                }
            }

            StripeParams.ApplyMetadata(json, call.Params);
        }, "charge.updated");
        return charge.Json;
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "customer", "payment_intent", "transfer_group"]);
        var customer = call.Str("customer");
        var intent = call.Str("payment_intent");
        var items = call.State.Charges.Items.Where(c =>
            (customer is null || c.GetString("customer") == customer) && (intent is null || c.GetString("payment_intent") == intent));
        return StripeLists.List(call, items, "/v1/charges", "charge");
    }

    public static JsonNode Search(StripeCall call) =>
        StripeLists.Search(call, call.State.Charges.Items, "charges",
            ["amount", "currency", "customer", "status", "created", "metadata", "payment_intent", "refunded", "disputed", "payment_method_details.card.last4"]);
}
