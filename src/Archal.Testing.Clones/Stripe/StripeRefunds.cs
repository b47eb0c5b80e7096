using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary><c>/v1/refunds</c>: full or partial refunds by payment intent or charge; over-refunds are refused.</summary>
internal static class StripeRefunds
{
    public static JsonNode Create(StripeCall call)
    {
        call.Allow("payment_intent", "charge", "amount", "reason", "metadata", "instructions_email", "refund_application_fee",
            "reverse_transfer", "origin", "customer", "currency");
        StripeParams.ValidateMetadata(call.Params);
        var reason = call.Enum("reason", "duplicate", "fraudulent", "requested_by_customer");
        var chargeId = call.Str("charge");
        var intentId = call.Str("payment_intent");
        StripeCharge charge;
        if (!string.IsNullOrEmpty(chargeId))
        {
            charge = StripeCharges.Find(call, chargeId, "charge");
            if (!string.IsNullOrEmpty(intentId) && charge.GetString("payment_intent") != intentId)
            {
                throw StripeErrors.InvalidRequest($"Charge {charge.Id} does not belong to PaymentIntent {intentId}.", null, "payment_intent");
            }
        }
        else if (!string.IsNullOrEmpty(intentId))
        {
            var intent = StripePaymentIntents.Find(call, intentId, "payment_intent");
            charge = intent.GetString("latest_charge") is { } latest && call.State.Charges.Find(latest) is { Status: "succeeded" } found
                ? found
                : throw StripeErrors.InvalidRequest(
                    $"This PaymentIntent ({intent.Id}) does not have a successful charge to refund.", "charge_not_refundable", "payment_intent");
        }
        else
        {
            throw StripeErrors.InvalidRequest("One of the following params should be provided for this request: payment_intent or charge.", "parameter_missing");
        }

        var amount = call.Int("amount");
        return Refund(call.State, charge, amount, reason, call.Params).Json;
    }

    /// <summary>Refunds <paramref name="amount"/> (default: what remains) of a charge and updates the charge.</summary>
    public static StripeRefund Refund(StripeState state, StripeCharge charge, long? amount, string? reason, JsonObject? parameters)
    {
        if (charge.Status != "succeeded")
        {
            throw StripeErrors.InvalidRequest($"Charge {charge.Id} has a status of {charge.Status} and cannot be refunded.", "charge_not_refundable", "charge");
        }

        if (!charge.GetBoolean("captured"))
        {
            throw StripeErrors.InvalidRequest(
                $"Charge {charge.Id} has not been captured. Cancel its PaymentIntent to release the authorization instead.", "charge_not_refundable", "charge");
        }

        var remaining = charge.Amount - charge.AmountRefunded;
        if (remaining <= 0 || charge.GetBoolean("refunded"))
        {
            throw StripeErrors.InvalidRequest($"Charge {charge.Id} has already been refunded.", "charge_already_refunded", "charge");
        }

        var value = amount ?? remaining;
        if (value < 1)
        {
            throw StripeErrors.InvalidRequest("This value must be greater than or equal to 1.", null, "amount");
        }

        if (value > remaining)
        {
            throw StripeErrors.InvalidRequest(
                $"Refund amount ({Money(value, charge)}) is greater than unrefunded amount on charge ({Money(remaining, charge)})", "amount_too_large", "amount");
        }

        var json = new JsonObject
        {
            ["id"] = state.NewId("re_3", 23),
            ["object"] = "refund",
            ["amount"] = value,
            ["balance_transaction"] = null,
            ["charge"] = charge.Id,
            ["created"] = state.NowSeconds,
            ["currency"] = charge.GetString("currency"),
            ["customer"] = null,
            ["customer_account"] = null,
            ["destination_details"] = new JsonObject
            {
                ["card"] = new JsonObject { ["reference_status"] = "pending", ["reference_type"] = "acquirer_reference_number", ["type"] = "refund" },
                ["type"] = "card",
            },
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = charge.GetString("payment_intent"),
            ["payment_method"] = null,
            ["reason"] = reason,
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        };
        if (parameters is not null)
        {
            StripeParams.ApplyMetadata(json, parameters);
        }

        var refund = state.Create(state.Refunds, new StripeRefund(json, state.NextSequence()), "refund.created");
        StripeCharges.SyncRefunds(state, charge, "charge.refunded");
        return refund;
    }

    private static string Money(long amount, StripeCharge charge) =>
        charge.GetString("currency") is "usd" or null
            ? "$" + (amount / 100m).ToString("0.00", CultureInfo.InvariantCulture)
            : (amount / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + charge.GetString("currency")!.ToUpperInvariant();

    public static StripeRefund Find(StripeCall call, string id) =>
        call.State.Refunds.Find(id) ?? throw StripeErrors.NoSuch("refund", id);

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("metadata");
        StripeParams.ValidateMetadata(call.Params);
        var refund = Find(call, call.Route("id"));
        call.State.Change(call.State.Refunds, refund, json => StripeParams.ApplyMetadata(json, call.Params), "refund.updated");
        return refund.Json;
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "charge", "payment_intent"]);
        var charge = call.Str("charge");
        var intent = call.Str("payment_intent");
        var items = call.State.Refunds.Items.Where(r =>
            (charge is null || r.GetString("charge") == charge) && (intent is null || r.GetString("payment_intent") == intent));
        return StripeLists.List(call, items, "/v1/refunds", "refund");
    }
}
