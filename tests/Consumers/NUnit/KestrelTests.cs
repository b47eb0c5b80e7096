using Archal.Testing.Hosting;
using Archal.Testing.NUnit;
using FluentAssertions;
using NUnit.Framework;

namespace Consumer;

public class ScenarioFilesTests
{
    [TestCaseSource(typeof(ScenarioSource), nameof(ScenarioSource.From), new object[] { "examples/scenarios" })]
    public void Each_scenario_file_is_a_test_case(string file) =>
        File.Exists(file).Should().BeTrue();
}

public class KestrelTests : ArchalKestrelFixture
{
    [Test]
    public async Task Kestrel_fixture_gives_subprocess_agents_an_environment()
    {
        await using var session = await StartSessionAsync(new SessionRequest("github", "slack"));

        session.AgentEnvironment.Should().ContainKeys("AGENT_CLONE_URLS", "AGENT_ROUTE_HEADERS", "AGENT_SESSION_ID");
        session.ApiBaseUrls["slack"].Host.Should().Be("127.0.0.1");
    }
}
