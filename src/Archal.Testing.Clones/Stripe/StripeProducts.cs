using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary><c>/v1/products</c> and <c>/v1/prices</c>: CRUD, list filters (active, lookup_keys, type, product), search.</summary>
internal static class StripeProducts
{
    private static readonly string[] ProductWritable =
        ["id", "name", "description", "active", "metadata", "images", "shippable", "statement_descriptor", "tax_code",
         "unit_label", "url", "default_price_data", "marketing_features", "package_dimensions", "type", "default_price"];

    private static readonly string[] PriceWritable =
        ["currency", "unit_amount", "unit_amount_decimal", "product", "product_data", "recurring", "active", "nickname",
         "lookup_key", "transfer_lookup_key", "metadata", "tax_behavior", "billing_scheme", "custom_unit_amount", "tiers", "tiers_mode",
         "transform_quantity", "currency_options"];

    public static JsonNode CreateProduct(StripeCall call)
    {
        call.Allow(ProductWritable);
        var name = call.RequireStr("name");
        StripeParams.ValidateMetadata(call.Params);
        var state = call.State;
        var id = call.Str("id") is { Length: > 0 } requested ? requested : state.NewId("prod_", 14);
        if (state.Products.Contains(id))
        {
            throw StripeErrors.InvalidRequest($"Product already exists.", "resource_already_exists", "id");
        }

        var json = NewProduct(state, id, name);
        ApplyProductFields(call, json);
        var product = state.Create(state.Products, new StripeProduct(json, state.NextSequence()), "product.created");
        if (StripeParams.Hash(call.Params, "default_price_data") is { } priceData)
        {
            StripeParams.Allow(priceData, ["currency", "unit_amount", "unit_amount_decimal", "recurring", "tax_behavior", "metadata"], "default_price_data");
            var price = NewPrice(call, priceData, product.Id, "default_price_data");
            state.Change(state.Products, product, p => p["default_price"] = price.Id, null);
        }

        return product.Json;
    }

    public static JsonObject NewProduct(StripeState state, string id, string name) => new()
    {
        ["id"] = id,
        ["object"] = "product",
        ["active"] = true,
        ["created"] = state.NowSeconds,
        ["default_price"] = null,
        ["description"] = null,
        ["images"] = new JsonArray(),
        ["livemode"] = false,
        ["marketing_features"] = new JsonArray(),
        ["metadata"] = new JsonObject(),
        ["name"] = name,
        ["package_dimensions"] = null,
        ["shippable"] = null,
        ["statement_descriptor"] = null,
        ["tax_code"] = null,
        ["type"] = "service",
        ["unit_label"] = null,
        ["updated"] = state.NowSeconds,
        ["url"] = null,
    };

    private static void ApplyProductFields(StripeCall call, JsonObject json)
    {
        foreach (var field in (string[])["name", "description", "statement_descriptor", "unit_label", "url", "tax_code"])
        {
            if (call.Has(field))
            {
                var value = call.Str(field);
                if (field == "name" && string.IsNullOrEmpty(value))
                {
                    throw StripeErrors.InvalidRequest("You must provide a name for the product.", "parameter_invalid_empty", "name");
                }

                json[field] = string.IsNullOrEmpty(value) ? null : value;
            }
        }

        if (call.Bool("active") is { } active)
        {
            json["active"] = active;
        }

        if (call.Bool("shippable") is { } shippable)
        {
            json["shippable"] = shippable;
        }

        if (StripeParams.Array(call.Params, "images") is { } images)
        {
            json["images"] = images.DeepClone();
        }

        json["updated"] = call.Now;
        StripeParams.ApplyMetadata(json, call.Params);
    }

    public static StripeProduct FindProduct(StripeCall call, string id, string param = "id") =>
        call.State.Products.Find(id) ?? throw (param == "id" ? StripeErrors.NoSuch("product", id) : StripeErrors.NoSuchParam("product", id, param));

    public static JsonNode RetrieveProduct(StripeCall call)
    {
        call.Allow();
        return FindProduct(call, call.Route("id")).Json;
    }

