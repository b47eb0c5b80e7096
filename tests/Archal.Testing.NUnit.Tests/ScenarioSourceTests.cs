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
}
