using AngleSharp.Html.Parser;
using Archal.Testing.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Archal.Testing.Cli.Tests;

/// <summary>The HTML report as a person sees it: rendered by a real browser, checked in its DOM, kept as a screenshot.</summary>
public sealed class HtmlReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly ReportSuite _suite = new();

    public void Dispose() => _suite.Dispose();

    [Fact]
    public async Task Chromium_renders_the_scenario_its_verdicts_the_failing_evidence_and_one_row_per_call()
    {
        await _suite.RunAsync();
        var report = await _suite.RenderAsync(Path.Combine(_suite.Folder, "report.html"));

        var dom = new HtmlParser().ParseDocument(await HeadlessChromium.DumpDomAsync(report));
        var screenshot = Path.Combine(RepositoryPaths.Artifacts, "html-report.png");
        await HeadlessChromium.ScreenshotAsync(report, screenshot);
        output.WriteLine($"Screenshot: {screenshot}");

        dom.QuerySelector(".scenario-title")!.TextContent.Should().Be("Open the release issues");
        dom.QuerySelector("#overall-satisfaction")!.TextContent.Should().Be("50%");
        var runs = dom.QuerySelectorAll("details.run");
        runs.Should().HaveCount(2).And.OnlyContain(r => r.GetAttribute("data-verdict") == "failed" && r.HasAttribute("open"), "failed runs open by themselves");
        var verdicts = runs[0].QuerySelectorAll("tr.verdict");
        verdicts.Select(v => v.GetAttribute("data-status")).Should().Equal("passed", "failed");
        verdicts[1].QuerySelector(".evidence")!.TextContent.Should().Contain("found 2 matching issues");
        runs.Select(r => r.QuerySelectorAll("tr.call").Length).Should().Equal(2, 2);
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000, "the screenshot shows a rendered page");
    }
}
