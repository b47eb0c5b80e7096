using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests;

/// <summary>docs/clones/{clone}-operations.md is generated from each clone's operation table and must not go stale.</summary>
public class CoveragePageTests
{
    public static TheoryData<string> Clones => [.. BuiltInClones.Create().Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(Clones))]
    public void CoveragePage_matches_the_operation_table(string cloneId)
    {
        var clone = BuiltInClones.Create().Single(c => c.Id == cloneId);
        var path = Path.Combine(RepositoryRoot(), "docs", "clones", $"{cloneId}-operations.md");
        var expected = CloneCoveragePage.Render(clone);
        if (Environment.GetEnvironmentVariable("ARCHAL_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        File.Exists(path).Should().BeTrue($"{path} is generated from the operation table");
        File.ReadAllText(path).ReplaceLineEndings("\n").Should().Be(expected,
            "the page is stale: regenerate it with ARCHAL_UPDATE_DOCS=1 dotnet test --filter CoveragePage");
    }

    [Theory]
    [MemberData(nameof(Clones))]
    public void Operation_ids_and_routes_are_unique(string cloneId)
    {
        var clone = BuiltInClones.Create().Single(c => c.Id == cloneId);

        clone.Operations.Select(o => $"{o.Method} {o.Template}").Should().OnlyHaveUniqueItems();
        clone.Operations.Should().OnlyContain(o => o.Summary.Length > 0 && o.DocUrl != null);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Archal.Testing.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Archal.Testing.sln not found above " + AppContext.BaseDirectory);
    }
}
