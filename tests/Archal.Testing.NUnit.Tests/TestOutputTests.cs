using Archal.Testing.Hosting;
using Archal.Testing.NUnit;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Archal.Testing.NUnit.Tests;

public class TestOutputTests : ArchalTestFixture
{
    [Test]
    public async Task Trace_summary_goes_to_the_tests_output()
    {
        var session = await StartSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");
        (await github.GetAsync("user")).Dispose();

        await WriteArchalOutputAsync();

        var output = TestExecutionContext.CurrentContext.CurrentResult.Output;
        output.Should().Contain($"Archal session {session.Id}: 1 call(s)");
        output.Should().Contain("#1 github GET /user → 200");
        TestExecutionContext.CurrentContext.CurrentResult.TestAttachments.Should().BeEmpty("the test has not failed");
    }

    [Test]
    public async Task A_failed_test_gets_the_run_record_and_har_attached()
    {
        var session = await StartSessionAsync(new SessionRequest("github"));
        using var github = session.CreateClient("github");
        (await github.GetAsync("user")).Dispose();
        var result = TestExecutionContext.CurrentContext.CurrentResult;

        result.SetResult(ResultState.Failure, "simulated failure");
        await WriteArchalOutputAsync();
        var attachments = result.TestAttachments.Select(a => a.FilePath).ToList();
        result.SetResult(ResultState.Success);

        attachments.Should().HaveCount(2);
        attachments.Should().Contain(p => p.EndsWith($"{session.Id}.run.json", StringComparison.Ordinal));
        attachments.Should().Contain(p => p.EndsWith($"{session.Id}.har", StringComparison.Ordinal));
        File.ReadAllText(attachments.Single(p => p.EndsWith(".har", StringComparison.Ordinal))).Should().Contain("\"version\": \"1.2\"");
    }
}

public class ScenarioOutputTests : ArchalTestFixture
{
    private static readonly Archal.Testing.Scenarios.IScenarioAgent OpensTwoIssues = Archal.Testing.Scenarios.ScenarioAgent.FromDelegate(async (context, cancellationToken) =>
    {
        using var github = context.CreateClient("github");
        for (var i = 0; i < 2; i++)
        {
            using var response = await github.PostAsync("repos/acme/webapp/issues",
                new StringContent($$"""{"title":"Issue {{i}}"}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        }

        return "done";
    });

    [Test]
    public async Task A_failed_scenario_test_gets_the_html_report_run_record_and_har_attached()
    {
        var folder = Directory.CreateTempSubdirectory("archal-nunit-").FullName;
        var file = Path.Combine(folder, "one-issue.md");
        File.WriteAllText(file, "# One issue\n## Prompt\nOpen one issue.\n## Success Criteria\n- [D] Exactly 1 issue was created\n## Config\nclones: github\nseed: small-project\n");
        var scenario = await RunScenarioAsync(file, OpensTwoIssues);
        var result = TestExecutionContext.CurrentContext.CurrentResult;

        result.SetResult(ResultState.Failure, "simulated failure");
        await WriteArchalOutputAsync();
        var attachments = result.TestAttachments.Select(a => a.FilePath).ToList();
        result.SetResult(ResultState.Success);

        scenario.Passed.Should().BeFalse();
        attachments.Select(Path.GetFileName).Should().Equal("report.html", $"{scenario.Runs[0].RunId}.run.json", $"{scenario.Runs[0].RunId}.har");
        File.ReadAllText(attachments[0]).Should().Contain("found 2 matching issues");
        Directory.Delete(folder, recursive: true);
    }
}
