using Archal.Testing.Hosting;
using Archal.Testing.Runtime;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

// In the DI namespace, as AddHttpClient is, so ConfigureTestServices finds it without another using.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Routes an app's <see cref="System.Net.Http.IHttpClientFactory"/> clients to an Archal session.</summary>
public static class ArchalRoutingServiceCollectionExtensions
{
    /// <summary>
    /// Makes every <c>IHttpClientFactory</c> client (named, typed and the default one) send through
    /// <see cref="ArchalSession.CreateRoutingHandler"/>: its primary handler is replaced, so calls to
    /// <c>https://api.github.com</c>, <c>https://slack.com/api</c> and <c>https://api.stripe.com</c> reach
    /// the session's clones in-process, and any other host is refused. Handlers the app adds itself
    /// (<c>AddHttpMessageHandler</c>, resilience, logging) stay in the chain, in front of the routing handler.
    /// Call it in <c>WebApplicationFactory.WithWebHostBuilder(b =&gt; b.ConfigureTestServices(s =&gt; …))</c>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="session">The session whose clones answer.</param>
    /// <param name="configure">Sets pass-through hosts (for example the app's own host).</param>
    /// <returns>The same services.</returns>
    public static IServiceCollection AddArchalRouting(this IServiceCollection services, ArchalSession session, Action<ArchalRoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(session);
        var options = new ArchalRoutingOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddHttpClient();
        services.RemoveAll<ArchalRoutingFilter>();
        services.AddSingleton(new ArchalRoutingFilter(session, options));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ArchalRoutingFilter>(sp => sp.GetRequiredService<ArchalRoutingFilter>()));
        return services;
    }

    /// <summary>
    /// Sets the primary handler after every other builder action, so a client's own
    /// <c>ConfigurePrimaryHttpMessageHandler</c> cannot send it past the clones.
    /// </summary>
    private sealed class ArchalRoutingFilter(ArchalSession session, ArchalRoutingOptions options) : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            builder.PrimaryHandler = session.CreateRoutingHandler(options);
        };
    }
}
