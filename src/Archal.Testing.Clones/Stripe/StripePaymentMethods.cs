using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>/v1/payment_methods</c>. The test tokens (<c>pm_card_visa</c>, <c>pm_card_chargeDeclined</c>, …) create a
/// fresh <c>pm_</c> object wherever they are used, as in Stripe's test mode; the card's last four digits
/// decide what a charge on it does (see <see cref="TestCard"/>).
/// </summary>
internal static class StripePaymentMethods
{
    /// <summary>What charging a test card does.</summary>
    internal sealed record TestCard(string Token, string Brand, string Last4, string? DeclineCode, string? ErrorCode, string? Message,
        bool RequiresAction = false, string Funding = "credit", bool Attachable = false);

    internal static readonly TestCard[] TestCards =
    [
        new("pm_card_visa", "visa", "4242", null, null, null),
        new("pm_card_mastercard", "mastercard", "4444", null, null, null),
        new("pm_card_amex", "amex", "8431", null, null, null),
        new("pm_card_chargeDeclined", "visa", "0002", "generic_decline", "card_declined", "Your card was declined."),
        new("pm_card_chargeDeclinedInsufficientFunds", "visa", "9995", "insufficient_funds", "card_declined", "Your card has insufficient funds."),
        new("pm_card_chargeDeclinedExpiredCard", "visa", "0069", "expired_card", "expired_card", "Your card has expired."),
        new("pm_card_chargeDeclinedIncorrectCvc", "visa", "0127", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
        new("pm_card_chargeDeclinedLostCard", "visa", "9987", "lost_card", "card_declined", "Your card has been declined."),
        new("pm_card_chargeDeclinedStolenCard", "visa", "9979", "stolen_card", "card_declined", "Your card has been declined."),
        new("pm_card_authenticationRequired", "visa", "3184", null, null, null, RequiresAction: true),
        // 4000000000000341: attaching succeeds, charging declines (Stripe's card for failed renewals).
        new("pm_card_chargeCustomerFail", "visa", "0341", "generic_decline", "card_declined", "Your card was declined.", Attachable: true),
    ];

    private static readonly Dictionary<string, TestCard> ByToken = TestCards.ToDictionary(c => c.Token, StringComparer.Ordinal);
    private static readonly Dictionary<string, TestCard> ByLast4 = TestCards.ToDictionary(c => c.Last4, StringComparer.Ordinal);

    /// <summary>How a stored payment method behaves when charged (by its card's last four digits).</summary>
    public static TestCard Behaviour(StripePaymentMethod method) =>
        method.Last4 is { } last4 && ByLast4.TryGetValue(last4, out var card) ? card : TestCards[0];

    /// <summary>Resolves a payment method id or test token; a token creates a new (unattached) payment method.</summary>
    public static StripePaymentMethod Resolve(StripeCall call, string idOrToken, string param)
    {
        if (call.State.PaymentMethods.Find(idOrToken) is { } existing)
        {
            return existing;
        }

        if (ByToken.TryGetValue(idOrToken, out var card))
        {
            return CreateFromCard(call.State, card);
        }

        throw param == "id" ? StripeErrors.NoSuch("PaymentMethod", idOrToken) : StripeErrors.NoSuchParam("PaymentMethod", idOrToken, param);
    }

    public static StripePaymentMethod CreateFromCard(StripeState state, TestCard card, JsonObject? billing = null)
    {
        var json = new JsonObject
        {
            ["id"] = state.NewId("pm_1", 23),
            ["object"] = "payment_method",
            ["allow_redisplay"] = "unspecified",
            ["billing_details"] = billing ?? new JsonObject
            {
                ["address"] = new JsonObject { ["city"] = null, ["country"] = null, ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null },
                ["email"] = null,
                ["name"] = null,
                ["phone"] = null,
                ["tax_id"] = null,
            },
            ["card"] = new JsonObject
            {
                ["brand"] = card.Brand,
                ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = null, ["cvc_check"] = "unchecked" },
                ["country"] = "US",
                ["display_brand"] = card.Brand == "amex" ? "american_express" : card.Brand,
                ["exp_month"] = 12,
                ["exp_year"] = state.Now.Year + 3,
                ["fingerprint"] = state.Random.NextAlphanumeric(16),
                ["funding"] = card.Funding,
                ["generated_from"] = null,
                ["last4"] = card.Last4,
                ["networks"] = new JsonObject { ["available"] = new JsonArray(card.Brand), ["preferred"] = null },
                ["regulated_status"] = "unregulated",
                ["three_d_secure_usage"] = new JsonObject { ["supported"] = true },
                ["wallet"] = null,
            },
            ["created"] = state.NowSeconds,
            ["customer"] = null,
            ["customer_account"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["type"] = "card",
        };
        return state.Create(state.PaymentMethods, new StripePaymentMethod(json, state.NextSequence()), null);
    }

    public static JsonNode Create(StripeCall call)
    {
        call.Allow("type", "card", "billing_details", "metadata", "allow_redisplay", "customer", "payment_method");
        StripeParams.ValidateMetadata(call.Params);
        var type = call.RequireStr("type");
        if (type != "card")
        {
            throw StripeErrors.InvalidRequest($"The payment method type `{type}` is not supported by this Stripe emulator; use `card`.", null, "type");
        }

        var card = StripeParams.Hash(call.Params, "card") ?? throw StripeErrors.Missing("card");
        StripeParams.Allow(card, ["token", "number", "exp_month", "exp_year", "cvc"], "card");
        TestCard? test = null;
        if (StripeParams.Str(card, "token", "card[token]") is { Length: > 0 } token)
        {
            var name = token.StartsWith("tok_", StringComparison.Ordinal) ? "pm_card_" + token[4..] : token;
            test = ByToken.GetValueOrDefault(name) ?? throw StripeErrors.NoSuchParam("token", token, "card[token]");
        }
        else if (StripeParams.Str(card, "number", "card[number]") is { Length: > 0 } number)
        {
            var digits = number.Replace(" ", "", StringComparison.Ordinal);
            test = digits.Length >= 13 ? ByLast4.GetValueOrDefault(digits[^4..]) : null;
            if (test is null)
            {
                throw StripeErrors.Card("Your card number is incorrect.", "incorrect_number", null, "number");
            }
        }
        else
        {
            throw StripeErrors.Missing("card[token]");
        }

        var method = CreateFromCard(call.State, test);
        call.State.Change(call.State.PaymentMethods, method, json => StripeParams.ApplyMetadata(json, call.Params), null);
        return method.Json;
    }

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        var id = call.Route("id");
        return (call.State.PaymentMethods.Find(id) ?? throw StripeErrors.NoSuch("PaymentMethod", id)).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow("metadata", "billing_details", "allow_redisplay", "card");
        StripeParams.ValidateMetadata(call.Params);
        var id = call.Route("id");
        var method = call.State.PaymentMethods.Find(id) ?? throw StripeErrors.NoSuch("PaymentMethod", id);
        call.State.Change(call.State.PaymentMethods, method, json => StripeParams.ApplyMetadata(json, call.Params), "payment_method.updated");
        return method.Json;
    }

