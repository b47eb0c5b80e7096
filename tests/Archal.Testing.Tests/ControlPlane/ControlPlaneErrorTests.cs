using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Tests.ControlPlane;

/// <summary>No input gets a 500 or an empty body from the control plane.</summary>
public class ControlPlaneErrorTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private async Task<(int Status, JsonObject Body)> PostAsync(byte[] body, string? idempotencyKey = null)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private static void ShouldBeError(int status, JsonObject body, int expectedStatus, string code)
    {
        status.Should().Be(expectedStatus, body.ToJsonString());
        body.Str("code").Should().Be(code);
        foreach (var name in new[] { "error", "code", "message", "detail" })
        {
            body.Str(name).Should().NotBeNullOrWhiteSpace($"every control-plane error carries '{name}'");
        }
    }

    [Theory]
    [InlineData("""{"clones":["\ud800"]}""", "clones[0]")]
    [InlineData("""{"clones":["github","\udfff"]}""", "clones[1]")]
    [InlineData("""{"clones":["github"],"scenarioId":"a\ud83dz"}""", "scenarioId")]
    [InlineData("""{"clones":["github"],"seeds":{"github":{"data":{"issues":[{"repo":"acme/webapp","title":"\ud800"}]}}}}""", "seeds.github.data.issues[0].title")]
    [InlineData("""{"clones":["github"],"seeds":{"\ud800":"empty"}}""", "seeds")]
    [InlineData("""{"\udc00":1,"clones":["github"]}""", "body")]
    [InlineData("""{"clones":["github"],"routing":{"a":{"\ud800b":true}}}""", "routing.a")]
    public async Task Lone_surrogate_in_any_string_or_key_returns_400_naming_the_field(string json, string field)
    {
        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes(json));

        ShouldBeError(status, body, 400, "invalid_text");
        body.Str("field").Should().Be(field);
        body.Str("message").Should().Contain($"'{field}'").And.Contain("surrogate");
    }

    [Theory]
    [InlineData("{\"clones\":[\"git", "hub\"]}", "clones[0]")]
    [InlineData("{\"clones\":[\"github\"],\"seeds\":{\"git", "hub\":\"empty\"}}", "seeds")]
    [InlineData("{\"clones\":[\"github\"],\"scenarioId\":\"", "\"}", "scenarioId")]
    public async Task Raw_invalid_utf8_returns_400_naming_the_field(string before, string after, string field)
    {
        byte[] body = [.. Encoding.UTF8.GetBytes(before), 0xFF, .. Encoding.UTF8.GetBytes(after)];

        var (status, error) = await PostAsync(body);

        ShouldBeError(status, error, 400, "invalid_text");
        error.Str("field").Should().Be(field);
        error.Str("message").Should().Contain("UTF-8").And.Contain("0xFF");
    }

    [Fact]
    public async Task Valid_escapes_and_surrogate_pairs_are_accepted()
    {
        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes("""{"clones":["git\u0068ub"],"scenarioId":"ok \ud83d\ude00 é"}"""));

        status.Should().Be(201, body.ToJsonString());
        body.Str("scenarioId").Should().Be("ok 😀 é");
    }

    [Fact]
    public async Task Parallel_creates_with_one_idempotency_key_and_bad_seed_data_all_get_the_same_400()
    {
        var key = "race-" + Guid.NewGuid();
        var json = Encoding.UTF8.GetBytes("""{"clones":["github"],"seeds":{"github":{"data":{"issues":[{"repo":"nobody/nothing","title":"x"}]}}}}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => PostAsync(json, key))));

        answers.Should().OnlyContain(a => a.Status == 400, "the first caller's seed error is every caller's answer");
        answers.Select(a => a.Body.ToJsonString()).Distinct().Should().ContainSingle();
        answers[0].Body.Str("code").Should().Be("seed_error");
    }

    [Fact]
    public async Task Parallel_creates_with_one_idempotency_key_get_one_session()
    {
        var key = "race-" + Guid.NewGuid();
        var json = Encoding.UTF8.GetBytes("""{"clones":["github"]}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => PostAsync(json, key))));

        answers.Should().OnlyContain(a => a.Status == 201);
        answers.Select(a => a.Body.Str("sessionId")).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_json_500()
    {
        var options = new ArchalHostOptions
        {
            MapAdditionalEndpoints = routes => routes.MapGet("/test/boom", (HttpContext _) => throw new InvalidOperationException("kaboom")),
        };
        await using var host = new ArchalHost(options);
        await host.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/test/boom");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        ShouldBeError((int)response.StatusCode, body, 500, "internal_error");
        body.Str("message").Should().Contain("kaboom");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
    }

    [Fact]
    public async Task A_body_over_kestrels_limit_is_a_json_413()
    {
        var options = new ArchalHostOptions
        {
            UseKestrel = true,
            MapAdditionalEndpoints = routes => routes.MapPost("/test/read", async (HttpContext http) =>
            {
                await http.Request.Body.CopyToAsync(Stream.Null);
                return Results.NoContent();
            }),
        };
        await using var host = new ArchalHost(options);
        await host.StartAsync();

        // Kestrel refuses a body over MaxRequestBodySize (30 MB) when the app starts reading it.
        var (status, body) = await RawPostAsync(host, "/test/read", 100L * 1024 * 1024);

        status.Should().Be(413);
        var json = JsonNode.Parse(body)!.AsObject();
        ShouldBeError(status, json, 413, "payload_too_large");
    }

    [Fact]
    public async Task A_create_session_body_over_16_mib_is_a_json_413_over_kestrel()
    {
        await using var host = new ArchalHost(new ArchalHostOptions { UseKestrel = true });
        await host.StartAsync();

        var (status, body) = await RawPostAsync(host, "/api/sessions", 100L * 1024 * 1024);

        ShouldBeError(status, JsonNode.Parse(body)!.AsObject(), 413, "payload_too_large");
    }

    [Theory]
    [InlineData(9 * 1024, 0, 414)]
    [InlineData(0, 64 * 1024, 431)]
    public async Task Requests_kestrel_rejects_before_the_app_get_its_status_as_documented(int pathLength, int headerLength, int expected)
    {
        await using var host = new ArchalHost(new ArchalHostOptions { UseKestrel = true });
        await host.StartAsync();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions/" + new string('a', pathLength));
        if (headerLength > 0)
        {
            request.Headers.TryAddWithoutValidation("x-padding", new string('b', headerLength));
        }

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(expected, "docs/control-plane-errors.md lists what Kestrel answers itself");
    }

    /// <summary>Sends only the headers and a first byte of a large body: the answer must come without the upload.</summary>
    private static async Task<(int Status, string Body)> RawPostAsync(ArchalHost host, string path, long contentLength)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nAuthorization: Bearer {host.Token}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n{{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end > 0)
            {
                var headers = text[..end].Split("\r\n");
                var status = int.Parse(headers[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                var rest = text[(end + 4)..];
                var lengthLine = headers.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                if (lengthLine is not null)
                {
                    var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    if (rest.Length >= length)
                    {
                        return (status, rest[..length]);
                    }
                }
                else if (rest.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
                {
                    // Chunked: size line, data, CRLF, until the zero-size chunk.
                    var body = new StringBuilder();
                    var at = 0;
                    while (true)
                    {
                        var lineEnd = rest.IndexOf("\r\n", at, StringComparison.Ordinal);
                        var size = Convert.ToInt32(rest[at..lineEnd], 16);
                        if (size == 0)
                        {
                            return (status, body.ToString());
                        }

                        body.Append(rest, lineEnd + 2, size);
                        at = lineEnd + 2 + size + 2;
                    }
                }
            }

            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new InvalidOperationException($"The server closed the connection after: {text}");
            }

            received.Write(buffer, 0, read);
        }
    }
}
