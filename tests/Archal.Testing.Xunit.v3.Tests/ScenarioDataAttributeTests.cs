using Archal.Testing.Scenarios;
using Xunit.Sdk;

namespace Archal.Testing.Xunit.v3.Tests;

public class ScenarioDataAttributeTests
{
    [Theory]
    [ScenarioData("examples/scenarios")]
    public void Each_example_scenario_file_is_its_own_test_case(ScenarioFile file)
    {
        var scenario = file.Load();

        scenario.Id.Should().Be(file.Id);
        scenario.Criteria.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Data_yields_one_serializable_row_per_file_sorted_by_path()
    {
        var attribute = new ScenarioDataAttribute("examples/scenarios");
        var method = typeof(ScenarioDataAttributeTests).GetMethod(nameof(Data_yields_one_serializable_row_per_file_sorted_by_path))!;

        var rows = await attribute.GetData(method, new DisposalTracker());

        attribute.SupportsDiscoveryEnumeration().Should().BeTrue("each file is its own test case in Test Explorer");
        rows.Select(r => r.GetData()[0]!.ToString()).Should().Equal("bug-digest-to-slack", "close-stale-issues", "incident-triage", "refund-duplicate-charge");
        var file = (ScenarioFile)rows.ElementAt(1).GetData()[0]!;
        var copy = SerializationHelper.Instance.Deserialize(SerializationHelper.Instance.Serialize(file)) as ScenarioFile;
        copy!.FullPath.Should().Be(file.FullPath);
    }
}
