using System.Reflection;
using Archal.Testing.Scenarios;
#if XUNIT_V3
using Xunit;
using Xunit.v3;
#else
using Xunit.Abstractions;
#endif
using Xunit.Sdk;

namespace Archal.Testing.Xunit;

/// <summary>
/// One test case per scenario file under a path (a <see cref="ScenarioFile"/> argument):
/// <code>
/// [Theory, ScenarioData("examples/scenarios")]
/// public async Task Scenario_passes(ScenarioFile file) =>
///     (await fixture.RunScenarioAsync(file, agent, output)).EnsurePassed();
/// </code>
/// Relative paths resolve against the current folder, the test output folder or any folder above them.
/// With <c>ARCHAL_SHARD=k/n</c> set (in the environment or a runsettings <c>EnvironmentVariables</c> block) only scenarios
/// with runs in that shard become test cases, and <see cref="ArchalFixture.RunScenarioAsync"/> runs only that shard's runs.
/// </summary>
/// <param name="path">A scenario file or a folder of <c>*.md</c> scenarios.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ScenarioDataAttribute(string path) : DataAttribute
{
    /// <summary>The scenario file or folder.</summary>
    public string Path { get; } = path;

#if XUNIT_V3
    /// <inheritdoc />
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new(ScenarioFiles.Find(Path, ScenarioShard.FromEnvironment()).Select(file => (ITheoryDataRow)new TheoryDataRow(new ScenarioFile(file))).ToList());

    /// <inheritdoc />
    public override bool SupportsDiscoveryEnumeration() => true;
#else
    /// <inheritdoc />
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        ScenarioFiles.Find(Path, ScenarioShard.FromEnvironment()).Select(file => new object[] { new ScenarioFile(file) });
#endif
}

/// <summary>A scenario file as an xUnit theory argument (serializable, so each file is its own test case).</summary>
public sealed class ScenarioFile : IXunitSerializable
{
    /// <summary>For the xUnit serializer.</summary>
    [Obsolete("Called by the xUnit serializer.")]
    public ScenarioFile() => FullPath = "";

    /// <summary>Wraps a scenario file path.</summary>
    public ScenarioFile(string fullPath) => FullPath = fullPath;

    /// <summary>The file's full path.</summary>
    public string FullPath { get; private set; }

    /// <summary>The scenario id (the file name without <c>.md</c>).</summary>
    public string Id => System.IO.Path.GetFileNameWithoutExtension(FullPath);

    /// <summary>Parses the scenario.</summary>
    /// <exception cref="ScenarioValidationException">The file is not a valid scenario.</exception>
    public Scenario Load() => ScenarioParser.ParseFile(FullPath);

    /// <inheritdoc />
    public void Deserialize(IXunitSerializationInfo info) => FullPath = info.GetValue<string>(nameof(FullPath)) ?? "";

    /// <inheritdoc />
    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(FullPath), FullPath);

    /// <inheritdoc />
    public override string ToString() => Id;
}
