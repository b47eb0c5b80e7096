using System.Text.Json.Nodes;
using Archal.Testing.Cli.Tests.Support;

namespace Archal.Testing.Cli.Tests;

/// <summary>The unsharded run of the suite, once for all shard counts.</summary>
public sealed class UnshardedSuiteFixture : IAsyncLifetime
{
    internal ShardSuite Suite { get; } = new(("alpha", 5), ("beta", 3), ("gamma", 6), ("delta", 4));

    internal JsonObject Report { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (exit, output, error) = await CliProcess.RunAsync(Suite.Folder,
            "run", Suite.Scenarios, "--harness", Suite.Harness, "--random-seed", "42", "--records", Path.Combine(Suite.Folder, "all"), "-o", "json");
        if (exit != 0)
        {
            throw new InvalidOperationException($"the unsharded run exited {exit}:\n{output}\n{error}");
        }

        Report = JsonNode.Parse(output)!.AsObject();
    }

    public Task DisposeAsync()
    {
        Suite.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ShardedRunTests(UnshardedSuiteFixture unsharded) : IClassFixture<UnshardedSuiteFixture>
{
    /// <summary>What must match between runs: everything but ids, durations and file locations.</summary>
    private static string Comparable(JsonNode report)
    {
        var copy = report.DeepClone();
        foreach (var run in copy["scenarios"]!.AsArray().SelectMany(s => s!["runs"]!.AsArray()))
        {
            run!.AsObject().Remove("sessionId");
            run.AsObject().Remove("runId");
            run.AsObject().Remove("durationMs");
            run.AsObject().Remove("recordPath");
        }

        return copy.ToJsonString(new() { WriteIndented = true });
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Shards_run_as_separate_processes_merge_into_the_unsharded_result_unit_for_unit(int count)
    {
        var suite = unsharded.Suite;
        var shardFolders = Enumerable.Range(1, count).Select(k => Path.Combine(suite.Folder, $"n{count}", $"shard-{k}")).ToList();

        // Like a CI matrix: every shard at once, each its own process with its own host.
        var shards = await Task.WhenAll(Enumerable.Range(1, count).Select(k => CliProcess.RunAsync(suite.Folder,
            "run", suite.Scenarios, "--harness", suite.Harness, "--random-seed", "42", "--shard", $"{k}/{count}", "--records", shardFolders[k - 1], "-o", "json")));
        var merge = await CliProcess.RunAsync(suite.Folder, ["report", "merge", .. shardFolders, "-o", "json"]);

        shards.Should().OnlyContain(s => s.Exit == 0, string.Join("\n", shards.Select(s => s.Output + s.Error)));
        shards.Sum(s => JsonNode.Parse(s.Output)!["scenarios"]!.AsArray().Sum(x => x!["runs"]!.AsArray().Count)).Should().Be(18, "every unit runs in exactly one shard");
        merge.Exit.Should().Be(0, merge.Output + merge.Error);
        var merged = JsonNode.Parse(merge.Output)!;
        Comparable(merged).Should().Be(Comparable(unsharded.Report));
        merged["satisfaction"]!.GetValue<double>().Should().Be(unsharded.Report["satisfaction"]!.GetValue<double>()).And.BeInRange(1, 99, "the suite has passing and failing units");
    }

    [Fact]
    public async Task Merge_below_the_pass_threshold_exits_1_and_junit_lists_every_unit()
    {
        var all = Path.Combine(unsharded.Suite.Folder, "all");

        var (exit, output, _) = await CliProcess.RunAsync(unsharded.Suite.Folder, "report", "merge", all, "-o", "junit", "--pass-threshold", "99");

        exit.Should().Be(1);
        var suites = System.Xml.Linq.XDocument.Parse(output).Root!.Elements("testsuite").ToList();
        suites.Should().HaveCount(4);
        suites.Sum(s => int.Parse(s.Attribute("tests")!.Value, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(18 * 3);
    }
}
