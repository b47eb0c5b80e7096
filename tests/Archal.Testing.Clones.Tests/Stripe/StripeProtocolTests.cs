using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Stripe;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>What every Stripe endpoint shares: auth, errors, headers, idempotency, pagination, expansion.</summary>
[Collection(CloneHostCollection.Name)]
public class StripeProtocolTests(CloneHostFixture fixture)
{
    [Fact]
    public async Task Request_without_api_key_returns_401_with_stripes_message()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        client.WithoutAuthorization();

        var (response, body) = await client.GetAsync("v1/customers", raw: true);

        ((int)response.StatusCode).Should().Be(401);
        body["error"]!.Str("type").Should().Be("invalid_request_error");
        body["error"]!.Str("message").Should().StartWith("You did not provide an API key.");
        response.Headers.GetValues("Request-Id").Single().Should().StartWith("req_");
    }

    [Fact]
    public async Task Request_with_a_non_test_key_returns_401_invalid_api_key()
    {
        var (_, client) = await fixture.StartAsync("stripe", serviceToken: "not_a_key_1234");

        var (response, body) = await client.GetAsync("v1/customers", raw: true);

        ((int)response.StatusCode).Should().Be(401);
        body["error"]!.Str("message").Should().StartWith("Invalid API Key provided: ").And.EndWith("1234");
    }

    [Fact]
    public async Task Basic_auth_with_the_key_as_user_is_accepted()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        client.WithAuthorization("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(StripeClone.DefaultKey + ":")));

        var (response, _) = await client.GetAsync("v1/customers", raw: true);

        ((int)response.StatusCode).Should().Be(200);
    }

    [Fact]
    public async Task Every_response_has_a_unique_request_id_and_echoes_stripe_version()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/customers");
        request.Headers.Add("Stripe-Version", "2024-06-20");

        using var first = await client.SendAsync(request);
        using var second = await client.GetAsync("v1/customers");

        first.Headers.GetValues("Stripe-Version").Single().Should().Be("2024-06-20");
        second.Headers.GetValues("Stripe-Version").Single().Should().Be(StripeClone.DefaultApiVersion);
        first.Headers.GetValues("Request-Id").Single().Should().NotBe(second.Headers.GetValues("Request-Id").Single());
    }

    [Fact]
    public async Task Unknown_parameter_returns_400_parameter_unknown()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/customers", "email=a%40example.com&colour=blue");

        ((int)response.StatusCode).Should().Be(400);
        body["error"]!.Str("code").Should().Be("parameter_unknown");
        body["error"]!.Str("param").Should().Be("colour");
        body["error"]!.Str("message").Should().Be("Received unknown parameter: colour");
        body["error"]!.Str("doc_url").Should().Be("https://stripe.com/docs/error-codes/parameter-unknown");
        body["error"]!.Str("request_log_url").Should().Contain(response.Headers.GetValues("Request-Id").Single());
    }

    [Fact]
    public async Task Non_integer_amount_returns_400_parameter_invalid_integer()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/payment_intents", "amount=ten&currency=usd");

        ((int)response.StatusCode).Should().Be(400);
        body["error"]!.Str("code").Should().Be("parameter_invalid_integer");
        body["error"]!.Str("param").Should().Be("amount");
    }

    [Fact]
    public async Task Missing_required_parameter_returns_400_parameter_missing()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/payment_intents", "currency=usd");

        ((int)response.StatusCode).Should().Be(400);
        body["error"]!.Str("code").Should().Be("parameter_missing");
        body["error"]!.Str("message").Should().Be("Missing required param: amount.");
    }

    [Fact]
    public async Task Unknown_id_returns_404_resource_missing_with_param_id()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.GetAsync("v1/customers/cus_nope", raw: true);

        ((int)response.StatusCode).Should().Be(404);
        body["error"]!.Str("code").Should().Be("resource_missing");
        body["error"]!.Str("param").Should().Be("id");
        body["error"]!.Str("message").Should().Be("No such customer: 'cus_nope'");
    }

    [Fact]
    public async Task Malformed_form_body_returns_400_not_500()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/customers", "email=%zz");

        ((int)response.StatusCode).Should().Be(400);
        body["error"]!.Str("type").Should().Be("invalid_request_error");
    }

    [Fact]
    public async Task Unrecognized_url_returns_404_in_stripes_shape()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.GetAsync("v1/nothing_here", raw: true);

        ((int)response.StatusCode).Should().Be(404);
        body["error"]!.Str("message").Should().StartWith("Unrecognized request URL (GET: /v1/nothing_here).");
    }

    [Fact]
    public async Task Idempotent_retry_replays_the_first_response_without_a_second_object()
    {
        var (session, client) = await fixture.StartAsync("stripe");

        var (first, firstBody) = await client.PostAsync("v1/customers", "email=a%40example.com", idempotencyKey: "key-1");
        var (second, secondBody) = await client.PostAsync("v1/customers", "email=a%40example.com", idempotencyKey: "key-1");

        ((int)second.StatusCode).Should().Be(200);
        secondBody.Id().Should().Be(firstBody.Id());
        second.Headers.GetValues("Idempotent-Replayed").Single().Should().Be("true");
        first.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        session.GetState<StripeState>("stripe").Customers.Count.Should().Be(1);
    }

    [Fact]
    public async Task Idempotency_key_reused_with_other_parameters_returns_400_idempotency_error()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        await client.PostAsync("v1/customers", "email=a%40example.com", idempotencyKey: "key-2");

        var (response, body) = await client.PostAsync("v1/customers", "email=b%40example.com", idempotencyKey: "key-2");

        ((int)response.StatusCode).Should().Be(400);
        body["error"]!.Str("type").Should().Be("idempotency_error");
        body["error"]!.Str("message").Should().Contain("same parameters");
    }

    [Fact]
    public async Task Request_that_failed_validation_is_not_saved_under_its_idempotency_key()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var (failed, _) = await client.PostAsync("v1/payment_intents", "currency=usd", idempotencyKey: "key-3");

        var (retried, body) = await client.PostAsync("v1/payment_intents", "currency=usd&amount=1000", idempotencyKey: "key-3");

        ((int)failed.StatusCode).Should().Be(400);
        ((int)retried.StatusCode).Should().Be(200, body.ToJsonString());
        body.Str("status").Should().Be("requires_payment_method");
    }

    [Fact]
    public async Task Idempotency_key_longer_than_255_characters_is_refused()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, _) = await client.PostAsync("v1/customers", "", idempotencyKey: new string('k', 256));

        ((int)response.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task List_is_newest_first_and_pages_with_starting_after_and_ending_before()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.PostOkAsync("v1/customers", $"name=c{i}")).Id());
        }

        var page1 = await client.GetJsonAsync("v1/customers?limit=2");
        var page2 = await client.GetJsonAsync($"v1/customers?limit=2&starting_after={page1["data"]![1]!.Id()}");
        var back = await client.GetJsonAsync($"v1/customers?limit=2&ending_before={page2["data"]![0]!.Id()}");

        page1.Str("object").Should().Be("list");
        page1.Str("url").Should().Be("/v1/customers");
        page1["data"]!.AsArray().Select(c => c!.Id()).Should().Equal(ids[4], ids[3]);
        page1["has_more"]!.GetValue<bool>().Should().BeTrue();
        page2["data"]!.AsArray().Select(c => c!.Id()).Should().Equal(ids[2], ids[1]);
        back["data"]!.AsArray().Select(c => c!.Id()).Should().Equal(ids[4], ids[3]);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("starting_after=cus_a&ending_before=cus_b")]
    public async Task Invalid_list_parameters_return_400(string query)
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, _) = await client.GetAsync($"v1/customers?{query}", raw: true);

        ((int)response.StatusCode).Should().Be(400);
    }

    [Fact]
    public async Task Expand_replaces_ids_with_objects_through_dot_paths_and_lists()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "email=x%40example.com");
        var intent = await client.PostOkAsync("v1/payment_intents",
            $"amount=2000&currency=usd&customer={customer.Id()}&payment_method=pm_card_visa&confirm=true");

        var expanded = await client.GetJsonAsync($"v1/payment_intents/{intent.Id()}?expand[]=latest_charge.customer&expand[]=payment_method");
        var list = await client.GetJsonAsync("v1/charges?expand[]=data.payment_intent.customer");

        expanded["latest_charge"]!["customer"]!.Str("email").Should().Be("x@example.com");
        expanded["payment_method"]!.Str("object").Should().Be("payment_method");
        list["data"]![0]!["payment_intent"]!["customer"]!.Str("object").Should().Be("customer");
    }

    [Fact]
    public async Task Expand_beyond_four_levels_or_of_a_scalar_returns_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var customer = await client.PostOkAsync("v1/customers", "");

        var (deep, _) = await client.GetAsync($"v1/customers/{customer.Id()}?expand[]=a.b.c.d.e", raw: true);
        var (scalar, body) = await client.GetAsync($"v1/customers/{customer.Id()}?expand[]=email", raw: true);

        ((int)deep.StatusCode).Should().Be(400);
        ((int)scalar.StatusCode).Should().Be(400);
        body["error"]!.Str("message").Should().Be("This property cannot be expanded (email).");
    }

    [Fact]
    public async Task Trace_names_operations_like_stripes_resources()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        await using var _ = session;

        var intent = await client.PostOkAsync("v1/payment_intents", "amount=500&currency=usd");
        await client.PostOkAsync($"v1/payment_intents/{intent.Id()}/confirm", "payment_method=pm_card_visa");
        await client.GetJsonAsync("v1/customers");
        await client.DeleteAsync("v1/subscriptions/sub_missing", raw: true);

        session.Trace.Entries.Select(e => e.Operation).Should().Equal(
            "payment_intents/create", "payment_intents/confirm", "customers/list", "subscriptions/cancel");
    }
}