    public static JsonNode Attach(StripeCall call)
    {
        call.Allow("customer");
        var customer = call.RequireStr("customer");
        return AttachTo(call, call.Route("id"), customer, "id").Json;
    }

    /// <summary>Attaches a payment method (or a fresh one from a test token) to a customer.</summary>
    public static StripePaymentMethod AttachTo(StripeCall call, string idOrToken, string customerId, string param)
    {
        var customer = StripeCustomers.Find(call, customerId, "customer");
        var method = Resolve(call, idOrToken, param);
        if (method.Customer == customer.Id)
        {
            return method;
        }

        if (method.Customer is not null)
        {
            throw StripeErrors.InvalidRequest(
                "The payment method you provided has already been attached to a customer.", "payment_method_already_attached", param);
        }

        var card = Behaviour(method);
        if (card.DeclineCode is not null && !card.Attachable)
        {
            // Stripe verifies a card when it is attached; declining test cards (but 0341) fail here.
            throw StripeErrors.Card(card.Message!, card.ErrorCode!, card.DeclineCode, card.ErrorCode == "incorrect_cvc" ? "cvc" : card.ErrorCode == "expired_card" ? "exp_month" : null);
        }

        call.State.Change(call.State.PaymentMethods, method, json => json["customer"] = customer.Id, null);
        call.State.Emit("payment_method.attached", method, null);
        return method;
    }

    public static JsonNode Detach(StripeCall call)
    {
        call.Allow();
        var id = call.Route("id");
        var method = call.State.PaymentMethods.Find(id) ?? throw StripeErrors.NoSuch("PaymentMethod", id);
        var customerId = method.Customer
            ?? throw StripeErrors.InvalidRequest("The payment method you provided is not attached to a customer so detachment is impossible.", null, null);
        var state = call.State;
        state.Change(state.PaymentMethods, method, json => json["customer"] = null, null);
        state.Emit("payment_method.detached", method, new JsonObject { ["customer"] = customerId });
        if (state.Customers.Find(customerId) is { } customer && customer.DefaultPaymentMethod == method.Id)
        {
            state.Change(state.Customers, customer, json => json["invoice_settings"]!["default_payment_method"] = null, "customer.updated");
        }

        return method.Json;
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "customer", "type", "allow_redisplay"]);
        var customer = call.Str("customer");
        var type = call.Str("type");
        if (customer is not null)
        {
            StripeCustomers.Find(call, customer, "customer");
        }

        var items = call.State.PaymentMethods.Items.Where(m =>
            (customer is null ? m.Customer is not null : m.Customer == customer) && (type is null || m.GetString("type") == type));
        return StripeLists.List(call, items, "/v1/payment_methods", "PaymentMethod");
    }

    public static JsonNode RetrieveForCustomer(StripeCall call)
    {
        call.Allow();
        var customer = StripeCustomers.Find(call, call.Route("id"));
        var id = call.Route("pm");
        var method = call.State.PaymentMethods.Find(id);
        return method is not null && method.Customer == customer.Id
            ? method.Json
            : throw StripeErrors.NoSuch("PaymentMethod", id, "payment_method");
    }

    public static JsonNode ListForCustomer(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "type", "allow_redisplay"]);
        var customer = StripeCustomers.Find(call, call.Route("id"));
        var type = call.Str("type");
        var items = call.State.PaymentMethods.Items.Where(m => m.Customer == customer.Id && (type is null || m.GetString("type") == type));
        return StripeLists.List(call, items, $"/v1/customers/{customer.Id}/payment_methods", "PaymentMethod");
    }
}
