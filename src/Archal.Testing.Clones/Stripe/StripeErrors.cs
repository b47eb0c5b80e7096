using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Stripe;

/// <summary>A Stripe API error: thrown by handlers, rendered as <c>{"error": {...}}</c> with its status.</summary>
internal sealed class StripeApiException : Exception
{
    public StripeApiException(int status, string type, string message, string? code = null, string? param = null,
        string? declineCode = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Code = code;
        Param = param;
        DeclineCode = declineCode;
    }

    public StripeApiException() : this(500, "api_error", "An unknown error occurred.") { }

    public StripeApiException(string message) : this(500, "api_error", message) { }

    public StripeApiException(string message, Exception innerException) : base(message, innerException)
    {
        Status = 500;
        Type = "api_error";
    }

    public int Status { get; }

    public string Type { get; }

    public string? Code { get; }

    public string? Param { get; }

    public string? DeclineCode { get; }

    /// <summary>Extra fields of the error object (card errors carry charge, payment_intent, payment_method).</summary>
    public JsonObject Extra { get; } = [];

    /// <summary>Whether an idempotent replay should store this outcome (the endpoint ran: card declines).</summary>
    public bool SavedForIdempotency => Status == StatusCodes.Status402PaymentRequired;

    public JsonObject ToBody(string requestId)
    {
        var error = new JsonObject();
        if (Code is not null)
        {
            error["code"] = Code;
        }

        if (DeclineCode is not null)
        {
            error["decline_code"] = DeclineCode;
        }

        if (Code is not null)
        {
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{Code.Replace('_', '-')}";
        }

        error["message"] = Message;
        if (Param is not null)
        {
            error["param"] = Param;
        }

        error["request_log_url"] = $"https://dashboard.stripe.com/test/logs/{requestId}";
        error["type"] = Type;
        foreach (var (name, value) in Extra)
        {
            error[name] = value?.DeepClone();
        }

        return new JsonObject { ["error"] = error };
    }
}

/// <summary>Stripe's error shapes and messages.</summary>
internal static class StripeErrors
{
    public const string NoApiKeyMessage =
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth " +
        "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, " +
        "or we can help at https://support.stripe.com/.";

    public static StripeApiException InvalidRequest(string message, string? code = null, string? param = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", message, code, param);

    public static StripeApiException NoApiKey() =>
        new(StatusCodes.Status401Unauthorized, "invalid_request_error", NoApiKeyMessage);

    public static StripeApiException InvalidApiKey(string key) =>
        new(StatusCodes.Status401Unauthorized, "invalid_request_error",
            $"Invalid API Key provided: {Mask(key)}", "api_key_invalid");

    public static StripeApiException Missing(string param) =>
        InvalidRequest($"Missing required param: {param}.", "parameter_missing", param);

    public static StripeApiException Unknown(string param) =>
        InvalidRequest($"Received unknown parameter: {param}", "parameter_unknown", param);

    public static StripeApiException InvalidInteger(string param, string value) =>
        InvalidRequest($"Invalid integer: {value}", "parameter_invalid_integer", param);

    public static StripeApiException InvalidBoolean(string param, string value) =>
        InvalidRequest($"Invalid boolean: {value}", null, param);

    public static StripeApiException InvalidEnum(string param, IReadOnlyList<string> allowed) =>
        InvalidRequest($"Invalid {param}: must be one of {JoinOr(allowed)}", null, param);

    public static StripeApiException InvalidHash(string param) =>
        InvalidRequest("Invalid hash", null, param);

    public static StripeApiException InvalidArray(string param) =>
        InvalidRequest("Invalid array", null, param);

    /// <summary>404 <c>resource_missing</c>: "No such customer: 'cus_x'".</summary>
    public static StripeApiException NoSuch(string kind, string id, string param = "id") =>
        new(StatusCodes.Status404NotFound, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing", param);

    /// <summary>A referenced object in a parameter does not exist (400 with the parameter name).</summary>
    public static StripeApiException NoSuchParam(string kind, string id, string param) =>
        InvalidRequest($"No such {kind}: '{id}'", "resource_missing", param);

    public static StripeApiException UnexpectedState(string message, string? param = null) =>
        InvalidRequest(message, "payment_intent_unexpected_state", param);

    public static StripeApiException Card(string message, string code, string? declineCode, string? param = null) =>
        new(StatusCodes.Status402PaymentRequired, "card_error", message, code, param, declineCode);

    public static StripeApiException Unrecognized(HttpRequest request) =>
        new(StatusCodes.Status404NotFound, "invalid_request_error",
            $"Unrecognized request URL ({request.Method}: {UnrecognizedPath(request)}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");

    private static string UnrecognizedPath(HttpRequest request)
    {
        // Report the path as the caller meant it on api.stripe.com: relative to the api base URL.
        var path = request.Path.Value ?? "/";
        var api = path.IndexOf("/api/", StringComparison.Ordinal);
        return api >= 0 && path.StartsWith("/runtime/", StringComparison.Ordinal) ? path[(api + 4)..] : path;
    }

    internal static string Mask(string key) =>
        key.Length <= 4 ? "****" : $"{key[..Math.Min(8, key.Length - 4)]}{new string('*', Math.Max(4, key.Length - 12))}{key[^4..]}";

    private static string JoinOr(IReadOnlyList<string> values) =>
        values.Count switch
        {
            0 => "",
            1 => values[0],
            2 => $"{values[0]} or {values[1]}",
            _ => string.Join(", ", values.Take(values.Count - 1)) + ", or " + values[^1],
        };
}
