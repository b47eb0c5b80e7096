using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Archal.Testing.Hosting;

namespace Archal.Testing.Scenarios;

/// <summary>An agent under test. Called once per run, possibly concurrently for different runs.</summary>
public interface IScenarioAgent
{
    /// <summary>Performs the task against the session's clones and returns the final answer.</summary>
    Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the scenarios this agent is for, or null when it fits any scenario. <c>archal-testing run --agent NAME</c>
    /// runs only these scenarios of the given files and says which it skips.
    /// </summary>
    /// <value>The default value is null (any scenario).</value>
    IReadOnlySet<string>? ScenarioIds => null;
}

/// <summary>What an agent run produced.</summary>
/// <param name="Succeeded">Whether the run exited successfully (exit code 0, no exception, no timeout).</param>
/// <param name="Output">The final answer text, if any.</param>
/// <param name="Error">Why the run failed, when it did.</param>
public sealed record AgentResult(bool Succeeded, string? Output = null, string? Error = null)
{
    /// <summary>A successful run with a final answer.</summary>
    public static AgentResult Success(string? output = null) => new(true, output);

    /// <summary>A failed run.</summary>
    public static AgentResult Failure(string error, string? output = null) => new(false, output, error);
}

/// <summary>What an agent gets for one run: the task text, the session's clones and the subprocess environment.</summary>
public sealed class AgentContext
{
    internal AgentContext(Scenario scenario, int runIndex, ArchalSession session, IReadOnlyDictionary<string, string> environment)
    {
        Scenario = scenario;
        RunIndex = runIndex;
        Session = session;
        Environment = environment;
    }

    /// <summary>The task: the scenario's Prompt, the only scenario text an agent may see.</summary>
    public string Task => Scenario.Prompt;

    /// <summary>The scenario (agents under evaluation should read only <see cref="Task"/>).</summary>
    public Scenario Scenario { get; }

    /// <summary>The 0-based run index.</summary>
    public int RunIndex { get; }

    /// <summary>The run's session.</summary>
    public ArchalSession Session { get; }

    /// <summary>Each clone's api base URL.</summary>
    public IReadOnlyDictionary<string, Uri> CloneUrls => Session.ApiBaseUrls;

    /// <summary>
    /// The environment an external agent gets: <c>AGENT_TASK</c>, <c>AGENT_CLONE_URLS</c>, <c>AGENT_ROUTE_HEADERS</c>,
    /// <c>AGENT_SESSION_ID</c>, <c>AGENT_RUN_INDEX</c> (0-based), <c>ARCHAL_{CLONE}_REST_URL</c>, <c>ARCHAL_{CLONE}_MCP_URL</c>, each clone's service token under its conventional
    /// names (<c>GITHUB_TOKEN</c>, <c>SLACK_BOT_TOKEN</c>, <c>SLACK_TOKEN</c>, <c>STRIPE_API_KEY</c>) and, as before,
    /// <c>{CLONE}_SERVICE_TOKEN</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>An HttpClient for a clone with both auth hops preset (relative paths: <c>"repos/acme/app/issues"</c>).</summary>
    public HttpClient CreateClient(string cloneId, string? serviceToken = null) => Session.CreateClient(cloneId, serviceToken);
}

/// <summary>Factories for agents.</summary>
public static class ScenarioAgent
{
    /// <summary>An in-process agent from a delegate that returns the final answer (an exception fails the run).</summary>
    public static IScenarioAgent FromDelegate(Func<AgentContext, CancellationToken, Task<string?>> run) =>
        new DelegateAgent(run ?? throw new ArgumentNullException(nameof(run)));

    /// <summary>
    /// An external agent: a shell command run once per run with the agent environment (the host must use Kestrel).
    /// Its stdout is read as the hosted harness contract says; a non-zero exit or a timeout fails the run and
    /// the whole process tree is killed.
    /// </summary>
    public static IScenarioAgent External(string command, string? workingDirectory = null) =>
        new ProcessAgent(command, workingDirectory);

    /// <summary>
    /// The same agent, declared to be for these scenario ids only (see <see cref="IScenarioAgent.ScenarioIds"/>):
    /// <c>ScenarioAgent.For(new StaleIssuesAgent(), "close-stale-issues")</c>.
    /// </summary>
    public static IScenarioAgent For(IScenarioAgent agent, params string[] scenarioIds)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(scenarioIds);
        if (scenarioIds.Length == 0)
        {
            throw new ArgumentException("Name at least one scenario id.", nameof(scenarioIds));
        }

        return new ScopedAgent(agent, new HashSet<string>(scenarioIds, StringComparer.Ordinal));
    }

    private sealed class ScopedAgent(IScenarioAgent inner, IReadOnlySet<string> scenarioIds) : IScenarioAgent
    {
        public IReadOnlySet<string> ScenarioIds => scenarioIds;

        public Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken) => inner.RunAsync(context, cancellationToken);
    }

    private sealed class DelegateAgent(Func<AgentContext, CancellationToken, Task<string?>> run) : IScenarioAgent
    {
        public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken) =>
            AgentResult.Success(await run(context, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>Runs an external harness command (<c>--harness "node agent.mjs"</c>) as a subprocess.</summary>
public sealed class ProcessAgent : IScenarioAgent
{
    /// <summary>Creates the agent.</summary>
    /// <param name="command">A shell command line (run with <c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows).</param>
    /// <param name="workingDirectory">The working directory; the current directory when null.</param>
    public ProcessAgent(string command, string? workingDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        Command = command;
        WorkingDirectory = workingDirectory;
    }

    /// <summary>The command line.</summary>
    public string Command { get; }

    /// <summary>The working directory.</summary>
    public string? WorkingDirectory { get; }

    /// <inheritdoc />
    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CloneUrls.Values.Any(u => u.Host == "localhost" && u.IsDefaultPort))
        {
            return AgentResult.Failure("external agents need a host on a real socket: set ArchalHostOptions.UseKestrel = true.");
        }

        var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var start = new ProcessStartInfo(windows ? "cmd.exe" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        start.ArgumentList.Add(windows ? "/c" : "-c");
        start.ArgumentList.Add(Command);
        foreach (var (name, value) in context.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return AgentResult.Failure($"could not start '{Command}': {ex.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            return AgentResult.Failure($"'{Command}' did not finish in time; its process tree was killed.", HarnessOutput.Extract(Text(stdout)));
        }

        // Drain the redirected streams.
        process.WaitForExit();
        var output = HarnessOutput.Extract(Text(stdout));
        if (process.ExitCode != 0)
        {
            var tail = Text(stderr).Trim();
            tail = tail.Length > 2000 ? "…" + tail[^2000..] : tail;
            return AgentResult.Failure($"'{Command}' exited with code {process.ExitCode}{(tail.Length > 0 ? ": " + tail : "")}", output);
        }

        return AgentResult.Success(output);
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
