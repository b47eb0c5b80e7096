namespace Archal.Testing.Cli.Tests.Support;

/// <summary>
/// The checkout the tests run from: the first folder above the test binaries that holds Archal.Testing.sln. Found from the
/// binaries, not from <c>[CallerFilePath]</c>: deterministic CI builds map source paths to <c>/_/</c>.
/// </summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string?> RootOrNull = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Archal.Testing.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    });

    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">No Archal.Testing.sln above the test binaries.</exception>
    public static string Root => RootOrNull.Value ?? throw new DirectoryNotFoundException("Archal.Testing.sln not found above " + AppContext.BaseDirectory);

    /// <summary>The example scenarios, examples/scenarios.</summary>
    public static string ExampleScenarios => Path.Combine(Root, "examples", "scenarios");

    /// <summary>TestResults/artifacts at the repository root (CI keeps TestResults), else next to the test binaries.</summary>
    public static string Artifacts => RootOrNull.Value is { } root
        ? Path.Combine(root, "TestResults", "artifacts")
        : Path.Combine(AppContext.BaseDirectory, "artifacts");
}
