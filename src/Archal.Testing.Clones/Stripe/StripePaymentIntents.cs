using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>/v1/payment_intents</c> and its status machine: requires_payment_method → requires_confirmation →
/// (requires_action | requires_capture | succeeded), declines back to requires_payment_method with
/// <c>last_payment_error</c> and a failed charge, cancel from any open status.
/// </summary>
internal static class StripePaymentIntents
{
    private static readonly string[] CreateParams =
        ["amount", "currency", "customer", "description", "metadata", "payment_method", "payment_method_types", "confirm",
         "capture_method", "confirmation_method", "receipt_email", "setup_future_usage", "statement_descriptor",
         "statement_descriptor_suffix", "off_session", "return_url", "automatic_payment_methods", "error_on_requires_action",
         "shipping", "transfer_group", "payment_method_options", "use_stripe_sdk", "mandate_data", "excluded_payment_method_types",
         "payment_method_data", "radar_options", "on_behalf_of", "application_fee_amount", "transfer_data",
         "allowed_payment_method_types", "payment_method_configuration"];

    // The payment method types the clone can charge (its test payment methods are cards).
    private static readonly string[] SupportedTypes = ["card"];

    private static readonly string[] OpenStatuses = ["requires_payment_method", "requires_confirmation", "requires_action"];

