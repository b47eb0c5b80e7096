using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// A stateful emulator of Stripe's API (api.stripe.com): customers, products, prices, payment methods,
/// payment intents, charges, refunds, subscriptions, invoices and events, with Stripe's form encoding,
/// expansion, list pagination, idempotency keys, errors and headers.
/// </summary>
public sealed class StripeClone : CloneDefinition
{
    /// <summary>The API version answered when a request sends no <c>Stripe-Version</c> (stripe-node 23's pinned version).</summary>
    public const string DefaultApiVersion = "2026-10-28.endive";

    /// <summary>Every operation: method, template, id, summary, doc page under docs.stripe.com/api, handler.</summary>
    private static readonly CloneOperation[] Table =
    [
        Op("GET", "/v1/customers/search", "customers/search", "Search customers", "customers/search", StripeCustomers.Search),
        Op("POST", "/v1/customers", "customers/create", "Create a customer", "customers/create", StripeCustomers.Create),
        Op("GET", "/v1/customers", "customers/list", "List all customers", "customers/list", StripeCustomers.List),
        Op("GET", "/v1/customers/{id}", "customers/retrieve", "Retrieve a customer", "customers/retrieve", StripeCustomers.Retrieve),
        Op("POST", "/v1/customers/{id}", "customers/update", "Update a customer", "customers/update", StripeCustomers.Update),
        Op("DELETE", "/v1/customers/{id}", "customers/delete", "Delete a customer", "customers/delete", StripeCustomers.Delete),
        Op("GET", "/v1/customers/{id}/payment_methods", "customers/list_payment_methods", "List a customer's PaymentMethods", "payment_methods/customer_list", StripePaymentMethods.ListForCustomer),
        Op("GET", "/v1/customers/{id}/payment_methods/{pm}", "customers/retrieve_payment_method", "Retrieve a customer's PaymentMethod", "payment_methods/customer", StripePaymentMethods.RetrieveForCustomer),

        Op("GET", "/v1/products/search", "products/search", "Search products", "products/search", StripeProducts.SearchProducts),
        Op("POST", "/v1/products", "products/create", "Create a product", "products/create", StripeProducts.CreateProduct),
        Op("GET", "/v1/products", "products/list", "List all products", "products/list", StripeProducts.ListProducts),
        Op("GET", "/v1/products/{id}", "products/retrieve", "Retrieve a product", "products/retrieve", StripeProducts.RetrieveProduct),
        Op("POST", "/v1/products/{id}", "products/update", "Update a product", "products/update", StripeProducts.UpdateProduct),
        Op("DELETE", "/v1/products/{id}", "products/delete", "Delete a product", "products/delete", StripeProducts.DeleteProduct),
        Op("GET", "/v1/prices/search", "prices/search", "Search prices", "prices/search", StripeProducts.SearchPrices),
        Op("POST", "/v1/prices", "prices/create", "Create a price", "prices/create", StripeProducts.CreatePrice),
        Op("GET", "/v1/prices", "prices/list", "List all prices", "prices/list", StripeProducts.ListPrices),
        Op("GET", "/v1/prices/{id}", "prices/retrieve", "Retrieve a price", "prices/retrieve", StripeProducts.RetrievePrice),
        Op("POST", "/v1/prices/{id}", "prices/update", "Update a price", "prices/update", StripeProducts.UpdatePrice),

        Op("POST", "/v1/payment_methods", "payment_methods/create", "Create a PaymentMethod", "payment_methods/create", StripePaymentMethods.Create),
        Op("GET", "/v1/payment_methods", "payment_methods/list", "List all PaymentMethods", "payment_methods/list", StripePaymentMethods.List),
        Op("GET", "/v1/payment_methods/{id}", "payment_methods/retrieve", "Retrieve a PaymentMethod", "payment_methods/retrieve", StripePaymentMethods.Retrieve),
        Op("POST", "/v1/payment_methods/{id}", "payment_methods/update", "Update a PaymentMethod", "payment_methods/update", StripePaymentMethods.Update),
        Op("POST", "/v1/payment_methods/{id}/attach", "payment_methods/attach", "Attach a PaymentMethod to a customer", "payment_methods/attach", StripePaymentMethods.Attach),
        Op("POST", "/v1/payment_methods/{id}/detach", "payment_methods/detach", "Detach a PaymentMethod from a customer", "payment_methods/detach", StripePaymentMethods.Detach),

        Op("GET", "/v1/payment_intents/search", "payment_intents/search", "Search PaymentIntents", "payment_intents/search", StripePaymentIntents.Search),
        Op("POST", "/v1/payment_intents", "payment_intents/create", "Create a PaymentIntent", "payment_intents/create", StripePaymentIntents.Create),
        Op("GET", "/v1/payment_intents", "payment_intents/list", "List all PaymentIntents", "payment_intents/list", StripePaymentIntents.List),
        Op("GET", "/v1/payment_intents/{id}", "payment_intents/retrieve", "Retrieve a PaymentIntent", "payment_intents/retrieve", StripePaymentIntents.Retrieve),
        Op("POST", "/v1/payment_intents/{id}", "payment_intents/update", "Update a PaymentIntent", "payment_intents/update", StripePaymentIntents.Update),
        Op("POST", "/v1/payment_intents/{id}/confirm", "payment_intents/confirm", "Confirm a PaymentIntent", "payment_intents/confirm", StripePaymentIntents.Confirm),
        Op("POST", "/v1/payment_intents/{id}/capture", "payment_intents/capture", "Capture a PaymentIntent", "payment_intents/capture", StripePaymentIntents.Capture),
        Op("POST", "/v1/payment_intents/{id}/cancel", "payment_intents/cancel", "Cancel a PaymentIntent", "payment_intents/cancel", StripePaymentIntents.Cancel),

        Op("GET", "/v1/charges/search", "charges/search", "Search charges", "charges/search", StripeCharges.Search),
        Op("GET", "/v1/charges", "charges/list", "List all charges", "charges/list", StripeCharges.List),
        Op("GET", "/v1/charges/{id}", "charges/retrieve", "Retrieve a charge", "charges/retrieve", StripeCharges.Retrieve),
        Op("POST", "/v1/charges/{id}", "charges/update", "Update a charge", "charges/update", StripeCharges.Update),

        Op("POST", "/v1/refunds", "refunds/create", "Create a refund", "refunds/create", StripeRefunds.Create),
        Op("GET", "/v1/refunds", "refunds/list", "List all refunds", "refunds/list", StripeRefunds.List),
        Op("GET", "/v1/refunds/{id}", "refunds/retrieve", "Retrieve a refund", "refunds/retrieve", StripeRefunds.Retrieve),
        Op("POST", "/v1/refunds/{id}", "refunds/update", "Update a refund", "refunds/update", StripeRefunds.Update),

        Op("GET", "/v1/subscriptions/search", "subscriptions/search", "Search subscriptions", "subscriptions/search", StripeSubscriptions.Search),
        Op("POST", "/v1/subscriptions", "subscriptions/create", "Create a subscription", "subscriptions/create", StripeSubscriptions.Create),
        Op("GET", "/v1/subscriptions", "subscriptions/list", "List all subscriptions", "subscriptions/list", StripeSubscriptions.List),
        Op("GET", "/v1/subscriptions/{id}", "subscriptions/retrieve", "Retrieve a subscription", "subscriptions/retrieve", StripeSubscriptions.Retrieve),
        Op("POST", "/v1/subscriptions/{id}", "subscriptions/update", "Update a subscription", "subscriptions/update", StripeSubscriptions.Update),
        Op("DELETE", "/v1/subscriptions/{id}", "subscriptions/cancel", "Cancel a subscription", "subscriptions/cancel", StripeSubscriptions.Cancel),
        Op("GET", "/v1/subscription_items", "subscription_items/list", "List all subscription items", "subscription_items/list", StripeSubscriptions.ListItems),
        Op("GET", "/v1/subscription_items/{id}", "subscription_items/retrieve", "Retrieve a subscription item", "subscription_items/retrieve", StripeSubscriptions.RetrieveItem),

        Op("GET", "/v1/invoices/search", "invoices/search", "Search invoices", "invoices/search", StripeInvoices.Search),
        Op("GET", "/v1/invoices", "invoices/list", "List all invoices", "invoices/list", StripeInvoices.List),
        Op("GET", "/v1/invoices/{id}", "invoices/retrieve", "Retrieve an invoice", "invoices/retrieve", StripeInvoices.Retrieve),
        Op("POST", "/v1/invoices/{id}", "invoices/update", "Update an invoice", "invoices/update", StripeInvoices.Update),
        Op("GET", "/v1/invoices/{id}/lines", "invoices/list_line_items", "Retrieve an invoice's line items", "invoices/invoice_lines", StripeInvoices.Lines),
        Op("POST", "/v1/invoices/{id}/finalize", "invoices/finalize", "Finalize an invoice", "invoices/finalize", StripeInvoices.Finalize),
        Op("POST", "/v1/invoices/{id}/pay", "invoices/pay", "Pay an invoice", "invoices/pay", StripeInvoices.Pay),
        Op("POST", "/v1/invoices/{id}/void", "invoices/void", "Void an invoice", "invoices/void", StripeInvoices.Void),
        Op("POST", "/v1/invoices/{id}/mark_uncollectible", "invoices/mark_uncollectible", "Mark an invoice as uncollectible", "invoices/mark_uncollectible", StripeInvoices.MarkUncollectible),

        Op("POST", "/v1/test_helpers/test_clocks", "test_helpers/test_clocks/create", "Create a test clock", "test_clocks/create", StripeTestClocks.Create),
        Op("GET", "/v1/test_helpers/test_clocks", "test_helpers/test_clocks/list", "List all test clocks", "test_clocks/list", StripeTestClocks.List),
        Op("GET", "/v1/test_helpers/test_clocks/{id}", "test_helpers/test_clocks/retrieve", "Retrieve a test clock", "test_clocks/retrieve", StripeTestClocks.Retrieve),
        Op("DELETE", "/v1/test_helpers/test_clocks/{id}", "test_helpers/test_clocks/delete", "Delete a test clock", "test_clocks/delete", StripeTestClocks.Delete),
        Op("POST", "/v1/test_helpers/test_clocks/{id}/advance", "test_helpers/test_clocks/advance", "Advance a test clock", "test_clocks/advance", StripeTestClocks.Advance),

        Op("GET", "/v1/events", "events/list", "List all events", "events/list", StripeEvents.List),
        Op("GET", "/v1/events/{id}", "events/retrieve", "Retrieve an event", "events/retrieve", StripeEvents.Retrieve),

        Op("POST", "/v1/webhook_endpoints", "webhook_endpoints/create", "Create a webhook endpoint", "webhook_endpoints/create", StripeWebhookEndpoints.Create),
        Op("GET", "/v1/webhook_endpoints", "webhook_endpoints/list", "List all webhook endpoints", "webhook_endpoints/list", StripeWebhookEndpoints.List),
        Op("GET", "/v1/webhook_endpoints/{id}", "webhook_endpoints/retrieve", "Retrieve a webhook endpoint", "webhook_endpoints/retrieve", StripeWebhookEndpoints.Retrieve),
        Op("POST", "/v1/webhook_endpoints/{id}", "webhook_endpoints/update", "Update a webhook endpoint", "webhook_endpoints/update", StripeWebhookEndpoints.Update),
        Op("DELETE", "/v1/webhook_endpoints/{id}", "webhook_endpoints/delete", "Delete a webhook endpoint", "webhook_endpoints/delete", StripeWebhookEndpoints.Delete),
    ];

