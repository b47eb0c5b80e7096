using Archal.Testing.Clones.Stripe;
using Archal.Testing.Hosting;

namespace Archal.Testing.Clones.Tests.Stripe;

[Collection(CloneHostCollection.Name)]
public class StripeSeedExportTests(CloneHostFixture fixture)
{
    private static async Task WritesAsync(ArchalSession session, HttpClient client)
    {
        var customer = await client.PostOkAsync("v1/customers", "email=exported%40example.com&name=Exported&metadata[note]=3+days+ago");
        var intent = await client.PostOkAsync("v1/payment_intents", $"amount=4200&currency=usd&customer={customer.Id()}&payment_method=pm_card_visa&confirm=true");
        await client.PostOkAsync("v1/refunds", $"payment_intent={intent.Id()}&amount=1000");
        var product = await client.PostOkAsync("v1/products", "name=Plan");
        var price = await client.PostOkAsync("v1/prices", $"product={product.Id()}&unit_amount=900&currency=usd&recurring[interval]=month");
        var method = await client.PostOkAsync("v1/payment_methods", "type=card&card[token]=tok_visa");
        await client.PostOkAsync($"v1/payment_methods/{method.Id()}/attach", $"customer={customer.Id()}");
        await client.PostOkAsync($"v1/customers/{customer.Id()}", $"invoice_settings[default_payment_method]={method.Id()}");
        await client.PostOkAsync("v1/subscriptions", $"customer={customer.Id()}&items[0][price]={price.Id()}&trial_period_days=7");
        await client.PostOkAsync("v1/webhook_endpoints", "url=https%3A%2F%2Fapp.test%2Fstripe&enabled_events[]=*");
    }

    [Fact]
    public async Task A_session_exported_to_a_seed_file_loads_back_with_the_same_objects()
    {
        await using var result = await SeedExportRoundTrip.RunAsync(fixture, "stripe", StripeSeeds.SmallBusiness, WritesAsync);

        result.LoadedState.ShouldEqualExcept(result.SourceState);
        result.LoadedState["subscription"]!.AsArray().Should().ContainSingle();
        result.SeedFile.ToJsonString().Should().NotContain("whsec_");
        result.Loaded.Trace.Entries.Should().BeEmpty("a session loaded from a seed file starts with an empty trace");
    }

    [Fact]
    public async Task A_loaded_account_lists_in_the_same_order_and_bills_the_trial_when_it_ends()
    {
        await using var result = await SeedExportRoundTrip.RunAsync(fixture, "stripe", StripeSeeds.SmallBusiness, WritesAsync);
        using var source = result.Source.CreateClient("stripe");
        using var loaded = result.Loaded.CreateClient("stripe");

        (await loaded.GetJsonAsync("v1/charges?limit=100")).ToJsonString().Should().Be((await source.GetJsonAsync("v1/charges?limit=100")).ToJsonString());
        (await loaded.GetJsonAsync("v1/events?limit=5")).ToJsonString().Should().Be((await source.GetJsonAsync("v1/events?limit=5")).ToJsonString());
        await result.Loaded.Clock.AdvanceAsync(TimeSpan.FromDays(8));
        var subscriptions = await loaded.GetJsonAsync("v1/subscriptions");

        subscriptions["data"]![0]!.Str("status").Should().Be("active", "the trial ends on the loaded session's clock and the first invoice is paid");
    }
}
