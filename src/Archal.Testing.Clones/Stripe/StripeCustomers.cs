using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary><c>/v1/customers</c>: create, retrieve, update, delete, list, search.</summary>
internal static class StripeCustomers
{
    private static readonly string[] Writable =
        ["email", "name", "phone", "description", "metadata", "address", "shipping", "balance", "invoice_settings",
         "preferred_locales", "tax_exempt", "payment_method", "invoice_prefix", "next_invoice_sequence", "source", "test_clock", "tax", "tax_id_data"];

    private static readonly string[] SearchFields = ["email", "name", "phone", "created", "metadata"];

    public static JsonObject DeletedStub(string id) => new() { ["id"] = id, ["object"] = "customer", ["deleted"] = true };

    public static JsonNode Create(StripeCall call)
    {
        call.Allow(Writable);
        StripeParams.ValidateMetadata(call.Params);
        var state = call.State;
        // A customer on a test clock lives at the clock's frozen_time, and so does everything made for it.
        var testClock = call.Str("test_clock") is { Length: > 0 } clockId ? StripeTestClocks.Find(call, clockId, "test_clock").Id : null;
        using var clock = state.AtClockOf(testClock);
        var id = state.NewId("cus_", 14);
        var json = New(state, id, call.Str("email"), call.Str("name"));
        json["test_clock"] = testClock;
        ApplyFields(call, json);
        var settings = StripeParams.Hash(call.Params, "invoice_settings");
        if (settings is not null)
        {
            StripeParams.Allow(settings, ["default_payment_method", "custom_fields", "footer", "rendering_options"], "invoice_settings");
        }

        var customer = new StripeCustomer(json, state.NextSequence());
        state.Create(state.Customers, customer, "customer.created");
        StripePaymentMethod? attached = null;
        if (call.Str("payment_method") is { Length: > 0 } pm)
        {
            attached = StripePaymentMethods.AttachTo(call, pm, customer.Id, "payment_method");
        }

        if (settings is not null && StripeParams.Str(settings, "default_payment_method") is { Length: > 0 } defaultPm)
        {
            // payment_method=pm_card_visa with invoice_settings[default_payment_method]=pm_card_visa names the card just attached.
            SetDefaultPaymentMethod(call, customer, attached is not null && defaultPm == call.Str("payment_method") ? attached.Id : defaultPm);
        }

        return customer.Json;
    }

    /// <summary>A new customer's full JSON with Stripe's defaults.</summary>
    public static JsonObject New(StripeState state, string id, string? email, string? name) => new()
    {
        ["id"] = id,
        ["object"] = "customer",
        ["address"] = null,
        ["balance"] = 0,
        ["created"] = state.NowSeconds,
        ["currency"] = null,
        ["default_source"] = null,
        ["delinquent"] = false,
        ["description"] = null,
        ["discount"] = null,
        ["email"] = email,
        ["invoice_prefix"] = state.Random.NextString(8, "ABCDEF0123456789"),
        ["invoice_settings"] = new JsonObject
        {
            ["custom_fields"] = null,
            ["default_payment_method"] = null,
            ["footer"] = null,
            ["rendering_options"] = null,
        },
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["name"] = name,
        ["next_invoice_sequence"] = 1,
        ["phone"] = null,
        ["preferred_locales"] = new JsonArray(),
        ["shipping"] = null,
        ["tax_exempt"] = "none",
        ["test_clock"] = null,
        ["customer_account"] = null,
    };

    private static void ApplyFields(StripeCall call, JsonObject json)
    {
        foreach (var field in (string[])["email", "name", "phone", "description"])
        {
            if (call.Has(field))
            {
                var value = call.Str(field);
                json[field] = string.IsNullOrEmpty(value) ? null : value;
            }
        }

        if (call.Int("balance") is { } balance)
        {
            json["balance"] = balance;
        }

        if (call.Enum("tax_exempt", "none", "exempt", "reverse") is { } taxExempt)
        {
            json["tax_exempt"] = taxExempt;
        }

        if (StripeParams.Hash(call.Params, "address") is { } address)
        {
            json["address"] = address.Count == 0 ? null : Address(address);
        }

        if (StripeParams.Array(call.Params, "preferred_locales") is { } locales)
        {
            json["preferred_locales"] = locales.DeepClone();
        }

        StripeParams.ApplyMetadata(json, call.Params);
    }

