using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>Bad input gets Stripe's 4xx, never a 500: every route against parameters of the wrong shape.</summary>
[Collection(CloneHostCollection.Name)]
public class StripeMalformedInputTests(CloneHostFixture fixture)
{
    private static readonly string[] Garbage =
    [
        "amount[x]=1", "amount=-5", "metadata=abc", "metadata[a][b]=c", "items=abc", "items[0]=abc", "items[0][price][x]=1",
        "items[0][id]=si_nope", "expand[0][x]=1", "expand=", "limit=abc", "limit[x]=1", "created[foo]=1", "created=abc",
        "customer[x]=y", "customer=cus_nope", "payment_method[0]=x", "payment_method=pm_nope", "query=", "query[x]=1",
        "query=email%3A", "query=a%3A'b'+AND+c%3A'd'+OR+e%3A'f'", "lookup_keys[0][a]=b", "recurring=x", "recurring[interval][x]=1",
        "recurring[interval]=fortnight", "cancellation_details=abc", "invoice_settings=x", "address=x", "address[line1][x]=1",
        "trial_end=abc", "confirm=maybe", "starting_after[x]=1", "starting_after=cus_nope", "amount_to_capture=abc",
        "types[0][x]=1", "ids[0][x]=1", "currency=US", "unit_amount=1.5", "product_data=x", "charge[x]=1", "default_price_data=x",
        "card[token]=tok_nope", "type=sepa", "days_until_due=x", "payment_behavior=later", "cancel_at_period_end=x",
        "customer={cus}&items[0][price][x]=1", "customer={cus}&items[0]=abc", "customer={cus}&items[0][price]={price}&trial_end=abc",
        "customer={cus}&items[0][price]={price}&items[0][quantity]=x", "customer={cus}&items[0][price]={price}&collection_method=send_invoice",
        "amount=100&currency=usd&payment_method[0]=x", "amount=100&currency=usd&confirm=maybe", "amount=100&currency=usd&confirm=true",
        "product={prod}&currency=usd&unit_amount=1.5", "product={prod}&currency=usd&unit_amount=100&recurring[interval][x]=1",
        "payment_intent={pi}&amount=abc", "charge={ch}&amount=999999999", "type=card&card[number]=4242", "name=",
        "items[0][price]={price}&items[0][id]=si_nope", "items[0][deleted]=true&items[0][id]=si_nope", "trial_end=now",
        "invoice_settings[default_payment_method]=pm_nope", "invoice_settings[x]=1", "default_payment_method=pm_card_visa",
    ];

    [Fact]
    public async Task No_route_answers_malformed_parameters_with_a_server_error()
    {
        var (session, client) = await fixture.StartAsync("stripe", "subscription-lifecycle");
        var state = session.GetState<StripeState>("stripe");
        var ids = new Dictionary<string, string>
        {
            ["customers"] = state.Customers.Items[0].Id,
            ["products"] = state.Products.Items[0].Id,
            ["prices"] = state.Prices.Items[0].Id,
            ["payment_methods"] = state.PaymentMethods.Items[0].Id,
            ["payment_intents"] = state.PaymentIntents.Items[0].Id,
            ["charges"] = state.Charges.Items[0].Id,
            ["refunds"] = "re_none",
            ["subscriptions"] = state.Subscriptions.Items[0].Id,
            ["invoices"] = state.Invoices.Items[0].Id,
            ["events"] = state.Events.Items[0].Id,
        };
        var routes = new List<(HttpMethod Method, string Path)>();
        foreach (var (resource, id) in ids)
        {
            routes.Add((HttpMethod.Get, $"v1/{resource}"));
            routes.Add((HttpMethod.Post, $"v1/{resource}"));
            routes.Add((HttpMethod.Get, $"v1/{resource}/{id}"));
            routes.Add((HttpMethod.Post, $"v1/{resource}/{id}"));
            routes.Add((HttpMethod.Delete, $"v1/{resource}/{id}"));
            routes.Add((HttpMethod.Get, $"v1/{resource}/search"));
        }

        foreach (var action in (string[])["confirm", "capture", "cancel"])
        {
            routes.Add((HttpMethod.Post, $"v1/payment_intents/{ids["payment_intents"]}/{action}"));
        }

        foreach (var action in (string[])["finalize", "pay", "void", "mark_uncollectible"])
        {
            routes.Add((HttpMethod.Post, $"v1/invoices/{ids["invoices"]}/{action}"));
        }

        routes.Add((HttpMethod.Get, $"v1/invoices/{ids["invoices"]}/lines"));
        routes.Add((HttpMethod.Get, "v1/subscription_items"));
        routes.Add((HttpMethod.Get, $"v1/subscription_items?subscription={ids["subscriptions"]}&"));
        routes.Add((HttpMethod.Get, $"v1/customers/{ids["customers"]}/payment_methods/{ids["payment_methods"]}"));
        routes.Add((HttpMethod.Post, $"v1/payment_methods/pm_card_visa/attach"));
        routes.Add((HttpMethod.Post, $"v1/payment_methods/{ids["payment_methods"]}/detach"));
        routes.Add((HttpMethod.Get, $"v1/customers/{ids["customers"]}/payment_methods"));

        var failures = new List<string>();
        foreach (var (method, path) in routes)
        {
            foreach (var template in Garbage)
            {
                var form = template.Replace("{cus}", ids["customers"]).Replace("{price}", ids["prices"]).Replace("{prod}", ids["products"])
                    .Replace("{pi}", ids["payment_intents"]).Replace("{ch}", ids["charges"]);
                using var request = method == HttpMethod.Post
                    ? new HttpRequestMessage(method, path) { Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") }
                    : new HttpRequestMessage(method, $"{path}?{form}");
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {path} {form} → {(int)response.StatusCode}");
                }
            }
        }

        failures.Should().BeEmpty();
    }
}
