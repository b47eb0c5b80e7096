using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Clones.Stripe;

/// <summary>A stateful emulator of Stripe's API (api.stripe.com).</summary>
public sealed class StripeClone : CloneDefinition
{
    /// <inheritdoc />
    public override string Id => "stripe";

    /// <inheritdoc />
    public override string DisplayName => "Stripe";

    /// <inheritdoc />
    public override string Description => "Stripe API: customers, products, prices, payment intents, charges, refunds, subscriptions and invoices.";

    /// <inheritdoc />
    public override IReadOnlyList<string> SeedNames { get; } = ["empty"];

    /// <inheritdoc />
    public override string DefaultServiceToken => "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.SeedName == "empty"
            ? new StripeState(context)
            : throw new CloneSeedException($"Stripe has no seed named '{context.SeedName}'. Known seeds: {string.Join(", ", SeedNames)}.");
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder api) { }

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var error = new
        {
            error = new
            {
                message = $"Unrecognized request URL ({http.Request.Method}: {http.Request.Path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                type = "invalid_request_error",
            },
        };
        return CloneJson.Result(error, StatusCodes.Status404NotFound).ExecuteAsync(http);
    }
}

/// <summary>One session's Stripe data.</summary>
public sealed class StripeState : CloneState
{
    internal StripeState(CloneSeedContext seed) : base("stripe", seed) { }
}
