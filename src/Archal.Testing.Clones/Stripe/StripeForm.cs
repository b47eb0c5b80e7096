using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Stripe's reading of <c>application/x-www-form-urlencoded</c> bodies and query strings: the shared
/// <see cref="FormBodyParser"/> with Rack's bracket nesting and strict percent-encoding, its refusals answered as
/// Stripe's 400 <c>invalid_request_error</c>.
/// </summary>
internal static class StripeForm
{
    /// <summary>Parses <paramref name="text"/> (a query string without its leading <c>?</c>).</summary>
    /// <exception cref="StripeApiException">The text is refused (Stripe's 400).</exception>
    public static JsonObject Parse(string? text) =>
        FormBodyParser.TryParseNested(text, BodyParseOptions.Default, out var tree, out var error) ? tree : throw Invalid(error);

    /// <summary>Parses a request body.</summary>
    /// <exception cref="StripeApiException">The body is refused (Stripe's 400).</exception>
    public static JsonObject ParseBody(ReadOnlySpan<byte> body) =>
        FormBodyParser.TryParseNested(body, BodyParseOptions.Default, out var tree, out var error) ? tree : throw Invalid(error);

    private static StripeApiException Invalid(BodyParseError error) => StripeErrors.InvalidRequest(error.Kind switch
    {
        BodyParseErrorKind.TooDeep or BodyParseErrorKind.TooManyParts or BodyParseErrorKind.KeyTooLong =>
            $"Invalid request body: {error.Message}",
        _ => $"Invalid request body: it is not valid application/x-www-form-urlencoded data: {error.Message}",
    });
}
