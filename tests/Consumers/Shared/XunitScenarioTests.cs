using Archal.Testing.Hosting;
using Archal.Testing.Xunit;
using FluentAssertions;
using Xunit;

namespace Consumer;

// What a user's xUnit project does beyond the quick start, against the packages (v2 and v3 alike).
public class ScenarioFilesTests
{
    [Theory]
    [ScenarioData("examples/scenarios")]
    public void Each_scenario_file_is_a_test_case(ScenarioFile file) =>
        file.Load().Id.Should().Be(file.Id);
}

public class KestrelTests(ArchalKestrelFixture archal) : IClassFixture<ArchalKestrelFixture>
{
    [Fact]
    public async Task Kestrel_fixture_gives_subprocess_agents_an_environment()
    {
        await using var session = await archal.StartSessionAsync(new SessionRequest("github", "slack"));

        session.AgentEnvironment.Should().ContainKeys("AGENT_CLONE_URLS", "AGENT_ROUTE_HEADERS", "AGENT_SESSION_ID");
        session.ApiBaseUrls["slack"].Host.Should().Be("127.0.0.1");
    }
}
