using System.Collections.Immutable;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Tests.Scenarios;

public sealed class ScenarioResultsFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archal-results-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static readonly ImmutableArray<ScenarioCriterion> Criteria =
    [
        new() { Text = "The run exits successfully", Kind = CriterionKind.Deterministic },
        new() { Text = "The answer is friendly", Kind = CriterionKind.Probabilistic },
    ];

    private static Scenario Scenario(string id) => new() { Id = id, Title = $"Scenario {id}", Prompt = "p", Criteria = Criteria };

    /// <summary>Run i of a scenario fails its [D] criterion when i is odd; [P] is never judged.</summary>
    private static ScenarioRunResult Run(int index) => new()
    {
        Index = index,
        SessionId = $"ses-{index}",
        RunId = $"run-{index}",
        Agent = index % 2 == 0 ? AgentResult.Success("ok") : AgentResult.Failure("boom"),
        Criteria =
        [
            new(Criteria[0], index % 2 == 0 ? CriterionOutcome.Pass("the run exited successfully") : CriterionOutcome.Fail($"run {index} failed: boom")),
            new(Criteria[1], CriterionOutcome.NotJudged("no judge configured for [P] criteria")),
        ],
        ToolCalls = index,
        Duration = TimeSpan.FromMilliseconds(10 + index),
    };

    private static List<ScenarioResult> Suite(ScenarioShard shard) =>
    [
        .. new[] { ("alpha", 5), ("beta", 3), ("gamma", 8) }.Select(s => new ScenarioResult
        {
            Scenario = Scenario(s.Item1),
            Runs = [.. Enumerable.Range(0, s.Item2).Where(i => shard.Contains(s.Item1, i)).Select(Run)],
            PlannedRuns = s.Item2,
            Shard = shard,
        }),
    ];

    private async Task<List<ScenarioResultsFile>> WriteShardsAsync(int count, params int[] only)
    {
        var files = new List<ScenarioResultsFile>();
        foreach (var k in only.Length > 0 ? only : Enumerable.Range(1, count))
        {
            var shard = new ScenarioShard(k, count);
            files.Add(ScenarioResultsFile.Read(await ScenarioResultsFile.WriteAsync(Path.Combine(_folder, $"shard-{k}"), Suite(shard), shard)));
        }

        return files;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Merged_shards_report_the_same_json_as_the_whole_suite(int count)
    {
        var files = await WriteShardsAsync(count);

        var merged = ScenarioResultsFile.Merge(files);

        ScenarioReport.ToJson(merged).ToJsonString().Should().Be(ScenarioReport.ToJson(Suite(ScenarioShard.All)).ToJsonString());
    }

    [Fact]
    public async Task A_missing_shard_is_named()
    {
        var files = await WriteShardsAsync(3, 1, 3);

        FluentActions.Invoking(() => ScenarioResultsFile.Merge(files)).Should().Throw<ScenarioValidationException>()
            .Which.Problem.Should().Be("missing shard(s) 2/3; got 1/3, 3/3.");
    }

    [Fact]
    public async Task A_shard_given_twice_is_refused_naming_both_files()
    {
        var files = await WriteShardsAsync(2);

        FluentActions.Invoking(() => ScenarioResultsFile.Merge([.. files, files[0]])).Should().Throw<ScenarioValidationException>()
            .Which.Problem.Should().Be($"shard 1/2 appears more than once: {files[0].Path}, {files[0].Path}.");
    }

    [Fact]
    public async Task Shards_of_different_splits_are_refused()
    {
        var two = await WriteShardsAsync(2, 1);
        var three = await WriteShardsAsync(3, 2);

        FluentActions.Invoking(() => ScenarioResultsFile.Merge([two[0], three[0]])).Should().Throw<ScenarioValidationException>()
            .Which.Problem.Should().Be($"is shard 2/3, but {two[0].Path} is shard 1/2: every shard must split the suite the same way.");
    }

    [Fact]
    public async Task Find_picks_every_results_file_under_a_folder_and_skips_run_records()
    {
        await WriteShardsAsync(2);
        await File.WriteAllTextAsync(Path.Combine(_folder, "shard-1", "run-1.json"), "{}");

        var found = ScenarioResultsFile.Find([_folder]);

        found.Select(Path.GetFileName).Should().Equal("archal-results.shard-1-of-2.json", "archal-results.shard-2-of-2.json");
    }

    [Fact]
    public void A_file_that_is_not_a_results_file_is_refused()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "archal-results.json");
        File.WriteAllText(path, """{"satisfaction": 100}""");

        FluentActions.Invoking(() => ScenarioResultsFile.Read(path)).Should().Throw<ScenarioValidationException>()
            .WithMessage($"{path}: not an Archal results file (expected \"format\": \"archal-scenario-results/1\").");
    }
}
