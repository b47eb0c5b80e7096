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
