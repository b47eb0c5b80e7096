namespace Archal.Testing.Cli.Tests.Support;

/// <summary>
/// A scenario suite whose verdicts differ per unit: a Node harness (the repo's tests already need Node) that in run i
/// creates i % 3 issues and exits 1 when i % 5 == 4, judged by [D] criteria that each fail in some runs.
/// </summary>
internal sealed class ShardSuite : IDisposable
{
    public const string Agent = """
        // Run i creates (i % 3) issues and exits 1 when i % 5 == 4: verdicts differ unit by unit.
        const index = Number(process.env.AGENT_RUN_INDEX);
        const base = JSON.parse(process.env.AGENT_CLONE_URLS).github;
        const headers = { ...JSON.parse(process.env.AGENT_ROUTE_HEADERS), authorization: `Bearer ${process.env.GITHUB_SERVICE_TOKEN}`, 'content-type': 'application/json' };
        for (let i = 0; i < index % 3; i++) {
          const response = await fetch(`${base}/repos/acme/webapp/issues`, { method: 'POST', headers, body: JSON.stringify({ title: `run ${index} issue ${i}` }) });
          if (!response.ok) { console.error(await response.text()); process.exit(3); }
        }
        console.log(JSON.stringify({ text: `created ${index % 3} issue(s)` }));
        process.exit(index % 5 === 4 ? 1 : 0);
        """;

    public ShardSuite(params (string Id, int Runs)[] scenarios)
    {
        Directory.CreateDirectory(Scenarios);
        File.WriteAllText(Path.Combine(Folder, "agent.mjs"), Agent);
        foreach (var (id, runs) in scenarios)
        {
            File.WriteAllText(Path.Combine(Scenarios, $"{id}.md"), $"""
                # Scenario {id}
                ## Prompt
                Create some issues in acme/webapp.
                ## Success Criteria
                - [D] The run exits successfully
                - [D] At least 1 issue was created
                - [D] Fewer than 2 tool calls were made
                ## Config
                clones: github
                seed: small-project
                runs: {runs}
                """);
        }
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "archal-shards-" + Guid.NewGuid().ToString("N"));

    public string Scenarios => Path.Combine(Folder, "scenarios");

    public string Harness => "node " + Path.Combine(Folder, "agent.mjs");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A straggling agent process may still hold a file; the temp folder is cleaned up eventually.
        }
    }
}
