using System.Reflection;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;
using Archal.Testing.Mcp;
using Archal.Testing.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Archal.Testing.Hosting;

/// <summary>What <see cref="ArchalHost"/> needs of its WebApplicationFactory, whatever its entry-point type.</summary>
internal interface IArchalApplicationFactory : IAsyncDisposable
{
    IServiceProvider Services { get; }

    TestServer Server { get; }

    void StartServer();

    void UseKestrel(Action<KestrelServerOptions> configureKestrelOptions);
}

internal static class ArchalApplicationFactory
{
    /// <summary>
    /// Creates the factory. WebApplicationFactory insists that its entry-point type lives in an assembly
    /// with an entry point and a deps file beside the app; a library has neither, so the factory is
    /// closed over the running app's own entry point (the test assembly under <c>dotnet test</c>, the
    /// CLI under <c>archal-testing</c>). The host itself is built from scratch in <c>CreateHostBuilder</c>.
    /// </summary>
    public static IArchalApplicationFactory Create(ArchalRuntime runtime, ArchalHostOptions options)
    {
        var entryType = FindEntryPointType();
        // WebApplicationFactory would otherwise look for a solution folder to use as content root.
        var setting = "ASPNETCORE_TEST_CONTENTROOT_" + entryType.Assembly.GetName().Name!.ToUpperInvariant().Replace('.', '_');
        if (Environment.GetEnvironmentVariable(setting) is null)
        {
            Environment.SetEnvironmentVariable(setting, AppContext.BaseDirectory);
        }

        var factoryType = typeof(ArchalApplicationFactory<>).MakeGenericType(entryType);
        return (IArchalApplicationFactory)Activator.CreateInstance(factoryType, runtime, options)!;
    }

    private static Type FindEntryPointType()
    {
        static bool Qualifies(Assembly? assembly) =>
            assembly?.EntryPoint?.DeclaringType is not null && !assembly.IsDynamic
            && File.Exists(Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".deps.json"));

        var entry = Assembly.GetEntryAssembly();
        var candidate = Qualifies(entry)
            ? entry
            : AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(Qualifies);
        return candidate?.EntryPoint!.DeclaringType
            ?? throw new InvalidOperationException(
                $"ArchalHost needs an application assembly with an entry point and a .deps.json in {AppContext.BaseDirectory} " +
                "(a test project with Microsoft.NET.Test.Sdk, or a console app). None is loaded in this process.");
    }
}

/// <summary>
/// The WebApplicationFactory behind <see cref="ArchalHost"/>: a plain generic host with the control
/// plane and every clone in one pipeline.
/// </summary>
internal sealed class ArchalApplicationFactory<TEntryPoint>(ArchalRuntime runtime, ArchalHostOptions options)
    : WebApplicationFactory<TEntryPoint>, IArchalApplicationFactory
    where TEntryPoint : class
{
    protected override IHostBuilder CreateHostBuilder() => new HostBuilder();

    // Only the app's own assemblies matter; the default scans the deps file for test assemblies.
    protected override IEnumerable<Assembly> GetTestAssemblies() => [typeof(TEntryPoint).Assembly];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services =>
        {
            services.AddRouting();
            services.AddSingleton(runtime);
            services.AddSingleton<TraceRecorder>();
            CloneMcpEndpoints.AddServices(services);
            // The generic host's ConsoleLifetime would swallow Ctrl+C/SIGTERM for the whole test process.
            services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        });
        builder.Configure(Configure);
    }

    private void Configure(IApplicationBuilder app)
    {
        // Outermost: anything that fails below and has not answered yet gets a JSON error body, never an empty 500.
        app.UseMiddleware<ServerErrorMiddleware>();
        app.Use(RuntimeProxyMiddleware.RewriteSubdomains);
        // MCP tool calls re-enter the pipeline here, as internal runtime calls.
        app.Use(app.ApplicationServices.GetRequiredService<CloneToolDispatcher>().Capture);
        app.UseRouting();
        // After routing: the route hop reads the clone operation from the matched endpoint.
        app.UseMiddleware<RuntimeProxyMiddleware>();
        app.UseEndpoints(endpoints =>
        {
            ControlPlaneEndpoints.Map(endpoints);
            CloneMcpEndpoints.Map(endpoints);
            foreach (var clone in runtime.Clones)
            {
                MapClone(endpoints, clone);
            }

            options.MapAdditionalEndpoints?.Invoke(endpoints);
            endpoints.Map("{**path}", (HttpContext http) =>
                ControlPlaneError.NotFound("not_found", $"No route for {http.Request.Method} {http.Request.Path}.", $"path: {http.Request.Path}"))
                .WithOrder(int.MaxValue);
        });
    }

    private static void MapClone(IEndpointRouteBuilder endpoints, CloneDefinition clone)
    {
        var api = endpoints.MapGroup($"/runtime/{{sessionId}}/{clone.Id}/api");
        clone.MapEndpoints(api);
        api.Map("{**path}", clone.HandleUnmatchedAsync).WithOrder(int.MaxValue);
    }

    private sealed class NoopHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
