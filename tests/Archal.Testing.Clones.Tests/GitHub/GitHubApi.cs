using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Tests.Schemas;

namespace Archal.Testing.Clones.Tests.GitHub;

/// <summary>A response from the GitHub clone: status, headers and parsed JSON (null for empty bodies).</summary>
public sealed record GitHubResponse(HttpStatusCode Status, HttpResponseHeaders Headers, string Text)
{
    public JsonNode? Json => Text.Length == 0 ? null : JsonNode.Parse(Text);

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public override string ToString() => $"{(int)Status} {Text}";
}

/// <summary>Drives the clone over HTTP and, when given the spec's path template, validates bodies against the official schema.</summary>
public sealed class GitHubApi(HttpClient client)
{
    public static readonly OpenApiResponseValidator Validator = OpenApiResponseValidator.FromTestData("github", "api.github.com.pruned.json");

    /// <summary>Operations ("METHOD template") whose responses were validated.</summary>
    public HashSet<string> Validated { get; } = [];

    public HttpClient Client => client;

    public Task<GitHubResponse> Get(string path, string? template = null, int expect = 200) => Send(HttpMethod.Get, path, null, template, expect);

    public Task<GitHubResponse> Post(string path, object? body, string? template = null, int expect = 201) => Send(HttpMethod.Post, path, body, template, expect);

    public Task<GitHubResponse> Patch(string path, object? body, string? template = null, int expect = 200) => Send(HttpMethod.Patch, path, body, template, expect);

    public Task<GitHubResponse> Put(string path, object? body, string? template = null, int expect = 200) => Send(HttpMethod.Put, path, body, template, expect);

    public Task<GitHubResponse> Delete(string path, object? body = null, string? template = null, int expect = 204) => Send(HttpMethod.Delete, path, body, template, expect);

    public async Task<GitHubResponse> Send(HttpMethod method, string path, object? body, string? template, int expect)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? System.Text.Json.JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var result = new GitHubResponse(response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync());
        ((int)result.Status).Should().Be(expect, $"{method} {path} answered {result}");
        if (template is not null)
        {
            var status = ((int)result.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (Validator.HasSchema(method.Method, template, status))
            {
                Validator.Validate(method.Method, template, status, result.Text).Should().BeEmpty($"{method} {path} must match the schema of {template} {status}: {result.Text}");
            }
            else if ((int)result.Status < 300)
            {
                result.Text.Should().BeEmpty($"{method} {template} {status} has no body in the spec");
            }

            Validated.Add($"{method.Method} {template}");
        }

        return result;
    }
}
