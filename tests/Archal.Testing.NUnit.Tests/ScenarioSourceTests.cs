using Archal.Testing.NUnit;
using Archal.Testing.Scenarios;

namespace Archal.Testing.NUnit.Tests;

public class ScenarioSourceTests
{
    [TestCaseSource(typeof(ScenarioSource), nameof(ScenarioSource.From), new object[] { "examples/scenarios" })]
    public void Each_example_scenario_file_is_its_own_test_case(string file)
    {
        var scenario = ScenarioParser.ParseFile(file);

        scenario.Id.Should().Be(Path.GetFileNameWithoutExtension(file));
        scenario.Criteria.Should().NotBeEmpty();
    }

    [Test]
    public void Cases_are_named_by_scenario_id()
    {
        ScenarioSource.From("examples/scenarios").Select(c => c.TestName).Should()
            .Equal("bug-digest-to-slack", "close-stale-issues", "incident-triage", "refund-duplicate-charge");
    }

    [Test]
    public void Scenario_source_keeps_only_files_with_runs_in_the_shard()
    {
        var all = ScenarioSource.From("examples/scenarios").Select(c => c.TestName).ToList();

        var shards = Enumerable.Range(1, 7).Select(k => Archal.Testing.Scenarios.ScenarioFiles.Find("examples/scenarios", new(k, 7)).Select(Path.GetFileNameWithoutExtension).ToList()).ToList();

        shards.SelectMany(s => s).Distinct().Should().BeEquivalentTo(all, "every scenario is in some shard");
        shards.Should().Contain(s => s.Count < all.Count, "with 7 shards some shard lacks some scenario");
    }
}
