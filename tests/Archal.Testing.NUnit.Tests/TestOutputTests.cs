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
