using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>Stripe-Version</c> handling. Objects are stored in the shape of the current version; a request pinned to a
/// version before 2025-03-31 ("basil") gets the fields that version removed added back: subscription
/// <c>current_period_start</c>/<c>current_period_end</c> (from its first item) and invoice <c>paid</c>,
/// <c>payment_intent</c> and <c>charge</c>. A request pinned before 2026-07-29 ("dahlia") does not see
/// PaymentIntent <c>allowed_payment_method_types</c>, which that version added.
/// </summary>
internal static partial class StripeVersions
{
    private const string Basil = "2025-03-31";

    /// <summary>Adds <c>allowed_payment_method_types</c> to PaymentIntents
    /// (https://docs.stripe.com/changelog/dahlia/2026-07-29/allowed-payment-method-types-parameter).</summary>
    public const string AllowedPaymentMethodTypes = "2026-07-29";

    /// <summary>Removes <c>payment_method_types</c> as a writable PaymentIntent parameter
    /// (https://docs.stripe.com/changelog/endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents).</summary>
    public const string PaymentMethodTypesRemoved = "2026-09-30";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionFormat();

    public static bool IsValid(string version) => VersionFormat().IsMatch(version);

    public static bool IsLegacy(string version) => IsBefore(version, Basil);

    /// <summary>Whether <paramref name="version"/> predates the release dated <paramref name="date"/> (yyyy-MM-dd).</summary>
    public static bool IsBefore(string version, string date) => string.CompareOrdinal(version, date) < 0;

    /// <summary>Whether responses for <paramref name="version"/> need <see cref="Downgrade"/>.</summary>
    public static bool NeedsDowngrade(string version) => IsBefore(version, AllowedPaymentMethodTypes);

    /// <summary>Shapes every object in <paramref name="node"/> as <paramref name="version"/> returns it.</summary>
    public static void Downgrade(StripeState state, JsonNode? node, string version)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Downgrade(state, item, version);
                }

                break;
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    Downgrade(state, child, version);
                }

                var kind = obj["object"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
                if (kind == "payment_intent")
                {
                    obj.Remove("allowed_payment_method_types");
                }

                if (!IsLegacy(version))
                {
                    break;
                }

                if (kind == "subscription" && !obj.ContainsKey("current_period_start"))
                {
                    var item = obj["items"]?["data"]?.AsArray().FirstOrDefault();
                    obj["current_period_start"] = item?["current_period_start"]?.DeepClone();
                    obj["current_period_end"] = item?["current_period_end"]?.DeepClone();
                }
                else if (kind == "invoice" && !obj.ContainsKey("paid") && obj["id"] is JsonValue id)
                {
                    var intentId = state.InvoicePayments.GetValueOrDefault(id.GetValue<string>());
                    obj["paid"] = obj["status"]?.GetValue<string>() == "paid";
                    obj["payment_intent"] = intentId;
                    obj["charge"] = intentId is null ? null : state.PaymentIntents.Find(intentId)?.GetString("latest_charge");
                }

                break;
        }
    }
}
