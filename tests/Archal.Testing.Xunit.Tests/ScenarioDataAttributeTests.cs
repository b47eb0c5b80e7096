using Archal.Testing.Scenarios;
using Archal.Testing.Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Archal.Testing.Xunit.Tests;

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
    public void Data_yields_one_serializable_case_per_file_sorted_by_path()
    {
        var data = new ScenarioDataAttribute("examples/scenarios").GetData(typeof(ScenarioDataAttributeTests).GetMethod(nameof(Data_yields_one_serializable_case_per_file_sorted_by_path))!).ToList();

        data.Select(d => d[0].ToString()).Should().Equal("bug-digest-to-slack", "close-stale-issues", "incident-triage", "refund-duplicate-charge");
        var info = new SerializationInfo();
        ((ScenarioFile)data[1][0]).Serialize(info);
#pragma warning disable CS0618 // the serializer's constructor
        var copy = new ScenarioFile();
#pragma warning restore CS0618
        copy.Deserialize(info);
        copy.FullPath.Should().Be(((ScenarioFile)data[1][0]).FullPath);
    }

    [Fact]
    public void A_missing_path_is_a_clear_error()
    {
        var act = () => new ScenarioDataAttribute("no/such/scenarios").GetData(typeof(ScenarioDataAttributeTests).GetMethod(nameof(A_missing_path_is_a_clear_error))!).ToList();

        act.Should().Throw<ScenarioValidationException>().WithMessage("no/such/scenarios: no scenario file or folder found here*");
    }

    private sealed class SerializationInfo : IXunitSerializationInfo
    {
        private readonly Dictionary<string, object?> _values = [];

        public void AddValue(string key, object? value, Type? type = null) => _values[key] = value;

        public object? GetValue(string key, Type type) => _values[key];

        public T GetValue<T>(string key) => (T)_values[key]!;
    }
}
