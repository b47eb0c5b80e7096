using Archal.Testing.Scenarios;
using NUnit.Framework;

namespace Archal.Testing.NUnit;

/// <summary>
/// A TestCaseSource with one test case per scenario file (the argument is the file's full path):
/// <code>
/// [TestCaseSource(typeof(ScenarioSource), nameof(ScenarioSource.From), new object[] { "examples/scenarios" })]
/// public async Task Scenario_passes(string file) =>
///     (await new ScenarioRunner(Host).RunAsync(file, agent)).EnsurePassed();
/// </code>
/// </summary>
public static class ScenarioSource
{
    /// <summary>Test cases for a scenario file or every <c>*.md</c> scenario under a folder, named by scenario id.</summary>
    public static IEnumerable<TestCaseData> From(string path) =>
        ScenarioFiles.Find(path).Select(file => new TestCaseData(file).SetName(Path.GetFileNameWithoutExtension(file)));
}
