using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using static Archal.Testing.Clones.Abstractions.SnapshotFields;

namespace Archal.Testing.Clones.Stripe;

/// <summary>Stripe's words for [D] criteria, its seed-file checks and its secrets.</summary>
internal static class StripeVocabulary
{
    // Declared before Vocabulary: static fields initialize in order.
    // "for customer jane@example.com": a customer is named by id, email or name.
    private static readonly EntityRelation Customer = new("customer", ["customer"])
    {
        Prepositions = ["for", "of", "from", "to", "belonging"],
        Values = (o, _) => [Str(o, "customer")],
        Resolve = (value, context) => context.Rows("customer")
            .Where(c => new[] { Str(c, "id"), Str(c, "email"), Str(c, "name") }.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)))
            .Select(c => Str(c, "id")),
        BareValues = true,
        Missing = "do not belong to a customer",
    };

    private static readonly EntityRelation Charge = new("charge", ["charge"])
    {
        Prepositions = ["for", "of", "on", "against"],
        Values = (o, _) => [Str(o, "charge")],
        Missing = "do not refer to a charge",
    };

    public static CloneVocabulary Vocabulary { get; } = new()
    {
        Kinds =
        [
            new("customer", ["customer"], ["customer", "customers"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} ({Str(o, "email")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["email"] = ["email"], ["name"] = ["name"], ["title"] = ["name"], ["description"] = ["description"], ["text"] = ["name", "email", "description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal) { ["deleted"] = o => Bool(o, "deleted") },
                Relations = [Customer with { Values = (o, _) => [Str(o, "id")] }],
            },
            new("charge", ["charge"], ["charge", "charges", "payment", "payments"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} {Str(o, "amount")} {Str(o, "currency")} for {Str(o, "customer")} \"{Str(o, "description")}\" (refunded {Str(o, "amount_refunded")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["description"] = ["description"], ["amount"] = ["amount"], ["currency"] = ["currency"], ["status"] = ["status"], ["text"] = ["description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["refunded"] = o => Bool(o, "refunded") || Num(o, "amount_refunded") > 0,
                    ["fully refunded"] = o => Bool(o, "refunded"),
                    ["partially refunded"] = o => Num(o, "amount_refunded") > 0 && !Bool(o, "refunded"),
                    ["succeeded"] = o => Is(o, "status", "succeeded"),
                    ["failed"] = o => Is(o, "status", "failed"),
                    ["disputed"] = o => Bool(o, "disputed"),
                    ["captured"] = o => Bool(o, "captured"),
                },
                Relations = [Customer],
            },
            new("refund", ["refund"], ["refund", "refunds"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} of {Str(o, "amount")} for charge {Str(o, "charge")} ({Str(o, "status")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["amount"] = ["amount"], ["reason"] = ["reason"], ["status"] = ["status"], ["text"] = ["reason"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["succeeded"] = o => Is(o, "status", "succeeded"),
                    ["pending"] = o => Is(o, "status", "pending"),
                    ["failed"] = o => Is(o, "status", "failed"),
                    ["canceled"] = o => Is(o, "status", "canceled"),
                },
                // A refund's customer is its charge's (or its own customer field); "for customer x" needs the noun.
                Relations = [Charge, Customer with { Values = RefundCustomers, BareValues = false }],
            },
            new("subscription", ["subscription"], ["subscription", "subscriptions"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} for {Str(o, "customer")} ({Str(o, "status")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["status"] = ["status"], ["description"] = ["description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["active"] = o => Is(o, "status", "active"),
                    ["canceled"] = o => Is(o, "status", "canceled"),
                    ["past due"] = o => Is(o, "status", "past_due"),
                    ["trialing"] = o => Is(o, "status", "trialing"),
                    ["paused"] = o => Is(o, "status", "paused"),
                    ["unpaid"] = o => Is(o, "status", "unpaid"),
                },
                Relations = [Customer],
            },
            new("invoice", ["invoice"], ["invoice", "invoices"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} for {Str(o, "customer")} ({Str(o, "status")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["status"] = ["status"], ["description"] = ["description"], ["text"] = ["description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["paid"] = o => Is(o, "status", "paid"),
                    ["open"] = o => Is(o, "status", "open"),
                    ["draft"] = o => Is(o, "status", "draft"),
                    ["void"] = o => Is(o, "status", "void"),
                    ["voided"] = o => Is(o, "status", "void"),
                    ["uncollectible"] = o => Is(o, "status", "uncollectible"),
                },
                Relations = [Customer],
            },
            new("payment intent", ["payment_intent"], ["payment intent", "payment intents"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} {Str(o, "amount")} {Str(o, "currency")} ({Str(o, "status")})",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["amount"] = ["amount"], ["currency"] = ["currency"], ["status"] = ["status"], ["description"] = ["description"], ["text"] = ["description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal)
                {
                    ["succeeded"] = o => Is(o, "status", "succeeded"),
                    ["canceled"] = o => Is(o, "status", "canceled"),
                    ["processing"] = o => Is(o, "status", "processing"),
                },
                Relations = [Customer],
            },
            new("product", ["product"], ["product", "products"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} \"{Str(o, "name")}\"",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["name"] = ["name"], ["title"] = ["name"], ["description"] = ["description"], ["text"] = ["name", "description"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal) { ["active"] = o => Bool(o, "active"), ["archived"] = o => !Bool(o, "active") },
            },
            new("price", ["price"], ["price", "prices"])
            {
                Key = o => Str(o, "id"),
                Describe = o => $"{Str(o, "id")} {Str(o, "unit_amount")} {Str(o, "currency")}",
                Fields = new Dictionary<string, string[]>(StringComparer.Ordinal) { ["amount"] = ["unit_amount"], ["currency"] = ["currency"], ["nickname"] = ["nickname"] },
                States = new Dictionary<string, Func<JsonObject, bool>>(StringComparer.Ordinal) { ["active"] = o => Bool(o, "active") },
            },
        ],
        Examples =
        [
            "Exactly 1 refund was created for customer jane@example.com",
            "Exactly 1 charge was refunded",
            "The charge with description \"Duplicate\" is refunded",
            "No charges for customer bob@example.com were refunded",
        ],
    };

    /// <summary>Stripe's key shapes: secret and restricted API keys, webhook signing secrets.</summary>
    public static CloneSecrets Secrets { get; } = new()
    {
        // API keys, webhook signing secrets, and the client secrets Stripe generates for PaymentIntents and SetupIntents
        // (https://docs.stripe.com/api/payment_intents/object#payment_intent_object-client_secret).
        TokenPatterns = [@"[sr]k_(?:test|live)_[A-Za-z0-9]{8,}", @"whsec_[A-Za-z0-9]{8,}", @"(?:pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"],
        Fields = ["client_secret", "secret"],
    };

    /// <summary>On the empty seed, charges name customers the file declares (by id or email).</summary>
    public static IReadOnlyList<string> CheckSeedData(JsonObject data, string baseSeed)
    {
        // An exported state declares its own world; entries on top of it are checked when the session is seeded.
        if (baseSeed != "empty" || data.ContainsKey("state"))
        {
            return [];
        }

        var problems = new List<string>();
        var customers = Rows(data, "customers").SelectMany(c => new[] { c["id"]?.ToString(), c["email"]?.ToString() }).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, i) in Rows(data, "charges").Select((r, i) => (r, i)))
        {
            if (row["customer"]?.ToString() is { } customer && !customers.Contains(customer))
            {
                problems.Add(SeedFileCheck.Missing($"stripe.charges[{i}].customer '{customer}' is not declared in stripe.customers (by id or email)", customers));
            }
        }

        return problems;
    }

    private static IEnumerable<string> RefundCustomers(JsonObject refund, CriteriaContext context)
    {
        var chargeId = Str(refund, "charge");
        var charge = context.Rows("charge").FirstOrDefault(c => Str(c, "id") == chargeId);
        return charge is null ? [Str(refund, "customer")] : [Str(charge, "customer"), Str(refund, "customer")];
    }
}
