using Archal.Testing.Examples.Agents;
using Archal.Testing.NUnit;
using Archal.Testing.Scenarios;
using NUnit.Framework;

namespace Archal.Testing.Examples.NUnit;

public class ExampleSuiteTests : ArchalTestFixture
{
    [TestCaseSource(typeof(ScenarioSource), nameof(ScenarioSource.From), new object[] { "examples/scenarios" })]
    public async Task Example_agent_passes_its_scenario(string file)
    {
        var id = Path.GetFileNameWithoutExtension(file);

        var result = await RunScenarioAsync(file, ExampleAgents.All[id], new ScenarioRunOptions { Runs = 2 });

        result.EnsurePassed();
    }
}