    public static JsonNode UpdateProduct(StripeCall call)
    {
        call.Allow([.. ProductWritable.Where(p => p is not ("id" or "default_price_data" or "type"))]);
        StripeParams.ValidateMetadata(call.Params);
        var product = FindProduct(call, call.Route("id"));
        string? defaultPrice = null;
        if (call.Has("default_price"))
        {
            defaultPrice = call.Str("default_price") ?? "";
            if (defaultPrice.Length > 0)
            {
                var price = call.State.Prices.Find(defaultPrice) ?? throw StripeErrors.NoSuchParam("price", defaultPrice, "default_price");
                if (price.Product != product.Id)
                {
                    throw StripeErrors.InvalidRequest($"The price {defaultPrice} does not belong to product {product.Id}.", null, "default_price");
                }
            }
        }

        call.State.Change(call.State.Products, product, json =>
        {
            ApplyProductFields(call, json);
            if (defaultPrice is not null)
            {
                json["default_price"] = defaultPrice.Length == 0 ? null : defaultPrice;
            }
        }, "product.updated");
        return product.Json;
    }

    public static JsonNode DeleteProduct(StripeCall call)
    {
        call.Allow();
        var product = FindProduct(call, call.Route("id"));
        if (call.State.Prices.Items.Any(p => p.Product == product.Id))
        {
            throw StripeErrors.InvalidRequest(
                "This product cannot be deleted because it has one or more user-created prices.", "product_has_prices", "id");
        }

        call.State.Products.Remove(product.Id);
        call.State.Emit("product.deleted", product, null);
        return new JsonObject { ["id"] = product.Id, ["object"] = "product", ["deleted"] = true };
    }

