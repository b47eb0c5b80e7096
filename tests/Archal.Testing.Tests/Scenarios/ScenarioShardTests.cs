using Archal.Testing.Scenarios;

namespace Archal.Testing.Tests.Scenarios;

public class ScenarioShardTests
{
    private static IEnumerable<(string Scenario, int Run)> Units(int scenarios, int runs) =>
        Enumerable.Range(0, scenarios).SelectMany(s => Enumerable.Range(0, runs).Select(r => ($"scenario-{s}", r)));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Every_unit_falls_in_exactly_one_shard(int count)
    {
        var shards = Enumerable.Range(1, count).Select(k => new ScenarioShard(k, count)).ToList();

        foreach (var (scenario, run) in Units(10, 20))
        {
            shards.Count(s => s.Contains(scenario, run)).Should().Be(1, $"{scenario} run {run} must be in one shard of {count}");
        }
    }

    [Fact]
    public void Adding_a_scenario_or_a_run_moves_no_existing_unit()
    {
        var before = Units(10, 5).ToDictionary(u => u, u => ScenarioShard.Of(u.Scenario, u.Run, 4));

        var after = Units(11, 6).ToDictionary(u => u, u => ScenarioShard.Of(u.Scenario, u.Run, 4));

        before.Should().OnlyContain(pair => after[pair.Key] == pair.Value);
    }

    [Fact]
    public void Two_hundred_units_spread_over_four_shards_roughly_evenly()
    {
        var sizes = Units(20, 10).GroupBy(u => ScenarioShard.Of(u.Scenario, u.Run, 4)).Select(g => g.Count()).ToList();

        sizes.Should().HaveCount(4).And.OnlyContain(size => size >= 30 && size <= 70);
    }

    [Fact]
    public void The_shard_of_a_unit_is_pinned_across_processes_and_versions()
    {
        // A change of hash would silently re-split every user's CI matrix; these values must never change.
        new[] { ScenarioShard.Of("close-stale-issues", 0, 4), ScenarioShard.Of("close-stale-issues", 1, 4), ScenarioShard.Of("incident-triage", 0, 7), ScenarioShard.Of("incident-triage", 3, 7) }
            .Should().Equal(2, 4, 1, 7);
        ScenarioShard.All.Contains("anything", 99).Should().BeTrue();
    }

    [Theory]
    [InlineData("2/4", 2, 4)]
    [InlineData(" 1/1 ", 1, 1)]
    public void Parse_reads_k_of_n(string text, int index, int count) =>
        ScenarioShard.Parse(text).Should().Be(new ScenarioShard(index, count));

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/4")]
    public void Parse_rejects_anything_but_k_of_n_with_k_between_1_and_n(string text) =>
        FluentActions.Invoking(() => ScenarioShard.Parse(text)).Should().Throw<FormatException>()
            .WithMessage($"a shard is k/n with 1 <= k <= n (for example 2/4), got '{text}'.");
}
