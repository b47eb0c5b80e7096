using AngleSharp.Html.Parser;
using Archal.Testing.Cli;
using Archal.Testing.Cli.Tests.Support;

namespace Archal.Testing.Cli.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly ReportSuite _suite = new();

    public void Dispose() => _suite.Dispose();

    [Fact]
    public async Task Html_report_is_one_self_contained_file_with_scores_verdicts_evidence_calls_and_state_diff()
    {
        await _suite.RunAsync();

        var html = await File.ReadAllTextAsync(await _suite.RenderAsync(Path.Combine(_suite.Folder, "report.html")));

        var document = new HtmlParser().ParseDocument(html);
        document.QuerySelectorAll("script[src], link[href], img[src], iframe").Should().BeEmpty("the report needs no server and no network");
        var scenario = document.QuerySelector("section.scenario")!;
        scenario.QuerySelector(".scenario-title")!.TextContent.Should().Be("Open the release issues");
        scenario.QuerySelector(".satisfaction")!.TextContent.Should().Be("50%");
        scenario.QuerySelector(".passk")!.TextContent.Should().Be("no");
        var runs = scenario.QuerySelectorAll("details.run");
        runs.Select(r => r.GetAttribute("data-verdict")).Should().Equal("failed", "failed");
        var failing = runs[0].QuerySelectorAll("tr.verdict.failed").Should().ContainSingle().Subject;
        failing.QuerySelector(".criterion")!.TextContent.Should().Be("[D] Exactly 1 issue was created");
        failing.QuerySelector(".evidence")!.TextContent.Should().Contain("found 2 matching issues").And.Contain("\"Release 1.2 (again)\"");
        var calls = runs[0].QuerySelectorAll("tr.call");
        calls.Select(c => c.QuerySelector(".operation")!.TextContent).Should().Equal("issues/create", "issues/create");
        calls.Select(c => c.QuerySelector(".status")!.TextContent).Should().Equal("201", "201");
        calls[0].QuerySelector(".bodies pre")!.TextContent.Should().Contain("\"title\": \"Release 1.2\"");
        var created = runs[0].QuerySelectorAll("table.diff tr.mutation.created");
        created.Select(row => row.Children[1].TextContent).Should().Equal("github/issue acme/webapp#14", "github/issue acme/webapp#15");
        created[0].QuerySelectorAll("table.fields tr").Should().Contain(row => row.TextContent == "titleRelease 1.2");
    }

    [Fact]
    public async Task Html_report_of_a_folder_without_run_records_exits_2()
    {
        using var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["report", "html", _suite.Folder, "-o", Path.Combine(_suite.Folder, "r.html")], output);

        exit.Should().Be(2);
        output.ToString().Should().Contain("no run records found.");
    }

    [Fact]
    public async Task Merge_with_a_missing_shard_exits_2_and_names_it()
    {
        using var first = new StringWriter();
        await RunCommand.RunAsync(["run", _suite.Folder, "--shard", "1/3", "--records", Path.Combine(_suite.Folder, "s1"), "--api-key", ""],
            new Dictionary<string, Archal.Testing.Scenarios.IScenarioAgent> { ["open-issues"] = ReportSuite.TwoIssues }, first);
        using var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["report", "merge", Path.Combine(_suite.Folder, "s1")], output);

        exit.Should().Be(2);
        output.ToString().Trim().Should().Be("error: missing shard(s) 2/3, 3/3; got 1/3.");
    }

    [Fact]
    public async Task Run_with_a_malformed_shard_exits_2()
    {
        using var output = new StringWriter();

        var exit = await ArchalCli.RunAsync(["run", _suite.Folder, "--shard", "4/3", "--harness", "true"], output);

        exit.Should().Be(2);
        output.ToString().Trim().Should().Be("error: --shard: a shard is k/n with 1 <= k <= n (for example 2/4), got '4/3'.");
    }
}