    public static JsonNode Create(StripeCall call)
    {
        call.Allow(CreateParams);
        var amount = call.Int("amount") ?? throw StripeErrors.Missing("amount");
        var currency = call.Str("currency") is { Length: > 0 } c ? c.ToLowerInvariant() : throw StripeErrors.Missing("currency");
        ValidateAmount(amount, currency, "amount");
        StripeParams.ValidateMetadata(call.Params);
        var captureMethod = call.Enum("capture_method", "automatic", "automatic_async", "manual") ?? "automatic_async";
        var confirmationMethod = call.Enum("confirmation_method", "automatic", "manual") ?? "automatic";
        var customer = call.Str("customer") is { Length: > 0 } customerId ? StripeCustomers.Find(call, customerId, "customer").Id : null;
        var state = call.State;
        StripePaymentMethod? method = null;
        if (call.Str("payment_method") is { Length: > 0 } pm)
        {
            method = StripePaymentMethods.Resolve(call, pm, "payment_method");
            CheckOwnership(method, customer);
        }

        var types = ReadPaymentMethodTypes(call);
        var automatic = ReadAutomaticPaymentMethods(call);
        var confirm = call.Bool("confirm") == true;
        if (confirm && method is null)
        {
            throw StripeErrors.UnexpectedState(
                "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
                "payment_method");
        }

        var id = state.NewId("pi_3", 23);
        var json = New(state, id, amount, currency, customer);
        json["capture_method"] = captureMethod;
        json["confirmation_method"] = confirmationMethod;
        json["payment_method"] = method?.Id;
        json["status"] = method is null ? "requires_payment_method" : "requires_confirmation";
        if (automatic is not null)
        {
            json["automatic_payment_methods"] = automatic;
        }

        types?.Apply(json);

        foreach (var field in (string[])["description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "transfer_group"])
        {
            if (call.Str(field) is { Length: > 0 } value)
            {
                json[field] = value;
            }
        }

        if (call.Enum("setup_future_usage", "off_session", "on_session") is { } usage)
        {
            json["setup_future_usage"] = usage;
        }

        StripeParams.ApplyMetadata(json, call.Params);
        var intent = state.Create(state.PaymentIntents, new StripePaymentIntent(json, state.NextSequence()), "payment_intent.created");
        if (confirm && method is not null)
        {
            Attempt(state, intent, method, call.Bool("off_session") == true, call.Bool("error_on_requires_action") == true);
        }

        return intent.Json;
    }

    /// <summary>A new payment intent's full JSON with Stripe's defaults.</summary>
    public static JsonObject New(StripeState state, string id, long amount, string currency, string? customer) => new()
    {
        ["id"] = id,
        ["object"] = "payment_intent",
        ["amount"] = amount,
        ["amount_capturable"] = 0,
        ["amount_details"] = new JsonObject { ["tip"] = new JsonObject() },
        ["amount_received"] = 0,
        ["allowed_payment_method_types"] = null,
        ["application"] = null,
        ["application_fee_amount"] = null,
        ["automatic_payment_methods"] = new JsonObject { ["allow_redirects"] = "always", ["enabled"] = true },
        ["canceled_at"] = null,
        ["cancellation_reason"] = null,
        ["capture_method"] = "automatic_async",
        ["client_secret"] = $"{id}_secret_{state.Random.NextAlphanumeric(25)}",
        ["confirmation_method"] = "automatic",
        ["created"] = state.NowSeconds,
        ["currency"] = currency,
        ["customer"] = customer,
        ["customer_account"] = null,
        ["description"] = null,
        ["excluded_payment_method_types"] = null,
        ["last_payment_error"] = null,
        ["latest_charge"] = null,
        ["livemode"] = false,
        ["managed_payments"] = new JsonObject { ["enabled"] = false },
        ["metadata"] = new JsonObject(),
        ["next_action"] = null,
        ["on_behalf_of"] = null,
        ["payment_method"] = null,
        ["payment_method_configuration_details"] = null,
        ["payment_method_options"] = new JsonObject
        {
            ["card"] = new JsonObject { ["installments"] = null, ["mandate_options"] = null, ["network"] = null, ["request_three_d_secure"] = "automatic" },
        },
        ["payment_method_types"] = new JsonArray("card"),
        ["processing"] = null,
        ["receipt_email"] = null,
        ["review"] = null,
        ["setup_future_usage"] = null,
        ["shipping"] = null,
        ["source"] = null,
        ["statement_descriptor"] = null,
        ["statement_descriptor_suffix"] = null,
        ["status"] = "requires_payment_method",
        ["transfer_data"] = null,
        ["transfer_group"] = null,
    };

    /// <summary>
    /// How the request chooses payment method types, checked against the request's API version:
    /// <c>allowed_payment_method_types</c> exists from 2026-07-29 (dahlia) and excludes <c>payment_method_types</c>,
    /// <c>excluded_payment_method_types</c>, <c>automatic_payment_methods</c> and <c>payment_method_configuration</c>;
    /// Stripe reflects its compatible subset in <c>payment_method_types</c>
    /// (https://docs.stripe.com/changelog/dahlia/2026-07-29/allowed-payment-method-types-parameter).
    /// From 2026-09-30 (endive) <c>payment_method_types</c> is read-only and writing it is a 400
    /// <c>payment_method_types_no_longer_supported</c>
    /// (https://docs.stripe.com/changelog/endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents).
    /// </summary>
    private static PaymentMethodTypes? ReadPaymentMethodTypes(StripeCall call)
    {
        var version = call.State.CurrentRequest?.ApiVersion ?? StripeClone.DefaultApiVersion;
        if (call.Has("payment_method_types") && !StripeVersions.IsBefore(version, StripeVersions.PaymentMethodTypesRemoved))
        {
            throw StripeErrors.InvalidRequest(
                $"The `payment_method_types` parameter is not supported on API version {version}. Use `allowed_payment_method_types` " +
                "to limit the payment methods, `excluded_payment_method_types` to exclude some, or dynamic payment methods.",
                "payment_method_types_no_longer_supported", "payment_method_types");
        }

        if (call.Has("allowed_payment_method_types"))
        {
            if (StripeVersions.IsBefore(version, StripeVersions.AllowedPaymentMethodTypes))
            {
                throw StripeErrors.Unknown("allowed_payment_method_types");
            }

            string[] exclusive = ["payment_method_types", "excluded_payment_method_types", "automatic_payment_methods", "payment_method_configuration"];
            if (exclusive.FirstOrDefault(call.Has) is { } other)
            {
                throw StripeErrors.InvalidRequest($"You may only specify one of these parameters: allowed_payment_method_types, {other}.", null, "allowed_payment_method_types");
            }

            var allowed = StripeParams.StringArray(call.Params, "allowed_payment_method_types") ?? [];
            return new PaymentMethodTypes(allowed, [.. allowed.Where(SupportedTypes.Contains).Distinct()]);
        }

        return StripeParams.StringArray(call.Params, "payment_method_types") is { Count: > 0 } types ? new PaymentMethodTypes(null, types) : null;
    }

    /// <summary><c>automatic_payment_methods[enabled]</c> and <c>[allow_redirects]</c> as sent (allow_redirects defaults to <c>always</c>).</summary>
    private static JsonObject? ReadAutomaticPaymentMethods(StripeCall call)
    {
        if (StripeParams.Hash(call.Params, "automatic_payment_methods") is not { } hash)
        {
            return null;
        }

        StripeParams.Allow(hash, ["enabled", "allow_redirects"], "automatic_payment_methods");
        var enabled = StripeParams.Bool(hash, "enabled", "automatic_payment_methods[enabled]") ?? throw StripeErrors.Missing("automatic_payment_methods[enabled]");
        var redirects = StripeParams.Enum(hash, "allow_redirects", ["always", "never"], "automatic_payment_methods[allow_redirects]") ?? "always";
        return new JsonObject { ["allow_redirects"] = redirects, ["enabled"] = enabled };
    }

    /// <summary>The types a request set: <paramref name="Allowed"/> as sent (null for <c>payment_method_types</c>) and the resulting list.</summary>
    private sealed record PaymentMethodTypes(List<string>? Allowed, List<string> Types)
    {
        public void Apply(JsonObject json)
        {
            json["allowed_payment_method_types"] = Allowed is null ? null : new JsonArray([.. Allowed.Select(t => (JsonNode)JsonValue.Create(t))]);
            json["payment_method_types"] = new JsonArray([.. Types.Select(t => (JsonNode)JsonValue.Create(t))]);
            json["automatic_payment_methods"] = null;
            json["excluded_payment_method_types"] = null;
        }
    }

    public static void ValidateAmount(long amount, string currency, string param)
    {
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterLower))
        {
            throw StripeErrors.InvalidRequest($"Invalid currency: {currency}. Stripe currently supports these currencies: usd, eur, gbp, cad, aud, jpy, …", null, "currency");
        }

        if (amount < 50 && currency is "usd" or "eur" or "cad" or "aud")
        {
            throw StripeErrors.InvalidRequest($"Amount must be at least 50 cents", "amount_too_small", param);
        }

        if (amount < 1)
        {
            throw StripeErrors.InvalidRequest("This value must be greater than or equal to 1.", "amount_too_small", param);
        }

        if (amount > 99_999_999)
        {
            throw StripeErrors.InvalidRequest("Amount must be no more than $999,999.99", "amount_too_large", param);
        }
    }

