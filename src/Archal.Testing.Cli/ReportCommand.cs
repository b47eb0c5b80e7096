using System.CommandLine;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli;

/// <summary>
/// <c>archal-testing report merge|html</c>: merges shard results into one, or renders run records as one self-contained HTML page.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output) => new("report", "Merge shard results, or render run records as an HTML report.")
    {
        Merge(output),
        Html(output),
    };

    private static Command Merge(TextWriter output)
    {
        var paths = new Argument<string[]>("paths") { Description = "The --records folders (or archal-results*.json files) of every shard.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--output", "-o") { Description = "terminal, json or junit.", DefaultValueFactory = _ => "terminal" };
        format.AcceptOnlyFromAmong("terminal", "json", "junit");
        var threshold = new Option<double>("--pass-threshold") { Description = "Minimum merged satisfaction (0-100); exit 1 below it.", DefaultValueFactory = _ => 0 };
        var command = new Command("merge", "Merge the results of 'run --shard k/n' shards into one: satisfaction and pass^k per scenario. Exit 0 at or above the threshold, 1 below, 2 when shards are missing, duplicated or from different suites.")
        {
            paths, format, threshold,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<ScenarioResult> merged;
            IReadOnlyList<string> files;
            try
            {
                files = ScenarioResultsFile.Find(parse.GetValue(paths)!);
                merged = ScenarioResultsFile.Merge([.. files.Select(ScenarioResultsFile.Read)]);
            }
            catch (ScenarioValidationException ex)
            {
                await output.WriteLineAsync($"error: {(ex.File is null ? ex.Problem : ex.Message)}").ConfigureAwait(false);
                return 2;
            }

            var console = ResultsTable.Console(output);
            return await ResultsTable.ReportAsync(console, output, merged, parse.GetValue(format)!, parse.GetValue(threshold),
                $"Merged {files.Count} shard(s), {merged.Sum(r => r.Runs.Length)} unit(s).").ConfigureAwait(false);
        });
        return command;
    }

    private static Command Html(TextWriter output)
    {
        var paths = new Argument<string[]>("paths") { Description = "Run record files or folders of them (the --records folder of 'run').", Arity = ArgumentArity.OneOrMore };
        var file = new Option<string>("--output", "-o") { Description = "The HTML file to write.", DefaultValueFactory = _ => "report.html" };
        var command = new Command("html", "Render run records as one self-contained HTML file: per scenario satisfaction and pass^k, per run criteria with evidence, a call timeline and the state diff.")
        {
            paths, file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<ScenarioRunDocument> runs;
            try
            {
                runs = ScenarioRunDocument.Load(parse.GetValue(paths)!);
            }
            catch (ScenarioValidationException ex)
            {
                await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            var target = parse.GetValue(file)!;
            if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await File.WriteAllTextAsync(target, ScenarioHtmlReport.Render(runs), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Wrote {target}: {runs.Count} run(s) of {runs.Select(r => r.ScenarioId).Distinct().Count()} scenario(s).").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
