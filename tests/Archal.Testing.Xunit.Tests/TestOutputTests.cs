using Archal.Testing.Hosting;
using Archal.Testing.Xunit;
using Xunit.Abstractions;

namespace Archal.Testing.Xunit.Tests;

public class TestOutputTests(ArchalFixture fixture) : IClassFixture<ArchalFixture>
{
    private sealed class RecordingOutput : ITestOutputHelper
    {
        private readonly List<string> _lines = [];

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join("\n", _lines);
                }
            }
        }

        public void WriteLine(string message)
        {
            lock (_lines)
            {
                _lines.Add(message);
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }

    [Fact]
    public async Task Each_tests_trace_goes_to_its_own_output_under_parallel_execution()
    {
        var outputs = Enumerable.Range(0, 8).Select(_ => new RecordingOutput()).ToArray();
        var ids = new string[outputs.Length];

        await Task.WhenAll(outputs.Select(async (output, i) =>
        {
            await using var session = await fixture.StartSessionAsync(new SessionRequest("github"), output);
            ids[i] = session.Id;
            using var github = session.CreateClient("github");
            for (var call = 0; call <= i; call++)
            {
                (await github.GetAsync("user")).Dispose();
            }
        }));

        for (var i = 0; i < outputs.Length; i++)
        {
            var text = outputs[i].Text;
            text.Should().StartWith($"Archal session {ids[i]}: {i + 1} call(s), 0 error(s), 0 dropped");
            text.Split('\n').Count(l => l.Contains("github GET /user → 200", StringComparison.Ordinal)).Should().Be(i + 1);
            foreach (var other in ids.Where((_, j) => j != i))
            {
                text.Should().NotContain(other);
            }
        }
    }
}

public sealed class ScenarioArtifactsTests(ArchalFixture fixture) : IClassFixture<ArchalFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archal-xunit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_failing_scenario_writes_its_html_report_and_the_failure_message_names_it()
    {
        var file = Path.Combine(_folder, "one-issue.md");
        File.WriteAllText(file, "# One issue\n## Prompt\nOpen one issue.\n## Success Criteria\n- [D] Exactly 1 issue was created\n## Config\nclones: github\nseed: small-project\n");
        var agent = Archal.Testing.Scenarios.ScenarioAgent.FromDelegate(async (context, cancellationToken) =>
        {
            using var github = context.CreateClient("github");
            foreach (var title in new[] { "a", "b" })
            {
                using var response = await github.PostAsync("repos/acme/webapp/issues",
                    new StringContent($$"""{"title":"{{title}}"}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            }

            return "done";
        });

        var result = await fixture.RunScenarioAsync(new ScenarioFile(file), agent);

        result.Artifacts.Select(Path.GetFileName).Should().Equal("report.html", $"{result.Runs[0].RunId}.run.json", $"{result.Runs[0].RunId}.har");
        File.ReadAllText(result.Artifacts[0]).Should().Contain("found 2 matching issues");
        FluentActions.Invoking(() => result.EnsurePassed()).Should().Throw<Archal.Testing.Scenarios.ScenarioFailedException>()
            .Which.Message.Should().EndWith($"Report: {result.Artifacts[0]}");
    }
}