    private static void CheckOwnership(StripePaymentMethod method, string? customer)
    {
        if (method.Customer is not null && method.Customer != customer)
        {
            throw StripeErrors.InvalidRequest(
                customer is null
                    ? $"The PaymentMethod {method.Id} belongs to the Customer {method.Customer}. Please include the Customer in the `customer` parameter on the PaymentIntent."
                    : $"The PaymentMethod {method.Id} does not belong to the Customer {customer}.",
                null, "payment_method");
        }
    }

    private static StripeApiException MissingPaymentMethod(StripePaymentIntent intent) =>
        StripeErrors.UnexpectedState(
            "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with "
            + (intent.GetString("customer") ?? "a customer") + ", specify a payment method attached to this customer along with the customer ID.");

    /// <summary>
    /// Runs a payment attempt on a confirmed intent: a charge (succeeded or failed), the intent's new status and its
    /// events. A decline throws Stripe's 402 <c>card_error</c> after the state has changed.
    /// </summary>
    public static void Attempt(StripeState state, StripePaymentIntent intent, StripePaymentMethod method, bool offSession, bool errorOnRequiresAction)
    {
        // An injected decline is this attempt's outcome, whatever the card (one attempt per injected fault).
        var card = state.InjectedDecline ?? StripePaymentMethods.Behaviour(method);
        state.InjectedDecline = null;
        var table = state.PaymentIntents;
        if (card.RequiresAction && !offSession && !errorOnRequiresAction)
        {
            state.Change(table, intent, json =>
            {
                json["payment_method"] = method.Id;
                json["status"] = "requires_action";
                json["next_action"] = new JsonObject
                {
                    ["type"] = "use_stripe_sdk",
                    ["use_stripe_sdk"] = new JsonObject
                    {
                        ["type"] = "three_d_secure_redirect",
                        ["stripe_js"] = $"https://hooks.stripe.com/redirect/authenticate/src_{state.Random.NextAlphanumeric(24)}",
                        ["source"] = $"src_{state.Random.NextAlphanumeric(24)}",
                    },
                };
            }, null);
            state.Emit("payment_intent.requires_action", intent, null);
            return;
        }

        var decline = card.DeclineCode is not null ? card
            : card.RequiresAction ? card with { DeclineCode = "authentication_required", ErrorCode = "authentication_required", Message = "Your card was declined. This transaction requires authentication." }
            : null;
        var manual = intent.GetString("capture_method") == "manual";
        var charge = StripeCharges.Create(state, intent, method, decline, capture: !manual);
        if (decline is not null)
        {
            var error = new JsonObject
            {
                ["charge"] = charge.Id,
                ["code"] = decline.ErrorCode,
                ["decline_code"] = decline.DeclineCode,
                ["doc_url"] = $"https://stripe.com/docs/error-codes/{decline.ErrorCode!.Replace('_', '-')}",
                ["message"] = decline.Message,
                ["payment_method"] = method.Json.DeepClone(),
                ["type"] = "card_error",
            };
            var param = decline.ErrorCode == "incorrect_cvc" ? "cvc" : decline.ErrorCode == "expired_card" ? "exp_month" : null;
            if (param is not null)
            {
                error["param"] = param;
            }

            state.Change(table, intent, json =>
            {
                json["status"] = "requires_payment_method";
                json["payment_method"] = null;
                json["latest_charge"] = charge.Id;
                json["last_payment_error"] = error.DeepClone();
                json["next_action"] = null;
            }, null);
            state.Emit("payment_intent.payment_failed", intent, null);
            var exception = StripeErrors.Card(decline.Message!, decline.ErrorCode!, decline.DeclineCode, param);
            exception.Extra["charge"] = charge.Id;
            exception.Extra["payment_intent"] = intent.Json.DeepClone();
            exception.Extra["payment_method"] = method.Json.DeepClone();
            throw exception;
        }

        state.Change(table, intent, json =>
        {
            json["payment_method"] = method.Id;
            json["latest_charge"] = charge.Id;
            json["last_payment_error"] = null;
            json["next_action"] = null;
            if (manual)
            {
                json["status"] = "requires_capture";
                json["amount_capturable"] = intent.Amount;
            }
            else
            {
                json["status"] = "succeeded";
                json["amount_received"] = intent.Amount;
            }
        }, null);
        state.Emit(manual ? "payment_intent.amount_capturable_updated" : "payment_intent.succeeded", intent, null);
        if (intent.Json["setup_future_usage"] is not null && intent.GetString("customer") is { } customer && method.Customer is null)
        {
            state.Change(state.PaymentMethods, method, json => json["customer"] = customer, null);
            state.Emit("payment_method.attached", method, null);
        }
    }

