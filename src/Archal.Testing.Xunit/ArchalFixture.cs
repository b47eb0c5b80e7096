using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using Xunit;
#if !XUNIT_V3
using Xunit.Abstractions;
#endif

namespace Archal.Testing.Xunit;

/// <summary>
/// One Archal host per test class (<c>IClassFixture&lt;ArchalFixture&gt;</c>) or per collection
/// (<c>ICollectionFixture&lt;ArchalFixture&gt;</c>). Tests start cheap sessions on it.
/// </summary>
/// <remarks>
/// Override <see cref="Configure"/> to change options (clones, clock, Kestrel). If the host fails to
/// start, every test that uses it fails with <see cref="ArchalStartupException"/> carrying the cause.
/// </remarks>
public class ArchalFixture : IAsyncLifetime
{
    private ArchalHostLease? _lease;

    /// <summary>The host.</summary>
    /// <exception cref="ArchalStartupException">The host failed to start.</exception>
    public ArchalHost Host => (_lease ?? throw new InvalidOperationException("The fixture has not been initialized by xUnit.")).Host;

#if XUNIT_V3
    /// <summary>
    /// Starts a session on the host. When it is disposed, its trace summary goes to the output of the
    /// test that started it (<c>TestContext.Current.TestOutputHelper</c>), even when tests run in parallel.
    /// </summary>
    public async Task<ArchalSession> StartSessionAsync(SessionRequest request, CancellationToken cancellationToken = default)
    {
        var output = TestContext.Current.TestOutputHelper;
        var session = await Host.CreateSessionAsync(request, cancellationToken).ConfigureAwait(false);
        if (output is not null)
        {
            WriteSummaryOnDispose(session, output);
        }

        return session;
    }
#else
    /// <summary>Starts a session on the host.</summary>
    public Task<ArchalSession> StartSessionAsync(SessionRequest request, CancellationToken cancellationToken = default) =>
        Host.CreateSessionAsync(request, cancellationToken);
#endif

    /// <summary>
    /// Starts a session whose trace summary goes to <paramref name="output"/> (the calling test's own
    /// <see cref="ITestOutputHelper"/>) when the session is disposed: with a shared fixture, each test's
    /// trace lands in that test's output even when tests run in parallel.
    /// </summary>
    public async Task<ArchalSession> StartSessionAsync(SessionRequest request, ITestOutputHelper output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var session = await Host.CreateSessionAsync(request, cancellationToken).ConfigureAwait(false);
        WriteSummaryOnDispose(session, output);
        return session;
    }

    private static void WriteSummaryOnDispose(ArchalSession session, ITestOutputHelper output) =>
        session.OnDisposed(s =>
        {
            output.WriteLine(s.TraceSummary());
            return ValueTask.CompletedTask;
        });

    /// <summary>
    /// Runs a scenario on this host: only the runs of the <c>ARCHAL_SHARD</c> shard when that is set (unless
    /// <paramref name="options"/> names a shard). When the scenario does not pass, its HTML report, run records and HAR
    /// go to <c>archal/&lt;scenario&gt;/</c> under the test output folder; the paths are written to <paramref name="output"/>
    /// and the report's path ends the message of <see cref="ScenarioResult.EnsurePassed"/>.
    /// </summary>
    public async Task<ScenarioResult> RunScenarioAsync(ScenarioFile file, IScenarioAgent agent, ITestOutputHelper? output = null,
        ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= new ScenarioRunOptions();
        var result = await new ScenarioRunner(Host).RunAsync(file.Load(), agent, options with { Shard = options.Shard ?? ScenarioShard.FromEnvironment() }, cancellationToken)
            .ConfigureAwait(false);
        if (result.Passed || result.Runs.IsEmpty)
        {
            return result;
        }

        var artifacts = await ScenarioArtifacts.WriteAsync(Host, result, Path.Combine(AppContext.BaseDirectory, "archal", file.Id), cancellationToken).ConfigureAwait(false);
        foreach (var path in artifacts)
        {
            output?.WriteLine($"Archal artifact: {path}");
        }

        return result with { Artifacts = artifacts };
    }

    /// <summary>Adjusts the host options before start. The default leaves them as they are.</summary>
    protected virtual void Configure(ArchalHostOptions options) { }

#if XUNIT_V3
    async ValueTask IAsyncLifetime.InitializeAsync() => await StartAsync().ConfigureAwait(false);

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
#else
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => StopAsync();
#endif

    private async Task StartAsync()
    {
        var options = new ArchalHostOptions();
        Configure(options);
        _lease = await ArchalHostLease.StartAsync(options).ConfigureAwait(false);
    }

    private async Task StopAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>An <see cref="ArchalFixture"/> on a real loopback port, for agents that run as subprocesses.</summary>
public class ArchalKestrelFixture : ArchalFixture
{
    /// <inheritdoc />
    protected override void Configure(ArchalHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseKestrel = true;
    }
}
