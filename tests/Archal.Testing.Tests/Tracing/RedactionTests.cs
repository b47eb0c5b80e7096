using System.Net.Http.Json;
using System.Text;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Archal.Testing.Tracing;

namespace Archal.Testing.Tests.Tracing;

public class RedactionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly string[] Secrets =
    [
        "ghp_AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTt",
        "xoxb-1234567890-abcdefghijkl",
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "s3cr3t-in-query",
        "s3cr3t-in-json",
    ];

    [Theory]
    [InlineData("Bearer sk_test_abcdefgh12345678", "Authorization", "Bearer [REDACTED]")]
    [InlineData("Bearer arc_abcdefgh12345678", "x-route-authorization", "Bearer [REDACTED]")]
    [InlineData("session=abc", "Cookie", "[REDACTED]")]
    [InlineData("application/json", "Content-Type", "application/json")]
    public void Secret_headers_keep_their_scheme_only(string value, string name, string expected) =>
        Redaction.Header(name, value).Should().Be(expected);

    [Theory]
    [InlineData("?token=xoxb-abc&channel=C1", "?token=[REDACTED]&channel=C1")]
    [InlineData("{\"token\":\"abc\",\"text\":\"hi\"}", "{\"token\":\"[REDACTED]\",\"text\":\"hi\"}")]
    [InlineData("key sk_live_abcdefgh1234 here", "key [REDACTED] here")]
    [InlineData("amount=100&currency=usd", "amount=100&currency=usd")]
    public void Secrets_in_text_are_replaced(string input, string expected) =>
        Redaction.Text(input).Should().Be(expected);

    [Fact]
    public async Task No_secret_survives_into_any_export()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo", "github"));
        using var echo = session.CreateClient("echo", Secrets[0]);
        using var github = session.CreateClient("github", Secrets[2]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "notes/k?token=" + Secrets[3])
        {
            Content = new StringContent($$"""{"token":"{{Secrets[4]}}","note":"{{Secrets[1]}}"}""", Encoding.UTF8, "application/json"),
        };
        (await echo.SendAsync(request)).Dispose();
        (await echo.GetAsync("echo")).Dispose(); // echoes the Authorization header back in the response body
        (await github.GetAsync("user")).Dispose();
        using var control = fixture.Host.CreateClient();

        var exports = new[]
        {
            session.ToRunRecord().ToJsonString(),
            session.ToHar().ToJsonString(),
            session.TraceSummary(),
            await control.GetStringAsync($"/api/runs/{session.RunId}"),
            await control.GetStringAsync($"/api/traces/{session.Trace.RootTraceId}"),
            await control.GetStringAsync($"/api/traces/{session.Trace.RootTraceId}/har"),
        };

        foreach (var export in exports)
        {
            foreach (var secret in Secrets.Append(fixture.Host.Token))
            {
                export.Should().NotContain(secret);
            }

            export.Should().Contain("[REDACTED]");
        }
    }
}