    public static StripePaymentIntent Find(StripeCall call, string id, string param = "id") =>
        call.State.PaymentIntents.Find(id)
        ?? throw (param == "id" ? StripeErrors.NoSuch("payment_intent", id) : StripeErrors.NoSuchParam("payment_intent", id, param));

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow("client_secret");
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("amount", "currency", "customer", "description", "metadata", "payment_method", "payment_method_types", "receipt_email",
            "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix", "shipping", "capture_method", "transfer_group",
            "payment_method_options", "payment_method_data", "excluded_payment_method_types", "allowed_payment_method_types",
            "payment_method_configuration");
        StripeParams.ValidateMetadata(call.Params);
        var types = ReadPaymentMethodTypes(call);
        var intent = Find(call, call.Route("id"));
        var state = call.State;
        foreach (var restricted in (string[])["amount", "currency", "payment_method", "capture_method", "customer"])
        {
            if (call.Has(restricted) && !OpenStatuses.Contains(intent.Status))
            {
                throw StripeErrors.UnexpectedState(
                    $"This PaymentIntent's {restricted} could not be updated because it has a status of {intent.Status}. You may only update the {restricted} of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.",
                    restricted);
            }
        }

        var amount = call.Int("amount");
        var currency = call.Str("currency") is { Length: > 0 } c ? c.ToLowerInvariant() : intent.GetString("currency")!;
        if (amount is not null || call.Has("currency"))
        {
            ValidateAmount(amount ?? intent.Amount, currency, "amount");
        }

