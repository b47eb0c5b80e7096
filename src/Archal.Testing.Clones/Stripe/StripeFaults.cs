using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Injected Stripe errors, in Stripe's error object (https://docs.stripe.com/api/errors, https://docs.stripe.com/error-codes,
/// https://docs.stripe.com/declines/codes, https://docs.stripe.com/rate-limits): 429 <c>rate_limit</c> and
/// <c>lock_timeout</c>, 500 <c>api_error</c>, and 402 <c>card_error</c> for a decline code.
/// </summary>
internal static class StripeFaults
{
    /// <summary>Decline codes Stripe documents, with the message Stripe shows the card holder.</summary>
    private static readonly Dictionary<string, string> DeclineCodes = new(StringComparer.Ordinal)
    {
        ["generic_decline"] = "Your card was declined.",
        ["insufficient_funds"] = "Your card has insufficient funds.",
        ["lost_card"] = "Your card has been declined.",
        ["stolen_card"] = "Your card has been declined.",
        ["expired_card"] = "Your card has expired.",
        ["incorrect_cvc"] = "Your card's security code is incorrect.",
        ["incorrect_number"] = "Your card number is incorrect.",
        ["processing_error"] = "An error occurred while processing your card. Try again in a little bit.",
        ["do_not_honor"] = "Your card was declined.",
        ["fraudulent"] = "Your card was declined.",
        ["card_velocity_exceeded"] = "Your card was declined for making repeated attempts too frequently or exceeding its amount limit.",
        ["card_not_supported"] = "Your card does not support this type of purchase.",
        ["currency_not_supported"] = "Your card does not support this currency.",
        ["authentication_required"] = "Your card was declined. This transaction requires authentication.",
        ["try_again_later"] = "Your card was declined.",
        ["withdrawal_count_limit_exceeded"] = "Your card was declined.",
    };

    /// <summary>Decline codes that are also the error's <c>code</c> (the rest are <c>card_declined</c>).</summary>
    private static readonly HashSet<string> OwnErrorCodes = ["expired_card", "incorrect_cvc", "incorrect_number", "processing_error", "authentication_required"];

    public static string? Check(CloneFault fault) => fault.Code switch
    {
        null => fault.Status is >= 400 and <= 599 ? null : "status must be an HTTP error status (400 to 599)",
        "rate_limit" or "lock_timeout" => fault.Status is null or 429 ? null : $"Stripe answers '{fault.Code}' with status 429, not {fault.Status}",
        "api_error" => fault.Status is null or >= 500 and <= 599 ? null : $"Stripe answers 'api_error' with a 5xx status, not {fault.Status}",
        "card_declined" => fault.Status is null or 402 ? null : $"Stripe answers a decline with status 402, not {fault.Status}",
        var code when DeclineCodes.ContainsKey(code) => fault.Status is null or 402 ? null : $"Stripe answers a decline with status 402, not {fault.Status}",
        _ => $"Stripe has no injectable error code '{fault.Code}'; known codes: rate_limit, lock_timeout, api_error, card_declined and the decline codes "
            + string.Join(", ", DeclineCodes.Keys),
    };

    public static Task WriteAsync(HttpContext http, CloneFault fault)
    {
        var state = http.GetCloneState<StripeState>();
        if (Decline(fault) is { } decline && AttemptsPayment(http) && http.GetEndpoint()?.RequestDelegate is { } handler)
        {
            return DeclineAsync(http, state, decline, handler);
        }

        var requestId = state.NewRequestId();
        StripeClone.SetHeaders(http, requestId);
        var error = Error(fault);
        if (fault.Code == "lock_timeout")
        {
            http.Response.Headers["Stripe-Should-Retry"] = "true";
        }

        return StripeClone.WriteAsync(http, error.Status, error.ToBody(requestId).ToJsonString(CloneJson.SnakeCase));
    }

    /// <summary>
    /// An injected decline on a call that attempts a payment is that payment's outcome, as Stripe records a decline: the
    /// call runs, its payment attempt fails with the decline code (a failed charge, the intent back in
    /// <c>requires_payment_method</c> with <c>last_payment_error</c>, <c>charge.failed</c> and
    /// <c>payment_intent.payment_failed</c>, an invoice left open) and the caller gets the 402 <c>card_error</c>
    /// (https://docs.stripe.com/declines, https://docs.stripe.com/api/payment_intents/object#payment_intent_object-last_payment_error).
    /// </summary>
    private static async Task DeclineAsync(HttpContext http, StripeState state, StripePaymentMethods.TestCard decline, RequestDelegate handler)
    {
        state.InjectedDecline = decline;
        try
        {
            await handler(http).ConfigureAwait(false);
        }
        finally
        {
            state.InjectedDecline = null;
        }
    }

    /// <summary>Whether the call makes a payment attempt: confirming an intent (or creating one with <c>confirm=true</c>), paying an invoice.</summary>
    private static bool AttemptsPayment(HttpContext http)
    {
        var context = http.GetCloneContext();
        return context.Operation?.Id switch
        {
            "payment_intents/confirm" or "invoices/pay" => true,
            "payment_intents/create" => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(context.Body.Span))
                .TryGetValue("confirm", out var confirm) && confirm == "true",
            _ => false,
        };
    }

    /// <summary>The card behaviour of an injected decline code, or null when the fault is not a decline.</summary>
    private static StripePaymentMethods.TestCard? Decline(CloneFault fault)
    {
        if (fault.Code is not { } code || (code != "card_declined" && !DeclineCodes.ContainsKey(code)))
        {
            return null;
        }

        var decline = code == "card_declined" ? "generic_decline" : code;
        return new("injected", "visa", "4242", decline, OwnErrorCodes.Contains(decline) ? decline : "card_declined", DeclineCodes[decline]);
    }

    private static StripeApiException Error(CloneFault fault)
    {
        switch (fault.Code)
        {
            case "rate_limit" or null when fault.Status is null or 429:
                return new(StatusCodes.Status429TooManyRequests, "invalid_request_error",
                    "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", "rate_limit");
            case "lock_timeout":
                return new(StatusCodes.Status429TooManyRequests, "invalid_request_error",
                    "This object cannot be accessed right now because another API request or Stripe process is currently accessing it. "
                    + "If you see this error intermittently, retry the request. If you see this error frequently and are making multiple "
                    + "concurrent requests to a single object, make your requests serially or at a lower rate. See "
                    + "https://stripe.com/docs/rate-limits for more details.", "lock_timeout");
            case "api_error":
            case null when fault.Status >= 500:
                return new(fault.Status ?? StatusCodes.Status500InternalServerError, "api_error", "An unknown error occurred");
            case null:
                return new(fault.Status!.Value, "invalid_request_error", Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(fault.Status.Value));
            default:
                var card = Decline(fault)!;
                var param = card.DeclineCode switch { "incorrect_cvc" => "cvc", "expired_card" => "exp_month", "incorrect_number" => "number", _ => null };
                return StripeErrors.Card(card.Message!, card.ErrorCode!, card.DeclineCode, param);
        }
    }
}
