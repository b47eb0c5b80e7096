using System.Text.Json;
using Archal.Testing.Hosting;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Cli;

/// <summary>
/// <c>run --save-seed PATH</c> and <c>run --replay-seed PATH</c>, as the hosted CLI names them. With one scenario PATH is
/// the seed file (unless it is an existing folder); with several it is a folder holding <c>{scenario-id}.seed.json</c> per
/// scenario. <c>--replay-seed</c> reads the same layout, or one file for every scenario.
/// </summary>
internal sealed class SeedFileOptions
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly Dictionary<string, string> _save = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _replay = new(StringComparer.Ordinal);

    /// <summary>The file a scenario's start state is written to, or null.</summary>
    public string? SavePath(Scenario scenario) => _save.GetValueOrDefault(scenario.Id);

    /// <summary>The seed file a scenario starts from instead of its own seed, or null.</summary>
    public string? ReplayPath(Scenario scenario) => _replay.GetValueOrDefault(scenario.Id);

    /// <summary>Resolves both options for <paramref name="scenarios"/>; a usage problem is one line (the caller exits 2).</summary>
    public static (SeedFileOptions? Options, string? Error) Resolve(string? save, string? replay, string? seed, IReadOnlyList<Scenario> scenarios)
    {
        var options = new SeedFileOptions();
        if (replay is not null)
        {
            if (seed is not null)
            {
                return (null, "--replay-seed and --seed both choose the seed; give one of them.");
            }

            if (Directory.Exists(replay))
            {
                foreach (var scenario in scenarios)
                {
                    var file = Path.Combine(replay, FileName(scenario));
                    if (!File.Exists(file))
                    {
                        return (null, $"--replay-seed: folder '{replay}' has no seed file for scenario '{scenario.Id}' (expected {file}).");
                    }

                    options._replay[scenario.Id] = Path.GetFullPath(file);
                }
            }
            else if (File.Exists(replay))
            {
                if (!ScenarioParser.LooksLikeFile(replay))
                {
                    return (null, $"--replay-seed: '{replay}' is not a seed file: its name must end in .json, .yaml or .yml.");
                }

                foreach (var scenario in scenarios)
                {
                    options._replay[scenario.Id] = Path.GetFullPath(replay);
                }
            }
            else
            {
                return (null, $"--replay-seed: '{replay}' does not exist (give a seed file written by --save-seed, or its folder).");
            }

            foreach (var file in options._replay.Values.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    SeedFile.Load(file);
                }
                catch (ScenarioValidationException ex)
                {
                    return (null, $"--replay-seed: {ex.Message}");
                }
            }
        }

        if (save is not null)
        {
            var folder = Directory.Exists(save) || save.EndsWith(Path.DirectorySeparatorChar) || save.EndsWith(Path.AltDirectorySeparatorChar) || scenarios.Count > 1;
            if (folder && File.Exists(save))
            {
                return (null, $"--save-seed: '{save}' is a file; with {scenarios.Count} scenarios give a folder (each scenario's seed goes to <folder>/<scenario-id>.seed.json).");
            }

            if (!folder && !save.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"--save-seed: '{save}' must end in .json (or name a folder) so that --seed and --replay-seed read it back as a seed file.");
            }

            foreach (var scenario in scenarios)
            {
                options._save[scenario.Id] = Path.GetFullPath(folder ? Path.Combine(save, FileName(scenario)) : save);
            }
        }

        return (options, null);
    }

    private static string FileName(Scenario scenario) => scenario.Id + ".seed.json";

    /// <summary>
    /// The runner's hook that writes the state a scenario's runs start from (seed, seed file and setup applied), from the
    /// first of its runs to start, before its agent runs: every run of a scenario starts from the same world.
    /// </summary>
    public Func<Scenario, int, ArchalSession, CancellationToken, Task>? SaveHook()
    {
        if (_save.Count == 0)
        {
            return null;
        }

        var written = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        return async (scenario, _, session, cancellationToken) =>
        {
            if (SavePath(scenario) is not { } path || !written.TryAdd(scenario.Id, true))
            {
                return;
            }

            var file = await session.ExportSeedFileAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, file.ToJsonString(Indented) + Environment.NewLine, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SaveFailedException($"--save-seed: {ex.Message}", ex);
            }
        };
    }

    /// <summary>A seed file could not be written (the CLI exits 2 with its one-line message).</summary>
    internal sealed class SaveFailedException(string message, Exception inner) : Exception(message, inner);
}