        string? customer = intent.GetString("customer");
        if (call.Has("customer"))
        {
            customer = call.Str("customer") is { Length: > 0 } id ? StripeCustomers.Find(call, id, "customer").Id : null;
        }

        StripePaymentMethod? method = null;
        if (call.Str("payment_method") is { Length: > 0 } pm)
        {
            method = StripePaymentMethods.Resolve(call, pm, "payment_method");
            CheckOwnership(method, customer);
        }

        var captureMethod = call.Enum("capture_method", "automatic", "automatic_async", "manual");
        state.Change(state.PaymentIntents, intent, json =>
        {
            if (amount is not null)
            {
                json["amount"] = amount;
            }

            json["currency"] = currency;
            json["customer"] = customer;
            if (captureMethod is not null)
            {
                json["capture_method"] = captureMethod;
            }

            if (method is not null)
            {
                json["payment_method"] = method.Id;
                if (intent.Status == "requires_payment_method")
                {
                    json["status"] = "requires_confirmation";
                }
            }

            foreach (var field in (string[])["description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "transfer_group"])
            {
                if (call.Has(field))
                {
                    json[field] = call.Str(field) is { Length: > 0 } value ? value : null;
                }
            }

            types?.Apply(json);
            StripeParams.ApplyMetadata(json, call.Params);
        }, null);
        return intent.Json;
    }

    public static JsonNode Confirm(StripeCall call)
    {
        call.Allow("payment_method", "off_session", "return_url", "receipt_email", "setup_future_usage", "error_on_requires_action",
            "capture_method", "payment_method_types", "payment_method_options", "payment_method_data", "mandate_data", "shipping",
            "use_stripe_sdk", "client_secret", "radar_options", "allowed_payment_method_types", "excluded_payment_method_types",
            "payment_method_configuration");
        var types = ReadPaymentMethodTypes(call);
        var intent = Find(call, call.Route("id"));
        var state = call.State;
        switch (intent.Status)
        {
            case "succeeded":
                throw StripeErrors.UnexpectedState("You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.");
            case "canceled":
                throw StripeErrors.UnexpectedState("You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.");
            case "requires_capture":
                throw StripeErrors.UnexpectedState("You cannot confirm this PaymentIntent because it has a status of requires_capture. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.");
        }

        var methodId = call.Str("payment_method") is { Length: > 0 } pm ? pm : intent.GetString("payment_method");
        if (methodId is null)
        {
            throw MissingPaymentMethod(intent);
        }

        var method = StripePaymentMethods.Resolve(call, methodId, "payment_method");
        CheckOwnership(method, intent.GetString("customer"));
        var captureMethod = call.Enum("capture_method", "automatic", "automatic_async", "manual");
        state.Change(state.PaymentIntents, intent, json =>
        {
            types?.Apply(json);
            json["payment_method"] = method.Id;
            if (captureMethod is not null)
            {
                json["capture_method"] = captureMethod;
            }

            if (call.Str("receipt_email") is { Length: > 0 } email)
            {
                json["receipt_email"] = email;
            }

            if (call.Enum("setup_future_usage", "off_session", "on_session") is { } usage)
            {
                json["setup_future_usage"] = usage;
            }
        }, null);
        Attempt(state, intent, method, call.Bool("off_session") == true, call.Bool("error_on_requires_action") == true);
        return intent.Json;
    }

    public static JsonNode Capture(StripeCall call)
    {
        call.Allow("amount_to_capture", "metadata", "statement_descriptor", "statement_descriptor_suffix", "final_capture", "application_fee_amount");
        StripeParams.ValidateMetadata(call.Params);
        var intent = Find(call, call.Route("id"));
        if (intent.Status != "requires_capture")
        {
            throw StripeErrors.UnexpectedState(
                $"This PaymentIntent could not be captured because it has a status of {intent.Status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.");
        }

        var capturable = intent.GetInt64("amount_capturable") ?? 0;
        var amount = call.Int("amount_to_capture") ?? capturable;
        if (amount > capturable)
        {
            throw StripeErrors.InvalidRequest(
                $"The amount to capture ({amount}) is greater than the amount capturable on this PaymentIntent ({capturable}).", "amount_too_large", "amount_to_capture");
        }

        if (amount < 1)
        {
            throw StripeErrors.InvalidRequest("This value must be greater than or equal to 1.", null, "amount_to_capture");
        }

        var state = call.State;
        var charge = state.Charges.Find(intent.GetString("latest_charge")!)!;
        state.Change(state.Charges, charge, json =>
        {
            json["captured"] = true;
            json["amount_captured"] = amount;
        }, null);
        StripeCharges.SyncRefunds(state, charge, null);
        state.Emit("charge.captured", charge, null);
        state.Change(state.PaymentIntents, intent, json =>
        {
            json["status"] = "succeeded";
            json["amount_capturable"] = 0;
            json["amount_received"] = amount;
            StripeParams.ApplyMetadata(json, call.Params);
        }, null);
        state.Emit("payment_intent.succeeded", intent, null);
        return intent.Json;
    }

    public static JsonNode Cancel(StripeCall call)
    {
        call.Allow("cancellation_reason");
        var reason = call.Enum("cancellation_reason", "duplicate", "fraudulent", "requested_by_customer", "abandoned");
        var intent = Find(call, call.Route("id"));
        if (intent.Status is "succeeded" or "canceled")
        {
            throw StripeErrors.UnexpectedState(
                $"You cannot cancel this PaymentIntent because it has a status of {intent.Status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.");
        }

        var state = call.State;
        if (intent.Status == "requires_capture" && state.Charges.Find(intent.GetString("latest_charge")!) is { } charge)
        {
            // Releasing an uncaptured authorization refunds it in full.
            state.Change(state.Charges, charge, json =>
            {
                json["amount_refunded"] = charge.Amount;
                json["refunded"] = true;
            }, "charge.refunded");
        }

        state.Change(state.PaymentIntents, intent, json =>
        {
            json["status"] = "canceled";
            json["canceled_at"] = call.Now;
            json["cancellation_reason"] = reason;
            json["amount_capturable"] = 0;
            json["next_action"] = null;
        }, null);
        state.Emit("payment_intent.canceled", intent, null);
        return intent.Json;
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "customer"]);
        var customer = call.Str("customer");
        var items = call.State.PaymentIntents.Items.Where(p => customer is null || p.GetString("customer") == customer);
        return StripeLists.List(call, items, "/v1/payment_intents", "payment_intent");
    }

    public static JsonNode Search(StripeCall call) =>
        StripeLists.Search(call, call.State.PaymentIntents.Items, "payment_intents", ["amount", "currency", "customer", "status", "created", "metadata"]);
}
