using System.Text;
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

    private static readonly StripeRoute[] Routes =
    [
        new("GET", "/v1/customers/search", "customers/search", StripeCustomers.Search),
        new("POST", "/v1/customers", "customers/create", StripeCustomers.Create),
        new("GET", "/v1/customers", "customers/list", StripeCustomers.List),
        new("GET", "/v1/customers/{id}", "customers/retrieve", StripeCustomers.Retrieve),
        new("POST", "/v1/customers/{id}", "customers/update", StripeCustomers.Update),
        new("DELETE", "/v1/customers/{id}", "customers/delete", StripeCustomers.Delete),
        new("GET", "/v1/customers/{id}/payment_methods", "customers/list_payment_methods", StripePaymentMethods.ListForCustomer),
        new("GET", "/v1/customers/{id}/payment_methods/{pm}", "customers/retrieve_payment_method", StripePaymentMethods.RetrieveForCustomer),

        new("GET", "/v1/products/search", "products/search", StripeProducts.SearchProducts),
        new("POST", "/v1/products", "products/create", StripeProducts.CreateProduct),
        new("GET", "/v1/products", "products/list", StripeProducts.ListProducts),
        new("GET", "/v1/products/{id}", "products/retrieve", StripeProducts.RetrieveProduct),
        new("POST", "/v1/products/{id}", "products/update", StripeProducts.UpdateProduct),
        new("DELETE", "/v1/products/{id}", "products/delete", StripeProducts.DeleteProduct),
        new("GET", "/v1/prices/search", "prices/search", StripeProducts.SearchPrices),
        new("POST", "/v1/prices", "prices/create", StripeProducts.CreatePrice),
        new("GET", "/v1/prices", "prices/list", StripeProducts.ListPrices),
        new("GET", "/v1/prices/{id}", "prices/retrieve", StripeProducts.RetrievePrice),
        new("POST", "/v1/prices/{id}", "prices/update", StripeProducts.UpdatePrice),

        new("POST", "/v1/payment_methods", "payment_methods/create", StripePaymentMethods.Create),
        new("GET", "/v1/payment_methods", "payment_methods/list", StripePaymentMethods.List),
        new("GET", "/v1/payment_methods/{id}", "payment_methods/retrieve", StripePaymentMethods.Retrieve),
        new("POST", "/v1/payment_methods/{id}", "payment_methods/update", StripePaymentMethods.Update),
        new("POST", "/v1/payment_methods/{id}/attach", "payment_methods/attach", StripePaymentMethods.Attach),
        new("POST", "/v1/payment_methods/{id}/detach", "payment_methods/detach", StripePaymentMethods.Detach),

        new("GET", "/v1/payment_intents/search", "payment_intents/search", StripePaymentIntents.Search),
        new("POST", "/v1/payment_intents", "payment_intents/create", StripePaymentIntents.Create),
        new("GET", "/v1/payment_intents", "payment_intents/list", StripePaymentIntents.List),
        new("GET", "/v1/payment_intents/{id}", "payment_intents/retrieve", StripePaymentIntents.Retrieve),
        new("POST", "/v1/payment_intents/{id}", "payment_intents/update", StripePaymentIntents.Update),
        new("POST", "/v1/payment_intents/{id}/confirm", "payment_intents/confirm", StripePaymentIntents.Confirm),
        new("POST", "/v1/payment_intents/{id}/capture", "payment_intents/capture", StripePaymentIntents.Capture),
        new("POST", "/v1/payment_intents/{id}/cancel", "payment_intents/cancel", StripePaymentIntents.Cancel),

        new("GET", "/v1/charges/search", "charges/search", StripeCharges.Search),
        new("GET", "/v1/charges", "charges/list", StripeCharges.List),
        new("GET", "/v1/charges/{id}", "charges/retrieve", StripeCharges.Retrieve),
        new("POST", "/v1/charges/{id}", "charges/update", StripeCharges.Update),

        new("POST", "/v1/refunds", "refunds/create", StripeRefunds.Create),
        new("GET", "/v1/refunds", "refunds/list", StripeRefunds.List),
        new("GET", "/v1/refunds/{id}", "refunds/retrieve", StripeRefunds.Retrieve),
        new("POST", "/v1/refunds/{id}", "refunds/update", StripeRefunds.Update),

        new("GET", "/v1/subscriptions/search", "subscriptions/search", StripeSubscriptions.Search),
        new("POST", "/v1/subscriptions", "subscriptions/create", StripeSubscriptions.Create),
        new("GET", "/v1/subscriptions", "subscriptions/list", StripeSubscriptions.List),
        new("GET", "/v1/subscriptions/{id}", "subscriptions/retrieve", StripeSubscriptions.Retrieve),
        new("POST", "/v1/subscriptions/{id}", "subscriptions/update", StripeSubscriptions.Update),
        new("DELETE", "/v1/subscriptions/{id}", "subscriptions/cancel", StripeSubscriptions.Cancel),
        new("GET", "/v1/subscription_items", "subscription_items/list", StripeSubscriptions.ListItems),
        new("GET", "/v1/subscription_items/{id}", "subscription_items/retrieve", StripeSubscriptions.RetrieveItem),

        new("GET", "/v1/invoices/search", "invoices/search", StripeInvoices.Search),
        new("GET", "/v1/invoices", "invoices/list", StripeInvoices.List),
        new("GET", "/v1/invoices/{id}", "invoices/retrieve", StripeInvoices.Retrieve),
        new("POST", "/v1/invoices/{id}", "invoices/update", StripeInvoices.Update),
        new("GET", "/v1/invoices/{id}/lines", "invoices/list_line_items", StripeInvoices.Lines),
        new("POST", "/v1/invoices/{id}/finalize", "invoices/finalize", StripeInvoices.Finalize),
        new("POST", "/v1/invoices/{id}/pay", "invoices/pay", StripeInvoices.Pay),
        new("POST", "/v1/invoices/{id}/void", "invoices/void", StripeInvoices.Void),
        new("POST", "/v1/invoices/{id}/mark_uncollectible", "invoices/mark_uncollectible", StripeInvoices.MarkUncollectible),

        new("GET", "/v1/events", "events/list", StripeEvents.List),
        new("GET", "/v1/events/{id}", "events/retrieve", StripeEvents.Retrieve),
    ];

    private static readonly Dictionary<string, string> Operations = Routes.ToDictionary(
        r => $"{r.Method} {r.Template.TrimStart('/')}", r => r.Operation, StringComparer.OrdinalIgnoreCase);

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
    public override CloneState CreateState(CloneSeedContext context) => StripeSeeds.Create(context);

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        foreach (var route in Routes)
        {
            var handler = route.Handler;
            var idempotent = route.Method == "POST";
            api.MapMethods(route.Template, [route.Method], (HttpContext http) => ExecuteAsync(http, handler, idempotent));
        }
    }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var state = http.GetCloneState<StripeState>();
        var requestId = state.NewRequestId();
        SetHeaders(http, requestId);
        var error = StripeErrors.Unrecognized(http.Request);
        return WriteAsync(http, error.Status, error.ToBody(requestId).ToJsonString());
    }

    /// <inheritdoc />
    public override string DescribeOperation(string method, string routeTemplate, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(routeTemplate);
        // Accept the template relative to the api base URL or with the runtime prefix still on it.
        var v1 = routeTemplate.IndexOf("v1/", StringComparison.Ordinal);
        var relative = v1 >= 0 ? routeTemplate[v1..] : routeTemplate.TrimStart('/');
        return Operations.TryGetValue($"{method} {relative}", out var operation)
            ? operation
            : base.DescribeOperation(method, routeTemplate, http);
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
                using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
                foreach (var (name, value) in StripeForm.Parse(body).ToList())
                {
                    parameters[name] = value?.DeepClone();
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
            var legacy = StripeVersions.IsLegacy(apiVersion);
            if (call.Expand.Count > 0 || legacy)
            {
                result = result.DeepClone();
                StripeExpand.Apply(state, result, call.Expand);
                if (legacy)
                {
                    StripeVersions.Downgrade(state, result);
                }
            }

            var text = result.ToJsonString();
            if (idempotencyKey is not null)
            {
                state.StoreIdempotent(idempotencyKey, new IdempotentResult(fingerprint!, StatusCodes.Status200OK, text, state.Time.GetUtcNow()));
            }

            await WriteAsync(http, StatusCodes.Status200OK, text).ConfigureAwait(false);
        }
        catch (StripeApiException error)
        {
            var text = error.ToBody(requestId).ToJsonString();
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

    private static string SetHeaders(HttpContext http, string requestId)
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

    private static async Task WriteAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private sealed record StripeRoute(string Method, string Template, string Operation, StripeHandler Handler);

    // ---- Clone knowledge for criteria, seed files and redaction (StripeVocabulary.cs) ----

    /// <inheritdoc />
    public override CloneVocabulary Vocabulary => StripeVocabulary.Vocabulary;

    /// <inheritdoc />
    public override CloneSecrets Secrets => StripeVocabulary.Secrets;

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckSeedData(System.Text.Json.Nodes.JsonObject data, string baseSeed) => StripeVocabulary.CheckSeedData(data, baseSeed);
}

/// <summary>Serves one Stripe endpoint: returns the response object or throws <see cref="StripeApiException"/>.</summary>
internal delegate JsonNode StripeHandler(StripeCall call);
