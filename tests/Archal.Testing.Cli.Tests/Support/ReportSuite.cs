using Archal.Testing.Cli;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli.Tests.Support;

/// <summary>
/// A two-run scenario, run in-process, whose agent opens two issues (two calls) while a criterion expects exactly one:
/// the run records an HTML report is rendered from.
/// </summary>
internal sealed class ReportSuite : IDisposable
{
    public ReportSuite()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "open-issues.md"), """
            # Open the release issues
            ## Prompt
            Open an issue for the release in acme/webapp.
            ## Success Criteria
            - [D] The run exits successfully
            - [D] Exactly 1 issue was created
            ## Config
            clones: github
            seed: small-project
            runs: 2
            """);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "archal-report-" + Guid.NewGuid().ToString("N"));

    public string Records => Path.Combine(Folder, "records");

    public static IScenarioAgent TwoIssues { get; } = ScenarioAgent.FromDelegate(async (context, cancellationToken) =>
    {
        using var github = context.CreateClient("github");
        foreach (var title in new[] { "Release 1.2", "Release 1.2 (again)" })
        {
            using var response = await github.PostAsync("repos/acme/webapp/issues",
                new StringContent($$"""{"title":"{{title}}"}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        return "opened two issues";
    });

    public async Task RunAsync()
    {
        using var output = new StringWriter();
        var exit = await RunCommand.RunAsync(["run", Folder, "--records", Records, "--api-key", "", "--pass-threshold", "0"],
            new Dictionary<string, IScenarioAgent> { ["open-issues"] = TwoIssues }, output);
        if (exit != 0)
        {
            throw new InvalidOperationException($"run exited {exit}:\n{output}");
        }
    }

    public async Task<string> RenderAsync(string file)
    {
        using var output = new StringWriter();
        var exit = await ArchalCli.RunAsync(["report", "html", Records, "-o", file], output);
        return exit == 0 ? file : throw new InvalidOperationException($"report html exited {exit}:\n{output}");
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
