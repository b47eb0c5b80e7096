using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// A Stripe session's state as seed data (<see cref="StripeClone.ExportSeedData"/>) and back (<see cref="StripeSeeds"/>
/// reads <c>state</c> in place of its named seed): every object exactly as the API returns it (customers, products,
/// prices, payment methods, payment intents, charges, refunds, subscriptions, invoices, events, test clocks, webhook
/// endpoints), the account's billing settings, deleted customers, which PaymentIntent last tried each invoice, and which
/// trial-end and upcoming-renewal notices were sent.
/// </summary>
/// <remarks>
/// Not carried: webhook endpoints' signing secrets (credentials stay out of files: a loaded endpoint signs with a new
/// secret), stored idempotency keys, the order of objects of different types created in the same second (each type
/// keeps its own order), and the random source's position (ids made after a load differ). Renewals, retries and trial
/// ends that fell due before the load do not fire; what falls due after it does, as for any seed.
/// </remarks>
internal static class StripeSeedExport
{
    private const string Clone = "Stripe";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static JsonObject Export(StripeState state)
    {
        var exported = new JsonObject
        {
            ["tables"] = SeedDataExport.Tables(state),
            ["settings"] = new JsonObject
            {
                ["retry_days"] = new JsonArray([.. state.Billing.RetryDays.Select(d => (JsonNode?)d)]),
                ["after_final_retry"] = state.Billing.AfterFinalRetry,
                ["upcoming_renewal_days"] = state.Billing.UpcomingRenewalDays,
            },
            ["deleted_customers"] = new JsonArray([.. state.DeletedCustomers.Select(c => (JsonNode?)c)]),
            ["invoice_payments"] = new JsonObject([.. state.InvoicePayments.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            ["notices_sent"] = new JsonArray([.. state.NoticesSent.Select(t => (JsonNode?)t)]),
        };
        return new JsonObject { [SeedDataExport.Key] = exported };
    }

    public static void Load(StripeState state, JsonObject exported)
    {
        Add(state, state.Customers, exported, "customer", (json, sequence) => new StripeCustomer(json, sequence));
        Add(state, state.Products, exported, "product", (json, sequence) => new StripeProduct(json, sequence));
        Add(state, state.Prices, exported, "price", (json, sequence) => new StripePrice(json, sequence));
        Add(state, state.PaymentMethods, exported, "payment_method", (json, sequence) => new StripePaymentMethod(json, sequence));
        Add(state, state.PaymentIntents, exported, "payment_intent", (json, sequence) => new StripePaymentIntent(json, sequence));
        Add(state, state.Charges, exported, "charge", (json, sequence) => new StripeCharge(json, sequence));
        Add(state, state.Refunds, exported, "refund", (json, sequence) => new StripeRefund(json, sequence));
        Add(state, state.Subscriptions, exported, "subscription", (json, sequence) => new StripeSubscription(json, sequence));
        Add(state, state.Invoices, exported, "invoice", (json, sequence) => new StripeInvoice(json, sequence));
        Add(state, state.Events, exported, "event", (json, sequence) => new StripeEvent(json, sequence));
        Add(state, state.TestClocks, exported, "test_clock", (json, sequence) => new StripeTestClock(json, sequence));
        Add(state, state.WebhookEndpoints, exported, "webhook_endpoint", (json, sequence) => new StripeWebhookEndpoint(json, sequence));
        foreach (var endpoint in state.WebhookEndpoints.Items)
        {
            // The signing secret is a credential: a new one from cryptographic randomness, as when an endpoint is created.
            state.WebhookSecrets[endpoint.Id] = "whsec_" + RandomNumberGenerator.GetString(SecretAlphabet, 32);
        }

        if (exported["settings"] is JsonObject settings)
        {
            state.Billing = StripeBillingSettings.From(settings);
        }

        state.DeletedCustomers.UnionWith(SeedDataExport.Value(exported, "deleted_customers", Array.Empty<string>(), Clone));
        foreach (var (invoice, intent) in SeedDataExport.Value(exported, "invoice_payments", new Dictionary<string, string>(), Clone))
        {
            state.InvoicePayments[invoice] = intent;
        }

        foreach (var key in SeedDataExport.Value(exported, "notices_sent", Array.Empty<string>(), Clone))
        {
            state.MarkNoticeSent(key);
        }
    }

    private static void Add<T>(StripeState state, EntityTable<T> table, JsonObject exported, string name, Func<JsonObject, long, T> create) where T : StripeObject
    {
        foreach (var row in SeedDataExport.Rows(exported, name, Clone))
        {
            if (row["id"] is not JsonValue id || !id.TryGetValue<string>(out var text) || text.Length == 0)
            {
                throw new CloneSeedException($"Stripe seed data: every {SeedDataExport.Key}.tables.{name} row needs an 'id'.");
            }

            if (table.Contains(text))
            {
                throw new CloneSeedException($"Stripe seed data: {SeedDataExport.Key}.tables.{name} declares '{text}' twice.");
            }

            // A copy: the session's seed data stays as given (a reset seeds from it again).
            table.Add(create((JsonObject)row.DeepClone(), state.NextSequence()));
        }
    }
}
