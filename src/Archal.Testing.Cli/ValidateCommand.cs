using System.CommandLine;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli;

/// <summary>
/// <c>archal-testing validate &lt;files…&gt;</c>: checks scenario <c>.md</c> files and seed <c>.json</c>/<c>.yaml</c> files
/// against the published schemas and the parsers (a scenario's seed file with it). Prints <c>ok &lt;file&gt;</c> or one <c>&lt;file&gt;: &lt;path&gt;: &lt;problem&gt;</c>
/// line per problem; exit 0 when every file is valid, 2 when any is invalid or unreadable.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output)
    {
        var files = new Argument<string[]>("files") { Description = "Scenario .md files and seed .json/.yaml/.yml files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check scenario and seed files against their schemas; exit 2 if any is invalid.") { files };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var invalid = false;
            foreach (var file in parse.GetValue(files)!)
            {
                var problems = Check(file);
                invalid |= problems.Count > 0;
                foreach (var line in problems.Count == 0 ? [$"ok {file}"] : problems.Select(p => $"{file}: {p}"))
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return invalid ? 2 : 0;
        });
        return command;
    }

    /// <summary>Each problem as <c>&lt;path&gt;: &lt;problem&gt;</c> (a JSON Pointer, or <c>line N</c>); empty when the file is valid.</summary>
    internal static List<string> Check(string file)
    {
        try
        {
            if (!File.Exists(file))
            {
                return ["file not found"];
            }

            if (file.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                // The seed file a scenario names (relative to the scenario, as the runner reads it) is checked with it.
                var seedFile = ScenarioParser.ParseFile(file).Config.SeedFile;
                return seedFile is null ? []
                    : [.. Check(Path.IsPathRooted(seedFile) ? seedFile : Path.Combine(Path.GetDirectoryName(file) ?? "", seedFile))
                        .Select(problem => $"/seed: {seedFile}: {problem}")];
            }

            if (!ScenarioParser.LooksLikeFile(file))
            {
                return ["not a scenario (.md) or seed file (.json, .yaml, .yml)"];
            }

            var yaml = !file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
            var schemaProblems = SeedFile.CheckSchema(File.ReadAllText(file), yaml, file);
            if (schemaProblems.Count > 0)
            {
                return [.. schemaProblems.Select(p => p.ToString())];
            }

            SeedFile.Load(file);
            return [];
        }
        catch (ScenarioValidationException ex)
        {
            return [Describe(ex)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [$"cannot read: {ex.Message}"];
        }
    }

    private static string Describe(ScenarioValidationException ex)
    {
        if (ex.Pointer is { } pointer)
        {
            var at = pointer.Length == 0 ? "/" : pointer;
            var problem = ex.Problem.EndsWith($" (at {at})", StringComparison.Ordinal) ? ex.Problem[..^$" (at {at})".Length] : ex.Problem;
            return $"{at}: {problem}{(ex.Line > 0 ? $" (line {ex.Line})" : "")}";
        }

        return ex.Line > 0 ? $"line {ex.Line}: {ex.Problem}" : ex.Problem;
    }
}
