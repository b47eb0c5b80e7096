using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>Hostile bodies and query strings get Stripe's 400 <c>invalid_request_error</c>: never a 500, a hang or a crash.</summary>
[Collection(CloneHostCollection.Name)]
public class StripeHostileBodyTests(CloneHostFixture fixture)
{
    private static async Task<(int Status, JsonObject Body)> PostBytesAsync(HttpClient client, string path, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var response = await client.PostAsync(path, content);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static void ShouldBeInvalidRequest(int status, JsonObject body, string messageContains)
    {
        status.Should().Be(400, body.ToJsonString());
        body["error"]!.Str("type").Should().Be("invalid_request_error");
        body["error"]!.Str("message").Should().StartWith("Invalid request body: ").And.Contain(messageContains);
    }

    private static async Task ShouldKeepServingAsync(HttpClient client)
    {
        var created = await client.PostOkAsync("v1/customers", "email=after%40example.com");
        (await client.GetJsonAsync($"v1/customers/{created.Id()}")).Str("email").Should().Be("after@example.com");
    }

    [Fact]
    public async Task A_150_kb_nested_form_key_is_a_400_answered_quickly_and_the_session_keeps_serving()
    {
        var (session, client) = await fixture.StartAsync("stripe");
        var form = "zzz" + string.Concat(Enumerable.Repeat("[a]", 50_000)) + "=1";
        var clock = Stopwatch.StartNew();

        var (response, body) = await client.PostAsync("v1/customers", form);

        ShouldBeInvalidRequest((int)response.StatusCode, body, "is 150003 characters long; the limit is 4096");
        body["error"]!.Str("message").Length.Should().BeLessThan(300, "the key is quoted shortened");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        session.Trace.Entries[^1].Status.Should().Be(400);
        await ShouldKeepServingAsync(client);
    }

    [Fact]
    public async Task A_thousand_deep_metadata_key_is_a_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var form = "email=a%40b.c&metadata" + string.Concat(Enumerable.Repeat("[a]", 1000)) + "=1";

        var (response, body) = await client.PostAsync("v1/customers", form);

        ShouldBeInvalidRequest((int)response.StatusCode, body, "nests deeper than 32 levels");
        await ShouldKeepServingAsync(client);
    }

    [Fact]
    public async Task Metadata_nested_right_up_to_the_depth_limit_is_a_4xx_not_a_500()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var form = "metadata" + string.Concat(Enumerable.Repeat("[a]", 31)) + "=1";

        var (response, body) = await client.PostAsync("v1/customers", form);

        ((int)response.StatusCode).Should().Be(400, body.ToJsonString());
        body["error"]!.Str("type").Should().Be("invalid_request_error");
        await ShouldKeepServingAsync(client);
    }

    [Fact]
    public async Task A_deeply_nested_key_in_the_query_string_is_a_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.GetAsync("v1/customers?expand" + string.Concat(Enumerable.Repeat("[a]", 1000)) + "=x", raw: true);

        ShouldBeInvalidRequest((int)response.StatusCode, body, "nests deeper than 32 levels");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'=', 0xFF, 0xFE })]
    [InlineData(new byte[] { (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'=', (byte)'%', (byte)'C', (byte)'3', (byte)'%', (byte)'2', (byte)'8' })]
    [InlineData(new byte[] { 0xC3, (byte)'=', (byte)'1' })]
    public async Task Invalid_utf8_in_a_form_body_is_a_400(byte[] bytes)
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (status, body) = await PostBytesAsync(client, "v1/customers", bytes);

        ShouldBeInvalidRequest(status, body, "does not decode to valid UTF-8");
        await ShouldKeepServingAsync(client);
    }

    [Fact]
    public async Task More_parameters_than_the_limit_is_a_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");
        var form = string.Join('&', Enumerable.Range(0, 4097).Select(i => $"metadata[k{i}]=v"));

        var (response, body) = await client.PostAsync("v1/customers", form);

        ShouldBeInvalidRequest((int)response.StatusCode, body, "more than 4096 parameters");
    }

    [Fact]
    public async Task A_form_key_given_as_a_value_and_a_hash_is_a_400()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (response, body) = await client.PostAsync("v1/customers", "metadata=x&metadata[k]=v");

        ShouldBeInvalidRequest((int)response.StatusCode, body, "'metadata[k]' is given both as a value and as a hash.");
    }

    [Fact]
    public async Task A_refused_body_with_an_idempotency_key_does_not_use_up_the_key()
    {
        var (_, client) = await fixture.StartAsync("stripe");

        var (bad, _) = await client.PostAsync("v1/customers", "a=%zz", idempotencyKey: "key-hostile-1");
        var (good, body) = await client.PostAsync("v1/customers", "email=ok%40example.com", idempotencyKey: "key-hostile-1");

        ((int)bad.StatusCode).Should().Be(400);
        ((int)good.StatusCode).Should().Be(200, body.ToJsonString());
        body.Str("email").Should().Be("ok@example.com");
    }
}
