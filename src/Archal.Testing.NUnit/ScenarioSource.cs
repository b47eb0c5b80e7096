using Archal.Testing.Scenarios;
using NUnit.Framework;

namespace Archal.Testing.NUnit;

/// <summary>
/// A TestCaseSource with one test case per scenario file (the argument is the file's full path):
/// <code>
/// [TestCaseSource(typeof(ScenarioSource), nameof(ScenarioSource.From), new object[] { "examples/scenarios" })]
/// public async Task Scenario_passes(string file) =>
///     (await RunScenarioAsync(file, agent)).EnsurePassed();
/// </code>
/// To run one shard of the suite, set the runsettings parameter <c>ArchalShard</c> (<c>-- TestRunParameters.Parameter(name=\"ArchalShard\", value=\"2/4\")</c>)
/// or the environment variable <c>ARCHAL_SHARD=2/4</c>: only scenarios with runs in that shard become test cases, and
/// <see cref="ArchalTestFixture.RunScenarioAsync"/> runs only that shard's runs.
/// </summary>
public static class ScenarioSource
{
    /// <summary>The runsettings parameter that names a shard (<c>k/n</c>).</summary>
    public const string ShardParameter = "ArchalShard";

    /// <summary>The shard this test run covers: the <c>ArchalShard</c> runsettings parameter, else <c>ARCHAL_SHARD</c>, else null (all).</summary>
    /// <exception cref="FormatException">The value is not <c>k/n</c>.</exception>
    public static ScenarioShard? Shard =>
        TestContext.Parameters.Get(ShardParameter) is { Length: > 0 } text ? ScenarioShard.Parse(text) : ScenarioShard.FromEnvironment();

    /// <summary>Test cases for a scenario file or every <c>*.md</c> scenario under a folder (with runs in <see cref="Shard"/>), named by scenario id.</summary>
    public static IEnumerable<TestCaseData> From(string path) =>
        ScenarioFiles.Find(path, Shard).Select(file => new TestCaseData(file).SetName(Path.GetFileNameWithoutExtension(file)));
}