    private static JsonObject Address(JsonObject input)
    {
        StripeParams.Allow(input, ["city", "country", "line1", "line2", "postal_code", "state"], "address");
        var address = new JsonObject();
        foreach (var field in (string[])["city", "country", "line1", "line2", "postal_code", "state"])
        {
            address[field] = StripeParams.Str(input, field) is { Length: > 0 } v ? v : null;
        }

        return address;
    }

    public static StripeCustomer Find(StripeCall call, string id, string param = "id") =>
        call.State.Customers.Find(id) ?? throw (param == "id" ? StripeErrors.NoSuch("customer", id) : StripeErrors.NoSuchParam("customer", id, param));

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        var id = call.Route("id");
        if (call.State.DeletedCustomers.Contains(id))
        {
            return DeletedStub(id);
        }

        return Find(call, id).Json;
    }

    public static JsonNode Update(StripeCall call)
    {
        call.Allow(Writable);
        StripeParams.ValidateMetadata(call.Params);
        var customer = Find(call, call.Route("id"));
        var state = call.State;
        if (call.Str("payment_method") is { Length: > 0 } pm)
        {
            StripePaymentMethods.AttachTo(call, pm, customer.Id, "payment_method");
        }

        string? defaultPm = null;
        var settings = StripeParams.Hash(call.Params, "invoice_settings");
        if (settings is not null)
        {
            StripeParams.Allow(settings, ["default_payment_method", "custom_fields", "footer", "rendering_options"], "invoice_settings");
            defaultPm = StripeParams.Str(settings, "default_payment_method");
            if (defaultPm is { Length: > 0 })
            {
                CheckAttached(call, customer, defaultPm, "invoice_settings[default_payment_method]");
            }
        }

        state.Change(state.Customers, customer, json =>
        {
            ApplyFields(call, json);
            if (settings is not null && StripeParams.Str(settings, "footer") is { } footer)
            {
                json["invoice_settings"]!["footer"] = footer.Length == 0 ? null : footer;
            }

            if (defaultPm is not null)
            {
                json["invoice_settings"]!["default_payment_method"] = defaultPm.Length == 0 ? null : defaultPm;
            }
        }, "customer.updated");
        return customer.Json;
    }

    public static void SetDefaultPaymentMethod(StripeCall call, StripeCustomer customer, string pm)
    {
        CheckAttached(call, customer, pm, "invoice_settings[default_payment_method]");
        call.State.Change(call.State.Customers, customer, json => json["invoice_settings"]!["default_payment_method"] = pm, "customer.updated");
    }

    private static void CheckAttached(StripeCall call, StripeCustomer customer, string pm, string param)
    {
        var method = call.State.PaymentMethods.Find(pm) ?? throw StripeErrors.NoSuchParam("PaymentMethod", pm, param);
        if (method.Customer != customer.Id)
        {
            throw StripeErrors.InvalidRequest(
                $"The customer does not have a payment method with the ID {pm}. The payment method must be attached to the customer.",
                "resource_missing", param);
        }
    }

    public static JsonNode Delete(StripeCall call)
    {
        call.Allow();
        var customer = Find(call, call.Route("id"));
        var state = call.State;
        foreach (var subscription in state.Subscriptions.Items.Where(s => s.Customer == customer.Id && s.Status != "canceled").ToList())
        {
            StripeSubscriptions.CancelNow(call, subscription, "cancellation_requested");
        }

        state.Customers.Remove(customer.Id);
        state.DeletedCustomers.Add(customer.Id);
        state.Emit("customer.deleted", customer, null);
        return DeletedStub(customer.Id);
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "email", "test_clock"]);
        var email = call.Str("email");
        var testClock = call.Str("test_clock");
        var items = call.State.Customers.Items.Where(c => (email is null || string.Equals(c.Email, email, StringComparison.Ordinal))
            && (testClock is null || c.GetString("test_clock") == testClock));
        return StripeLists.List(call, items, "/v1/customers", "customer");
    }

    public static JsonNode Search(StripeCall call) =>
        StripeLists.Search(call, call.State.Customers.Items, "customers", SearchFields);
}