    private static CloneOperation Op(string method, string template, string id, string summary, string doc, StripeHandler handler)
    {
        var idempotent = method == "POST";
        return new(id, method, template, summary, (RequestDelegate)(http => ExecuteAsync(http, handler, idempotent)))
        {
            DocUrl = new Uri("https://docs.stripe.com/api/" + doc),
        };
    }

    /// <summary>The test secret key harness clients send when the caller chooses none.</summary>
    public const string DefaultKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

    /// <inheritdoc />
    public override string Id => "stripe";

    /// <inheritdoc />
    public override string DisplayName => "Stripe";

    /// <inheritdoc />
    public override string Description => "Stripe API: customers, products, prices, payment intents, charges, refunds, subscriptions and invoices.";

    /// <inheritdoc />
    public override IReadOnlyList<string> SeedNames => StripeSeeds.Names;

    /// <inheritdoc />
    public override string DefaultServiceToken => DefaultKey;

    /// <inheritdoc />
    public override IReadOnlyList<string> ServiceTokenVariables { get; } = ["STRIPE_API_KEY"];

    /// <inheritdoc />
    public override IReadOnlyList<Uri> ProductionBaseUrls { get; } = [new("https://api.stripe.com/")];

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context) => StripeSeeds.Create(context);

    /// <inheritdoc />
    /// <remarks>Every object as the API returns it and the billing bookkeeping; see docs/faults-and-snapshots.md for what does not carry over.</remarks>
    public override System.Text.Json.Nodes.JsonObject ExportSeedData(CloneState state) =>
        StripeSeedExport.Export(state as StripeState ?? throw new ArgumentException($"Expected a StripeState, got {state?.GetType().Name ?? "null"}.", nameof(state)));

    /// <inheritdoc />
    /// <remarks>Operation ids are <c>{resource}/{method}</c> as stripe-node names them (<c>customers.create</c>), with a slash.</remarks>
    public override IReadOnlyList<CloneOperation> Operations => Table;

    /// <inheritdoc />
    public override IReadOnlyList<CloneTool> Tools => StripeMcpTools.Tools;

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var state = http.GetCloneState<StripeState>();
        var requestId = state.NewRequestId();
        SetHeaders(http, requestId);
        var error = StripeErrors.Unrecognized(http.Request);
        return WriteAsync(http, error.Status, error.ToBody(requestId).ToJsonString(CloneJson.SnakeCase));
    }

    /// <inheritdoc />
    /// <remarks>An <c>invalid_request_error</c> with HTTP 413.</remarks>
    public override Task WriteRequestTooLargeAsync(HttpContext http, long limit)
    {
        ArgumentNullException.ThrowIfNull(http);
        var requestId = http.GetCloneState<StripeState>().NewRequestId();
        SetHeaders(http, requestId);
        var error = new StripeApiException(StatusCodes.Status413PayloadTooLarge, "invalid_request_error",
            $"The request body is too large: the limit is {limit} bytes.");
        return WriteAsync(http, error.Status, error.ToBody(requestId).ToJsonString(CloneJson.SnakeCase));
    }

    private static async Task ExecuteAsync(HttpContext http, StripeHandler handler, bool idempotent)
    {
        var state = http.GetCloneState<StripeState>();
        var requestId = state.NewRequestId();
        var apiVersion = SetHeaders(http, requestId);
        string? idempotencyKey = null;
        string? fingerprint = null;
        try
        {
            Authenticate(http.Request);
            if (!StripeVersions.IsValid(apiVersion))
            {
                throw StripeErrors.InvalidRequest($"Invalid Stripe API version: {apiVersion}");
            }

            var parameters = StripeForm.Parse(http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : null);
            if (HttpMethods.IsPost(http.Request.Method))
            {
                // The runtime read the body once, under the host's limit; body parameters win over query ones.
                var body = StripeForm.ParseBody(http.GetCloneContext().Body.Span);
                foreach (var (name, value) in body.ToList())
                {
                    body.Remove(name);
                    parameters[name] = value;
                }
            }

            var header = http.Request.Headers["Idempotency-Key"].ToString();
            if (idempotent && header.Length > 0)
            {
                if (header.Length > 255)
                {
                    throw StripeErrors.InvalidRequest(
                        $"Invalid Idempotency-Key: keys can be at most 255 characters long; this one has {header.Length}.", null, "Idempotency-Key");
                }

                idempotencyKey = header;
                fingerprint = $"{http.Request.Method} {EndpointPath(http)}\n{parameters.ToJsonString()}";
                if (state.FindIdempotent(header) is { } stored)
                {
                    if (stored.Fingerprint != fingerprint)
                    {
                        var storedEndpoint = stored.Fingerprint[..stored.Fingerprint.IndexOf('\n', StringComparison.Ordinal)];
                        var thisEndpoint = fingerprint[..fingerprint.IndexOf('\n', StringComparison.Ordinal)];
                        var message = storedEndpoint != thisEndpoint
                            ? $"Keys for idempotent requests can only be used for the same endpoint they were first used for ('{storedEndpoint}' vs '{thisEndpoint}'). Try using a key other than '{header}' if you meant to execute a different request."
                            : $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{header}' if you meant to execute a different request.";
                        throw new StripeApiException(StatusCodes.Status400BadRequest, "idempotency_error", message);
                    }

                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    http.Response.Headers["Idempotency-Key"] = header;
                    await WriteAsync(http, stored.Status, stored.Body).ConfigureAwait(false);
                    return;
                }

                http.Response.Headers["Idempotency-Key"] = header;
            }

            var expand = StripeExpand.Take(parameters);
            state.CurrentRequest = new StripeRequestInfo(requestId, idempotencyKey, apiVersion);
            var call = new StripeCall(http, state, parameters, requestId) { Expand = expand };
            // Handlers may return the live object; expansion and version shims edit what they are given, so they get a copy.
            var result = handler(call);
            var legacy = StripeVersions.NeedsDowngrade(apiVersion);
            if (call.Expand.Count > 0 || legacy)
            {
                result = result.DeepClone();
                StripeExpand.Apply(state, result, call.Expand);
                if (legacy)
                {
                    StripeVersions.Downgrade(state, result, apiVersion);
                }
            }

            var text = result.ToJsonString(CloneJson.SnakeCase);
            if (idempotencyKey is not null)
            {
                state.StoreIdempotent(idempotencyKey, new IdempotentResult(fingerprint!, StatusCodes.Status200OK, text, state.Time.GetUtcNow()));
            }

            await WriteAsync(http, StatusCodes.Status200OK, text).ConfigureAwait(false);
        }
        catch (StripeApiException error)
        {
            var text = error.ToBody(requestId).ToJsonString(CloneJson.SnakeCase);
            if (idempotencyKey is not null && error.SavedForIdempotency)
            {
                state.StoreIdempotent(idempotencyKey, new IdempotentResult(fingerprint!, error.Status, text, state.Time.GetUtcNow()));
            }

            if (error.Status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
            }

            await WriteAsync(http, error.Status, text).ConfigureAwait(false);
        }
        finally
        {
            state.CurrentRequest = null;
        }
    }

    private static void Authenticate(HttpRequest request)
    {
        var key = request.GetServiceToken();
        if (key is null)
        {
            throw StripeErrors.NoApiKey();
        }

        var valid = (key.StartsWith("sk_test_", StringComparison.Ordinal) || key.StartsWith("rk_test_", StringComparison.Ordinal))
            && key.Length > "sk_test_".Length;
        if (!valid)
        {
            throw StripeErrors.InvalidApiKey(key);
        }
    }

    internal static string SetHeaders(HttpContext http, string requestId)
    {
        var requested = http.Request.Headers["Stripe-Version"].ToString();
        var version = requested.Length > 0 ? requested : DefaultApiVersion;
        var headers = http.Response.Headers;
        headers["Request-Id"] = requestId;
        headers["Stripe-Version"] = version;
        headers.CacheControl = "no-cache, no-store";
        headers["Access-Control-Allow-Origin"] = "*";
        return version;
    }

    private static string EndpointPath(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var api = path.IndexOf("/api/", StringComparison.Ordinal);
        return api >= 0 ? path[(api + 4)..] : path;
    }

    internal static async Task WriteAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }


    // ---- Clone knowledge for criteria, seed files and redaction (StripeVocabulary.cs) ----

    /// <inheritdoc />
    /// <remarks>Codes: <c>rate_limit</c> (the default for 429), <c>lock_timeout</c>, <c>api_error</c> (the default for 5xx), <c>card_declined</c> and Stripe's decline codes (402 <c>card_error</c>).</remarks>
    public override string? CheckFault(CloneFault fault) => StripeFaults.Check(fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <inheritdoc />
    public override Task WriteFaultAsync(HttpContext http, CloneFault fault) =>
        StripeFaults.WriteAsync(http ?? throw new ArgumentNullException(nameof(http)), fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <inheritdoc />
    public override CloneVocabulary Vocabulary => StripeVocabulary.Vocabulary;

    /// <inheritdoc />
    public override CloneSecrets Secrets => StripeVocabulary.Secrets;

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckSeedData(System.Text.Json.Nodes.JsonObject data, string baseSeed) => StripeVocabulary.CheckSeedData(data, baseSeed);
}

/// <summary>Serves one Stripe endpoint: returns the response object or throws <see cref="StripeApiException"/>.</summary>
internal delegate JsonNode StripeHandler(StripeCall call);
