using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Tests.Stripe;

/// <summary>Form-encoded calls against the Stripe clone, the way stripe-node sends them.</summary>
internal static class StripeTestClient
{
    public static async Task<(HttpResponseMessage Response, JsonObject Body)> PostAsync(this HttpClient client, string path,
        string form = "", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        return (response, await ReadAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonObject Body)> GetAsync(this HttpClient client, string path, bool raw)
    {
        _ = raw;
        var response = await client.GetAsync(path);
        return (response, await ReadAsync(response));
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path)
    {
        var (response, body) = await client.GetAsync(path, raw: true);
        ((int)response.StatusCode).Should().Be(200, body.ToJsonString());
        return body;
    }

    public static async Task<JsonObject> PostOkAsync(this HttpClient client, string path, string form = "")
    {
        var (response, body) = await client.PostAsync(path, form);
        ((int)response.StatusCode).Should().Be(200, body.ToJsonString());
        return body;
    }

    public static async Task<(HttpResponseMessage Response, JsonObject Body)> DeleteAsync(this HttpClient client, string path, bool raw)
    {
        _ = raw;
        var response = await client.DeleteAsync(path);
        return (response, await ReadAsync(response));
    }

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();

    public static string Str(this JsonNode node, string field) => node[field]!.GetValue<string>();

    public static long Long(this JsonNode node, string field) => node[field]!.GetValue<long>();

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public static HttpClient WithoutAuthorization(this HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    public static HttpClient WithAuthorization(this HttpClient client, string scheme, string value)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, value);
        return client;
    }
}
