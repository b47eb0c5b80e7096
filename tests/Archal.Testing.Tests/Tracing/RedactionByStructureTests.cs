using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Archal.Testing.Tracing;

namespace Archal.Testing.Tests.Tracing;

/// <summary>Secrets are found by structure (names of JSON keys, form fields and query parameters), not by a regex over raw text.</summary>
public class RedactionByStructureTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Theory]
    [InlineData("""{"password":"abc\"SECRET"}""", """{"password":"[REDACTED]"}""")]
    [InlineData("""{"pass\u0077ord":"SECRET","a":1}""", """{"pass\u0077ord":"[REDACTED]","a":1}""")]
    [InlineData("""{ "user": { "api_key": {"nested": "SECRET"} }, "ok": true }""", """{ "user": { "api_key": "[REDACTED]" }, "ok": true }""")]
    [InlineData("""{"client_secret":12345,"id":"pi_1"}""", """{"client_secret":"[REDACTED]","id":"pi_1"}""")]
    [InlineData("""{"text":"{\"token\":\"SECRET\"}"}""", """{"text":"{\"token\":\"[REDACTED]\"}"}""")]
    [InlineData("""{"name":"kept","count":2}""", """{"name":"kept","count":2}""")]
    public void Json_values_under_secret_names_are_replaced_and_the_rest_is_kept_as_written(string input, string expected) =>
        Redaction.Text(input).Should().Be(expected);

    [Theory]
    [InlineData("{\"a\":1,\"password\":\"SECR", "{\"a\":1,\"password\":\"[REDACTED]\"")]
    [InlineData("{\"a\":1,\"api_key\":{\"x\":\"SECR", "{\"a\":1,\"api_key\":\"[REDACTED]\"")]
    [InlineData("{\"a\":1,\"note\":\"ghp_AaBbCcDdEeFfGgHhIiJjKkLl", "{\"a\":1,\"note\":\"[REDACTED]")]
    public void Json_cut_at_the_trace_limit_is_still_redacted_by_structure(string input, string expected) =>
        Redaction.Text(input).Should().Be(expected);

    [Theory]
    [InlineData("amount=100&metadata[password]=SECRET&metadata[api_token]=SECRET2", "amount=100&metadata[password]=[REDACTED]&metadata[api_token]=[REDACTED]")]
    [InlineData("metadata%5Bpassword%5D=SECRET", "metadata%5Bpassword%5D=[REDACTED]")]
    [InlineData("?key=S1&secret=S2&apikey=S3&sig=S4&auth=S5&access%5Ftoken=S6&page=2", "?key=[REDACTED]&secret=[REDACTED]&apikey=[REDACTED]&sig=[REDACTED]&auth=[REDACTED]&access%5Ftoken=[REDACTED]&page=2")]
    [InlineData("?idempotency_key=k1&per_page=3", "?idempotency_key=k1&per_page=3")]
    public void Form_and_query_parameters_are_redacted_by_decoded_name(string input, string expected) =>
        Redaction.Text(input).Should().Be(expected);

    [Fact]
    public async Task No_planted_secret_reaches_any_export()
    {
        await using var session = await fixture.Host.StartSessionAsync(new SessionRequest("echo", "stripe"));
        using var echo = session.CreateClient("echo");
        using var stripe = session.CreateClient("stripe");
        var planted = new List<string>();
        string Plant(string name)
        {
            var secret = $"PLANTED{name}{planted.Count}X";
            planted.Add(secret);
            return secret;
        }

        // JSON: text after an escaped quote, and a key spelled with a unicode escape.
        await SendAsync(echo, HttpMethod.Post, "notes/escaped", $$"""{"password":"abc\"{{Plant("Escaped")}}"}""", "application/json");
        await SendAsync(echo, HttpMethod.Post, "notes/unicode", $$"""{"pass\u0077ord":"{{Plant("Unicode")}}"}""", "application/json");
        // Query names, percent-encoded too.
        var query = string.Join('&', new[] { "key", "secret", "apikey", "sig", "auth", "access%5Ftoken" }.Select(n => $"{n}={Plant("Query")}"));
        await SendAsync(echo, HttpMethod.Get, "echo?" + query, null, null);
        // Stripe form: metadata[password] and metadata[api_token] (echoed back in the customer and stored in state).
        await SendAsync(stripe, HttpMethod.Post, "v1/customers",
            $"email=a%40example.com&metadata[password]={Plant("Form")}&metadata[api_token]={Plant("Form")}", "application/x-www-form-urlencoded");
        // A PaymentIntent's generated client_secret: in the response and in the state mutation.
        var intent = JsonNode.Parse(await SendAsync(stripe, HttpMethod.Post, "v1/payment_intents", "amount=2000&currency=usd", "application/x-www-form-urlencoded"))!;
        var clientSecret = intent["client_secret"]!.GetValue<string>();
        clientSecret.Should().Contain("_secret_");
        planted.Add(clientSecret);
        planted.Add(clientSecret[(clientSecret.IndexOf("_secret_", StringComparison.Ordinal) + "_secret_".Length)..]);
        using var control = fixture.Host.CreateClient();

        var exports = new Dictionary<string, string>
        {
            ["run record"] = session.ToRunRecord().ToJsonString(),
            ["HAR"] = session.ToHar().ToJsonString(),
            ["trace text"] = session.TraceSummary(),
            ["entries"] = string.Join('\n', session.Trace.Entries.Select(e => $"{e.Url} {e.RequestBody} {e.ResponseBody} {string.Join(' ', e.Mutations.SelectMany(m => m.Changes).Select(c => $"{c.Before?.ToJsonString()} {c.After?.ToJsonString()}"))}")),
            ["GET /api/runs"] = await control.GetStringAsync($"/api/runs/{session.RunId}"),
            ["GET /api/traces/{id}"] = await control.GetStringAsync($"/api/traces/{session.Trace.RootTraceId}"),
            ["GET /api/traces/{id}/har"] = await control.GetStringAsync($"/api/traces/{session.Trace.RootTraceId}/har"),
        };

        foreach (var (name, export) in exports)
        {
            foreach (var secret in planted)
            {
                export.Should().NotContain(secret, $"the {name} export must not keep a planted secret");
            }
        }

        exports["run record"].Should().Contain("[REDACTED]");
        session.Trace.Entries.Should().HaveCount(5, "every call is still recorded");
    }

    private static async Task<string> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return text;
    }
}
