using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;
using System.Collections.Concurrent;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace Archal.Testing.NUnit;

/// <summary>
/// Base class for NUnit fixtures: one Archal host per fixture, started in <c>[OneTimeSetUp]</c> and
/// stopped in <c>[OneTimeTearDown]</c>. Tests start cheap sessions on it.
/// </summary>
/// <remarks>
/// Override <see cref="Configure"/> to change options. If the host fails to start, every test fails
/// with <see cref="ArchalStartupException"/> carrying the cause.
/// </remarks>
public abstract class ArchalTestFixture
{
    private ArchalHostLease? _lease;

    /// <summary>The host.</summary>
    /// <exception cref="ArchalStartupException">The host failed to start.</exception>
    protected ArchalHost Host => (_lease ?? throw new InvalidOperationException("OneTimeSetUp has not run.")).Host;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<ArchalSession>> _sessionsByTest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScenarioResult>> _scenariosByTest = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs a scenario on this fixture's host: only the runs of <see cref="ScenarioSource.Shard"/> when one is set (unless
    /// <paramref name="options"/> names a shard). When the test fails, the scenario's HTML report, run records and HAR
    /// are attached to its result.
    /// </summary>
    protected async Task<ScenarioResult> RunScenarioAsync(string scenarioFile, IScenarioAgent agent, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ScenarioRunOptions();
        var result = await new ScenarioRunner(Host).RunAsync(scenarioFile, agent, options with { Shard = options.Shard ?? ScenarioSource.Shard }, cancellationToken)
            .ConfigureAwait(false);
        _scenariosByTest.GetOrAdd(TestContext.CurrentContext.Test.ID, _ => new()).Enqueue(result);
        return result;
    }

    /// <summary>
    /// Starts a session on the host. After the test, its trace summary goes to that test's
    /// <c>TestContext.Out</c>; when the test failed, its run record and HAR are attached to the result.
    /// </summary>
    protected async Task<ArchalSession> StartSessionAsync(SessionRequest request, CancellationToken cancellationToken = default)
    {
        var session = await Host.CreateSessionAsync(request, cancellationToken).ConfigureAwait(false);
        _sessionsByTest.GetOrAdd(TestContext.CurrentContext.Test.ID, _ => new()).Enqueue(session);
        return session;
    }

    /// <summary>Writes the sessions of the test that just ran to its output (NUnit calls this after each test).</summary>
    [TearDown]
    public async Task WriteArchalOutputAsync()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed;
        if (_scenariosByTest.TryRemove(TestContext.CurrentContext.Test.ID, out var scenarios) && failed)
        {
            foreach (var result in scenarios.Where(r => !r.Runs.IsEmpty))
            {
                var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "archal", Sanitize(TestContext.CurrentContext.Test.Name), result.Scenario.Id);
                foreach (var path in await ScenarioArtifacts.WriteAsync(Host, result, directory).ConfigureAwait(false))
                {
                    TestContext.AddTestAttachment(path, Path.GetExtension(path) == ".html" ? "Archal scenario report" : "Archal run record / HAR");
                }
            }
        }

        if (!_sessionsByTest.TryRemove(TestContext.CurrentContext.Test.ID, out var sessions))
        {
            return;
        }

        foreach (var session in sessions)
        {
            await TestContext.Out.WriteLineAsync(session.TraceSummary()).ConfigureAwait(false);
            if (failed)
            {
                var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "archal", Sanitize(TestContext.CurrentContext.Test.Name));
                foreach (var path in await session.WriteArtifactsAsync(directory).ConfigureAwait(false))
                {
                    TestContext.AddTestAttachment(path, "Archal run record / HAR");
                }
            }
        }
    }

    private static string Sanitize(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    /// <summary>Adjusts the host options before start. The default leaves them as they are.</summary>
    protected virtual void Configure(ArchalHostOptions options) { }

    /// <summary>Starts the host (NUnit calls this once per fixture).</summary>
    [OneTimeSetUp]
    public async Task StartArchalHostAsync()
    {
        var options = new ArchalHostOptions();
        Configure(options);
        _lease = await ArchalHostLease.StartAsync(options).ConfigureAwait(false);
    }

    /// <summary>Stops the host (NUnit calls this once per fixture).</summary>
    [OneTimeTearDown]
    public async Task StopArchalHostAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}
