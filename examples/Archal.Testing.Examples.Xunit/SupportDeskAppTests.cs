using System.Net;
using System.Net.Http.Json;
using Archal.Testing.Clones.Slack;
using Archal.Testing.Clones.Stripe;
using Archal.Testing.Hosting;
using Archal.Testing.Runtime;
using Archal.Testing.Xunit;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Archal.Testing.Examples.Xunit;

/// <summary>
/// The example ASP.NET app (examples/Archal.Testing.Examples.WebApp) under WebApplicationFactory: its own typed
/// HttpClients keep their production URLs and reach the clones through AddArchalRouting.
/// </summary>
public class SupportDeskAppTests(ArchalFixture archal, WebApplicationFactory<Program> app)
    : IClassFixture<ArchalFixture>, IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly SessionRequest Workspace = new SessionRequest("github", "slack", "stripe")
        .WithSeed("github", "small-project").WithSeed("stripe", "small-business");

    private WebApplicationFactory<Program> RoutedTo(ArchalSession session) => app.WithWebHostBuilder(web => web
        .UseSetting("GitHub:Token", Token("github"))
        .UseSetting("Slack:BotToken", Token("slack"))
        .UseSetting("Stripe:SecretKey", Token("stripe"))
        .ConfigureTestServices(services => services.AddArchalRouting(session)));

    private string Token(string cloneId) => archal.Host.Options.Clones.Single(c => c.Id == cloneId).DefaultServiceToken;

    private static StripeCharge RefundableCharge(ArchalSession session) =>
        session.GetState<StripeState>("stripe").Charges.Items.First(c => c.Status == "succeeded" && c.AmountRefunded == 0);

    [Fact]
    public async Task Refund_endpoint_refunds_in_stripe_files_a_github_issue_and_posts_to_slack()
    {
        await using var session = await archal.StartSessionAsync(Workspace);
        var charge = RefundableCharge(session);
        await using var routed = RoutedTo(session);
        using var client = routed.CreateClient();

        using var response = await client.PostAsJsonAsync("/refunds", new { chargeId = charge.Id, reason = "duplicate" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        session.Trace.Entries.Select(e => e.CloneId).Should().Equal("stripe", "github", "slack");
        session.Trace.Entries.Should().OnlyContain(e => e.RequestHeaders.Keys.Contains("x-correlation-id", StringComparer.OrdinalIgnoreCase),
            "the app's own DelegatingHandler stays in the chain");
        session.GetState<StripeState>("stripe").Charges.Find(charge.Id)!.AmountRefunded.Should().Be(charge.Amount);
        session.Changes.Of("github", "issue").Should().ContainSingle();
        session.GetState<SlackState>("slack").Messages.Items.Should().ContainSingle(m => m.Text.StartsWith($"Refunded {charge.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parallel_apps_routed_to_different_sessions_never_see_each_others_refunds()
    {
        await using var first = await archal.StartSessionAsync(Workspace);
        await using var second = await archal.StartSessionAsync(Workspace);

        await Task.WhenAll(new[] { first, second }.Select(async session =>
        {
            await using var routed = RoutedTo(session);
            using var client = routed.CreateClient();
            using var response = await client.PostAsJsonAsync("/refunds", new { chargeId = RefundableCharge(session).Id, reason = "duplicate" });
            response.EnsureSuccessStatusCode();
        }));

        first.Changes.Of("stripe", "refund").Should().ContainSingle();
        second.Changes.Of("stripe", "refund").Should().ContainSingle();
        first.Trace.Entries.Should().HaveCount(3).And.OnlyContain(e => e.SessionId == first.Id);
        second.Trace.Entries.Should().HaveCount(3).And.OnlyContain(e => e.SessionId == second.Id);
    }

    [Fact]
    public async Task A_host_no_clone_serves_is_refused_inside_the_app()
    {
        await using var session = await archal.StartSessionAsync(Workspace);
        await using var routed = RoutedTo(session);
        var factory = routed.Services.GetRequiredService<IHttpClientFactory>();

        var act = () => factory.CreateClient().GetAsync("https://hooks.slack.com/services/T000/B000/XXX");

        (await act.Should().ThrowAsync<ArchalRoutingException>())
            .Which.Message.Should().Contain("hooks.slack.com").And.Contain("ArchalRoutingOptions.PassThroughHosts");
    }
}
