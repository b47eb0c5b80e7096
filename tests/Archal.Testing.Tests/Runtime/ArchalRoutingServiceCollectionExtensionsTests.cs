using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using Archal.Testing.Runtime;
using Archal.Testing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Archal.Testing.Tests.Runtime;

public class ArchalRoutingServiceCollectionExtensionsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Named_typed_and_default_clients_all_route_to_the_session()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        var services = new ServiceCollection();
        services.AddHttpClient("named", c => c.BaseAddress = new Uri("https://echo.example.com/v2/"));
        services.AddHttpClient<EchoApi>(c => c.BaseAddress = new Uri("https://echo.example.com/v2/"));
        services.AddArchalRouting(session);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        await factory.CreateClient("named").GetStringAsync("echo");
        await provider.GetRequiredService<EchoApi>().Http.GetStringAsync("echo");
        await factory.CreateClient().GetStringAsync("https://echo.example.com/v2/echo");

        session.Trace.Entries.Should().HaveCount(3).And.OnlyContain(e => e.Operation == "echo/get");
    }

    [Fact]
    public async Task Handlers_the_app_adds_stay_in_the_chain_and_its_own_primary_handler_is_replaced()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        var services = new ServiceCollection();
        services.AddHttpClient("app", c => c.BaseAddress = new Uri("https://echo.example.com/v2/"))
            .AddHttpMessageHandler(() => new StampHandler())
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());
        services.AddArchalRouting(session);
        await using var provider = services.BuildServiceProvider();

        var echoed = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("app").GetFromJsonAsync<JsonObject>("echo");

        echoed!["headers"]!["x-stamp"]!.GetValue<string>().Should().Be("added by the app");
    }

    [Fact]
    public async Task Factory_clients_refuse_hosts_off_the_pass_through_list()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        var services = new ServiceCollection();
        services.AddArchalRouting(session, o => o.PassThroughHosts.Add("allowed.example"));
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IHttpClientFactory>().CreateClient().GetAsync("https://api.example.net/");

        (await act.Should().ThrowAsync<ArchalRoutingException>()).Which.Message.Should().Contain("add \"api.example.net\" to ArchalRoutingOptions.PassThroughHosts");
    }

    [Fact]
    public async Task Refused_host_fails_on_the_first_attempt_behind_a_resilience_handler()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        var attempts = new CountingHandler();
        var services = new ServiceCollection();
        services.AddHttpClient("resilient", c => c.BaseAddress = new Uri("https://status.example.com/"))
            .AddStandardResilienceHandler().Services
            .AddHttpClient("resilient").AddHttpMessageHandler(() => attempts);
        services.AddArchalRouting(session);
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IHttpClientFactory>().CreateClient("resilient").GetAsync("api/v2/status.json");

        await act.Should().ThrowAsync<ArchalRoutingException>();
        attempts.Count.Should().Be(1, "a request that can never be routed is not retried");
    }

    [Fact]
    public async Task Pass_through_host_with_a_path_is_rejected_when_routing_is_added()
    {
        await using var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));

        var act = () => new ServiceCollection().AddArchalRouting(session, o => o.PassThroughHosts.Add("localhost/app"));

        act.Should().Throw<ArgumentException>().WithMessage("Pass-through hosts are 'host' or 'host:port'; 'localhost/app' is not.*");
    }

    public sealed class EchoApi(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class StampHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Stamp", "added by the app");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
