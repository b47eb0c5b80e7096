using System.Globalization;
using System.Text.Json;
using Archal.Testing.Scenarios;
using Spectre.Console;

namespace Archal.Testing.Cli;

/// <summary>How <c>run</c> and <c>report merge</c> print results and turn them into an exit code (one implementation for both).</summary>
internal static class ResultsTable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A console over <paramref name="output"/>: colours on a real terminal, plain 160-column text otherwise (redirected or captured).</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var real = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = real ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = real ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!real)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    /// <summary>
    /// Writes the results in <paramref name="format"/> (terminal, json or junit) and returns the exit code: 0 at or
    /// above the threshold, 1 below. Without a threshold, 1 only when every run failed (never exit 0 for that).
    /// </summary>
    public static async Task<int> ReportAsync(IAnsiConsole console, TextWriter output, IReadOnlyList<ScenarioResult> results, string format, double? threshold, string recordsNote)
    {
        var report = ScenarioReport.ToJson(results);
        switch (format)
        {
            case "json":
                await output.WriteLineAsync(report.ToJsonString(Indented)).ConfigureAwait(false);
                break;
            case "junit":
                await output.WriteLineAsync(ScenarioReport.ToJUnit(results).ToString()).ConfigureAwait(false);
                break;
            default:
                Write(console, results, recordsNote);
                break;
        }

        var satisfaction = report["satisfaction"]!.GetValue<double>();
        if (threshold is null)
        {
            if (results.Count > 0 && results.All(r => r.Runs.All(run => !run.Passed)))
            {
                if (format == "terminal")
                {
                    console.MarkupLine("[red]Every run failed.[/]");
                }

                return 1;
            }

            return 0;
        }

        if (satisfaction < threshold)
        {
            if (format == "terminal")
            {
                console.MarkupLine($"[red]Satisfaction {satisfaction.ToString("0.#", CultureInfo.InvariantCulture)}% is below the pass threshold {threshold.Value.ToString("0.#", CultureInfo.InvariantCulture)}%.[/]");
            }

            return 1;
        }

        return 0;
    }

    /// <summary>The results table: per scenario each criterion's passes and pass^k, then satisfaction.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<ScenarioResult> results, string recordsNote)
    {
        var table = new Table().AddColumns("Scenario", "Criterion", "Passed", "pass^k");
        foreach (var result in results)
        {
            var first = true;
            foreach (var criterion in result.Criteria)
            {
                table.AddRow(
                    first ? Markup.Escape(result.Scenario.Id) : "",
                    Markup.Escape(criterion.Criterion.ToString()),
                    criterion.NotJudged ? "[grey]not judged[/]" : $"{criterion.Passed}/{criterion.Runs}",
                    criterion.NotJudged ? "[grey]-[/]" : criterion.PassAllRuns ? "[green]yes[/]" : "[red]no[/]");
                first = false;
            }

            table.AddRow("", $"[bold]satisfaction {result.Satisfaction.ToString("0.#", CultureInfo.InvariantCulture)}%[/]",
                $"{result.PassedPairs}/{result.EvaluatedPairs}", result.Passed ? "[green]yes[/]" : "[red]no[/]");
        }

        console.Write(table);
        var pairs = results.Sum(r => r.EvaluatedPairs);
        var total = pairs == 0 ? 0 : 100.0 * results.Sum(r => r.PassedPairs) / pairs;
        console.MarkupLine($"[bold]Overall satisfaction {total.ToString("0.#", CultureInfo.InvariantCulture)}%[/] over {results.Count} scenario(s); " +
            $"pass^k {(results.All(r => r.Passed) ? "[green]yes[/]" : "[red]no[/]")}. {Markup.Escape(recordsNote)}");
    }
}