    public static JsonNode ListProducts(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "active", "ids", "shippable", "url"]);
        var active = call.Bool("active");
        var ids = StripeParams.StringArray(call.Params, "ids")?.ToHashSet(StringComparer.Ordinal);
        var items = call.State.Products.Items.Where(p =>
            (active is null || p.GetBoolean("active") == active) && (ids is null || ids.Contains(p.Id)));
        return StripeLists.List(call, items, "/v1/products", "product");
    }

    public static JsonNode SearchProducts(StripeCall call) =>
        StripeLists.Search(call, call.State.Products.Items, "products", ["name", "active", "description", "created", "metadata", "url", "shippable"]);

    public static JsonNode CreatePrice(StripeCall call)
    {
        call.Allow(PriceWritable);
        string productId;
        if (call.Str("product") is { Length: > 0 } product)
        {
            productId = FindProduct(call, product, "product").Id;
        }
        else if (StripeParams.Hash(call.Params, "product_data") is { } productData)
        {
            StripeParams.Allow(productData, ["name", "active", "metadata", "statement_descriptor", "unit_label", "tax_code"], "product_data");
            var name = StripeParams.Str(productData, "name") is { Length: > 0 } n ? n : throw StripeErrors.Missing("product_data[name]");
            var state = call.State;
            var json = NewProduct(state, state.NewId("prod_", 14), name);
            productId = state.Create(state.Products, new StripeProduct(json, state.NextSequence()), "product.created").Id;
        }
        else
        {
            throw StripeErrors.InvalidRequest("You must specify either `product` or `product_data` when creating a price.", "parameter_missing", "product");
        }

        return NewPrice(call, call.Params, productId, null).Json;
    }

    /// <summary>Creates a price from <paramref name="input"/> (a request or a nested <c>*_data</c> hash).</summary>
    public static StripePrice NewPrice(StripeCall call, JsonObject input, string productId, string? prefix)
    {
        string P(string name) => prefix is null ? name : $"{prefix}[{name}]";
        var currency = StripeParams.Str(input, "currency", P("currency"));
        if (string.IsNullOrEmpty(currency))
        {
            throw StripeErrors.Missing(P("currency"));
        }

        var unitAmount = StripeParams.Int(input, "unit_amount", P("unit_amount"));
        if (unitAmount is null && StripeParams.Str(input, "unit_amount_decimal", P("unit_amount_decimal")) is { Length: > 0 } decimalText)
        {
            unitAmount = decimal.TryParse(decimalText, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
                ? (long)Math.Round(d)
                : throw StripeErrors.InvalidRequest($"Invalid decimal: {decimalText}", null, P("unit_amount_decimal"));
        }

        if (unitAmount is null)
        {
            throw StripeErrors.InvalidRequest("You must pass either `unit_amount`, `unit_amount_decimal`, or `custom_unit_amount`.", "parameter_missing", P("unit_amount"));
        }

        if (unitAmount < 0)
        {
            throw StripeErrors.InvalidRequest("This value must be greater than or equal to 0.", null, P("unit_amount"));
        }

        JsonObject? recurring = null;
        if (StripeParams.Hash(input, "recurring", P("recurring")) is { Count: > 0 } recurringInput)
        {
            StripeParams.Allow(recurringInput, ["interval", "interval_count", "usage_type", "trial_period_days", "meter", "aggregate_usage"], P("recurring"));
            var interval = StripeParams.Enum(recurringInput, "interval", ["day", "week", "month", "year"], P("recurring[interval]"))
                ?? throw StripeErrors.Missing(P("recurring[interval]"));
            var count = StripeParams.Int(recurringInput, "interval_count", P("recurring[interval_count]")) ?? 1;
            if (count < 1)
            {
                throw StripeErrors.InvalidRequest("This value must be greater than or equal to 1.", null, P("recurring[interval_count]"));
            }

            recurring = new JsonObject
            {
                ["interval"] = interval,
                ["interval_count"] = count,
                ["meter"] = null,
                ["trial_period_days"] = StripeParams.Int(recurringInput, "trial_period_days", P("recurring[trial_period_days]")),
                ["usage_type"] = StripeParams.Enum(recurringInput, "usage_type", ["licensed", "metered"], P("recurring[usage_type]")) ?? "licensed",
            };
        }

        StripeParams.ValidateMetadata(input);
        var state = call.State;
        var lookupKey = StripeParams.Str(input, "lookup_key", P("lookup_key"));
        if (!string.IsNullOrEmpty(lookupKey) && state.Prices.Items.FirstOrDefault(p => p.GetString("lookup_key") == lookupKey) is { } holder)
        {
            if (StripeParams.Bool(input, "transfer_lookup_key") != true)
            {
                throw StripeErrors.InvalidRequest(
                    $"A price (`{holder.Id}`) already uses that lookup key. Use `transfer_lookup_key` to transfer it to this price.",
                    null, P("lookup_key"));
            }

            state.Change(state.Prices, holder, json => json["lookup_key"] = null, "price.updated");
        }

        var json = NewPriceJson(state, state.NewId("price_1", 23), productId, currency.ToLowerInvariant(), unitAmount.Value, recurring);
        json["lookup_key"] = string.IsNullOrEmpty(lookupKey) ? null : lookupKey;
        json["nickname"] = StripeParams.Str(input, "nickname", P("nickname")) is { Length: > 0 } nick ? nick : null;
        if (StripeParams.Bool(input, "active", P("active")) is { } active)
        {
            json["active"] = active;
        }

        if (StripeParams.Enum(input, "tax_behavior", ["exclusive", "inclusive", "unspecified"], P("tax_behavior")) is { } tax)
        {
            json["tax_behavior"] = tax;
        }

        StripeParams.ApplyMetadata(json, input);
        return state.Create(state.Prices, new StripePrice(json, state.NextSequence()), "price.created");
    }

    public static JsonObject NewPriceJson(StripeState state, string id, string productId, string currency, long unitAmount, JsonObject? recurring) => new()
    {
        ["id"] = id,
        ["object"] = "price",
        ["active"] = true,
        ["billing_scheme"] = "per_unit",
        ["created"] = state.NowSeconds,
        ["currency"] = currency,
        ["custom_unit_amount"] = null,
        ["livemode"] = false,
        ["lookup_key"] = null,
        ["metadata"] = new JsonObject(),
        ["nickname"] = null,
        ["product"] = productId,
        ["recurring"] = recurring,
        ["tax_behavior"] = "unspecified",
        ["tiers_mode"] = null,
        ["transform_quantity"] = null,
        ["type"] = recurring is null ? "one_time" : "recurring",
        ["unit_amount"] = unitAmount,
        ["unit_amount_decimal"] = unitAmount.ToString(CultureInfo.InvariantCulture),
    };

    public static StripePrice FindPrice(StripeCall call, string id, string param = "id") =>
        call.State.Prices.Find(id) ?? throw (param == "id" ? StripeErrors.NoSuch("price", id) : StripeErrors.NoSuchParam("price", id, param));

    public static JsonNode RetrievePrice(StripeCall call)
    {
        call.Allow();
        return FindPrice(call, call.Route("id")).Json;
    }

    public static JsonNode UpdatePrice(StripeCall call)
    {
        call.Allow("active", "nickname", "lookup_key", "transfer_lookup_key", "metadata", "tax_behavior", "currency_options");
        StripeParams.ValidateMetadata(call.Params);
        var price = FindPrice(call, call.Route("id"));
        var state = call.State;
        var lookupKey = call.Str("lookup_key");
        if (!string.IsNullOrEmpty(lookupKey)
            && state.Prices.Items.FirstOrDefault(p => p.Id != price.Id && p.GetString("lookup_key") == lookupKey) is { } holder)
        {
            if (call.Bool("transfer_lookup_key") != true)
            {
                throw StripeErrors.InvalidRequest(
                    $"A price (`{holder.Id}`) already uses that lookup key. Use `transfer_lookup_key` to transfer it to this price.", null, "lookup_key");
            }

            state.Change(state.Prices, holder, json => json["lookup_key"] = null, "price.updated");
        }

        state.Change(state.Prices, price, json =>
        {
            if (call.Bool("active") is { } active)
            {
                json["active"] = active;
            }

            if (call.Has("nickname"))
            {
                json["nickname"] = call.Str("nickname") is { Length: > 0 } nick ? nick : null;
            }

            if (call.Has("lookup_key"))
            {
                json["lookup_key"] = string.IsNullOrEmpty(lookupKey) ? null : lookupKey;
            }

            if (call.Enum("tax_behavior", "exclusive", "inclusive", "unspecified") is { } tax)
            {
                json["tax_behavior"] = tax;
            }

            StripeParams.ApplyMetadata(json, call.Params);
        }, "price.updated");
        return price.Json;
    }

    public static JsonNode ListPrices(StripeCall call)
    {
        call.Allow([.. StripeLists.ListParams, "active", "currency", "product", "type", "lookup_keys", "recurring"]);
        var active = call.Bool("active");
        var currency = call.Str("currency");
        var product = call.Str("product");
        var type = call.Enum("type", "one_time", "recurring");
        var lookupKeys = StripeParams.StringArray(call.Params, "lookup_keys")?.ToHashSet(StringComparer.Ordinal);
        var recurring = StripeParams.Hash(call.Params, "recurring");
        string? interval = null;
        if (recurring is not null)
        {
            StripeParams.Allow(recurring, ["interval", "usage_type", "meter"], "recurring");
            interval = StripeParams.Enum(recurring, "interval", ["day", "week", "month", "year"], "recurring[interval]");
        }

        var items = call.State.Prices.Items.Where(p =>
            (active is null || p.GetBoolean("active") == active)
            && (currency is null || p.GetString("currency") == currency)
            && (product is null || p.Product == product)
            && (type is null || p.GetString("type") == type)
            && (lookupKeys is null || (p.GetString("lookup_key") is { } key && lookupKeys.Contains(key)))
            && (interval is null || p.Json["recurring"]?["interval"]?.GetValue<string>() == interval));
        return StripeLists.List(call, items, "/v1/prices", "price");
    }

    public static JsonNode SearchPrices(StripeCall call) =>
        StripeLists.Search(call, call.State.Prices.Items, "prices", ["active", "currency", "lookup_key", "product", "type", "created", "metadata"]);
}
