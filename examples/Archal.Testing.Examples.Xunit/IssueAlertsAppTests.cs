using System.Net.Http.Json;
using Archal.Testing.Clones.Slack;
using Archal.Testing.FluentAssertions;
using Archal.Testing.Hosting;
using Archal.Testing.Xunit;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Archal.Testing.Examples.Xunit;

/// <summary>
/// GitHub calls the example app back: a repository webhook on the GitHub clone delivers <c>issues</c> events to the
/// app's <c>POST /webhooks/github</c>, which checks the signature and announces new issues in Slack. End to end
/// in-process (the app's WebApplicationFactory client is the webhook target, no socket) and over Kestrel (a real
/// loopback URL).
/// </summary>
public class IssueAlertsAppTests(ArchalFixture archal, WebApplicationFactory<Program> app)
    : IClassFixture<ArchalFixture>, IClassFixture<WebApplicationFactory<Program>>
{
    private const string Secret = "webhook-secret-for-tests";

    private WebApplicationFactory<Program> RoutedTo(ArchalSession session) => app.WithWebHostBuilder(web => web
        .UseSetting("GitHub:WebhookSecret", Secret)
        .UseSetting("Slack:BotToken", session.ServiceTokens["slack"])
        .UseSetting("Support:Channel", "#general")
        .ConfigureTestServices(services => services.AddArchalRouting(session)));

    private static async Task OpenIssueThroughGitHubAsync(ArchalSession session, string webhookUrl)
    {
        using var github = session.CreateClient("github");
        using var hook = await github.PostAsJsonAsync("repos/acme/webapp/hooks",
            new { config = new { url = webhookUrl, content_type = "json", secret = Secret }, events = new[] { "issues" } });
        hook.EnsureSuccessStatusCode();
        using var issue = await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Checkout is down" });
        issue.EnsureSuccessStatusCode();
        await session.Events.WhenDeliveredAsync();
    }

    private static void AssertAnnounced(ArchalSession session, string webhookUrl)
    {
        session.Events.Should().HaveDelivered("github", "ping").To(webhookUrl).Once();
        session.Events.Should().HaveDelivered("github", "issues.opened").To(webhookUrl)
            .WithPayload(p => p?["issue"]?["title"]?.GetValue<string>() == "Checkout is down", "the new issue").Once();
        session.Events.Should().HaveNoFailedDeliveries();
        session.GetState<SlackState>("slack").Messages.Items.Should()
            .ContainSingle(m => m.Text.StartsWith("New issue #", StringComparison.Ordinal) && m.Text.Contains("Checkout is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_github_issue_reaches_the_app_in_process_and_is_announced_in_slack()
    {
        await using var session = await archal.StartSessionAsync(new SessionRequest("github", "slack").WithSeed("github", "small-project"));
        await using var routed = RoutedTo(session);
        using var appClient = routed.CreateClient();
        session.Events.Route(new Uri("https://support-desk.example/"), appClient);

        await OpenIssueThroughGitHubAsync(session, "https://support-desk.example/webhooks/github");

        AssertAnnounced(session, "https://support-desk.example/webhooks/github");
    }

    [Fact]
    public async Task A_new_github_issue_reaches_the_app_over_kestrel()
    {
        await using var session = await archal.StartSessionAsync(new SessionRequest("github", "slack").WithSeed("github", "small-project"));
        await using var routed = RoutedTo(session);
        routed.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        routed.StartServer();
        var address = routed.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
        var webhookUrl = new Uri(new Uri(address), "/webhooks/github").AbsoluteUri;

        await OpenIssueThroughGitHubAsync(session, webhookUrl);

        webhookUrl.Should().StartWith("http://127.0.0.1:");
        AssertAnnounced(session, webhookUrl);
    }

    [Fact]
    public async Task A_delivery_with_the_wrong_secret_is_refused_by_the_app_and_recorded_as_failed()
    {
        await using var session = await archal.StartSessionAsync(new SessionRequest("github", "slack").WithSeed("github", "small-project"));
        await using var routed = RoutedTo(session);
        using var appClient = routed.CreateClient();
        session.Events.Route(new Uri("https://support-desk.example/"), appClient);
        using var github = session.CreateClient("github");

        (await github.PostAsJsonAsync("repos/acme/webapp/hooks",
            new { config = new { url = "https://support-desk.example/webhooks/github", secret = "not-the-apps-secret" }, events = new[] { "issues" } })).Dispose();
        (await github.PostAsJsonAsync("repos/acme/webapp/issues", new { title = "Checkout is down" })).Dispose();
        await session.Events.WhenDeliveredAsync();

        session.Events.Deliveries.Should().HaveCount(2).And.OnlyContain(d => d.LastStatus == 401);
        session.GetState<SlackState>("slack").Messages.Items.Should().NotContain(m => m.Text.StartsWith("New issue", StringComparison.Ordinal));
    }
}
