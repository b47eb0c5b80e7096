namespace Archal.Testing.Scenarios;

/// <summary>Finds scenario files for test-framework data sources.</summary>
public static class ScenarioFiles
{
    /// <summary>
    /// Resolves a scenario file or folder: as given, then against the test output folder, then against each
    /// parent of it (so <c>examples/scenarios</c> works from <c>bin/Debug/net10.0</c> without copying files).
    /// </summary>
    /// <exception cref="ScenarioValidationException">Nothing exists at the path.</exception>
    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Path.IsPathRooted(path))
        {
            return Exists(path) ? path : throw new ScenarioValidationException(path, 0, "no scenario file or folder here.");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, path);
                if (Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new ScenarioValidationException(path, 0, $"no scenario file or folder found here, under {AppContext.BaseDirectory} or any folder above it.");
    }

    /// <summary>The scenario files at a path: the file itself, or every <c>*.md</c> (not README.md) under a folder, sorted.</summary>
    public static IReadOnlyList<string> Find(string path)
    {
        var resolved = Resolve(path);
        return File.Exists(resolved) ? [resolved] : ScenarioParser.FindFiles(resolved);
    }

    /// <summary>
    /// The scenario files at a path that have at least one run in <paramref name="shard"/> (by each file's <c>runs:</c>); all of
    /// them when <paramref name="shard"/> is null. A file that does not parse is kept, so its test reports the problem.
    /// </summary>
    public static IReadOnlyList<string> Find(string path, ScenarioShard? shard)
    {
        var files = Find(path);
        if (shard is null)
        {
            return files;
        }

        return [.. files.Where(file =>
        {
            try
            {
                var scenario = ScenarioParser.ParseFile(file);
                return shard.ContainsAny(scenario.Id, scenario.Config.Runs);
            }
            catch (ScenarioValidationException)
            {
                return true;
            }
        })];
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
