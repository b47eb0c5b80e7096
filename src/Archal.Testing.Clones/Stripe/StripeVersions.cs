using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>Stripe-Version</c> handling. Objects are stored in the shape of the current version; a request pinned to a
/// version before 2025-03-31 ("basil") gets the fields that version removed added back: subscription
/// <c>current_period_start</c>/<c>current_period_end</c> (from its first item) and invoice <c>paid</c>,
/// <c>payment_intent</c> and <c>charge</c>.
/// </summary>
internal static partial class StripeVersions
{
    private const string Basil = "2025-03-31";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionFormat();

    public static bool IsValid(string version) => VersionFormat().IsMatch(version);

    public static bool IsLegacy(string version) => string.CompareOrdinal(version, Basil) < 0;

    /// <summary>Adds the pre-basil fields to every subscription and invoice in <paramref name="node"/>.</summary>
    public static void Downgrade(StripeState state, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Downgrade(state, item);
                }

                break;
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    Downgrade(state, child);
                }

                var kind = obj["object"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
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
