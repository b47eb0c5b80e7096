using System.Text.RegularExpressions;

namespace Archal.Testing.Tests.Packaging;

/// <summary>The README's snippets and commands are the files and commands CI runs.</summary>
public partial class ReadmeTests
{
    private static readonly string Root = RepositoryBuildTests.RepositoryRoot();
    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "README.md"));

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    [Fact]
    public void Quick_start_snippets_are_the_whole_compiled_example_files()
    {
        var snippets = CSharpBlock().Matches(Readme).Select(m => Normalize(m.Groups[1].Value)).ToList();
        var files = new[] { "QuickStart.Xunit", "QuickStart.NUnit" }
            .Select(p => Normalize(File.ReadAllText(Path.Combine(Root, "examples", "QuickStart", p, "GitHubAgentTests.cs"))));

        snippets.Should().Contain(files);
        snippets.Should().AllSatisfy(s => s.Should().StartWith("using ", "a snippet compiles as pasted only with its usings"));
    }

    [Fact]
    public void Every_package_the_readme_installs_is_packed_and_used_by_a_consumer_project()
    {
        var packages = AddPackage().Matches(Readme).Select(m => m.Groups[1].Value).ToList();
        var consumers = string.Concat(Directory.GetFiles(Path.Combine(Root, "tests", "Consumers"), "*.csproj", SearchOption.AllDirectories).Select(File.ReadAllText));

        packages.Should().BeEquivalentTo("Archal.Testing.Xunit", "Archal.Testing.Xunit.v3", "Archal.Testing.NUnit", "Archal.Testing.FluentAssertions");
        foreach (var package in packages)
        {
            File.Exists(Path.Combine(Root, "src", package, package + ".csproj")).Should().BeTrue($"{package} is a project under src/");
            consumers.Should().Contain($"<PackageReference Include=\"{package}\"", $"CI restores {package} from the packed feed");
        }
    }

    [Fact]
    public void The_tool_the_readme_installs_is_the_cli_package_ci_installs()
    {
        var cli = File.ReadAllText(Path.Combine(Root, "src", "Archal.Testing.Cli", "Archal.Testing.Cli.csproj"));
        var ci = File.ReadAllText(Path.Combine(Root, ".ci", "run"));

        Readme.Should().Contain("dotnet tool install --global Archal.Testing.Cli --prerelease");
        cli.Should().Contain("<PackAsTool>true</PackAsTool>").And.Contain("<ToolCommandName>archal-testing</ToolCommandName>");
        ci.Should().Contain("dotnet tool install Archal.Testing.Cli").And.Contain("artifacts/tool/archal-testing run");
    }

    [Fact]
    public void Ci_runs_the_readmes_test_command()
    {
        var ci = File.ReadAllText(Path.Combine(Root, ".ci", "run"));

        Readme.Should().Contain("(cd tests/Archal.Testing.Conformance.Tests/node && npm ci) && dotnet test Archal.Testing.sln");
        ci.Should().Contain("(cd tests/Archal.Testing.Conformance.Tests/node && npm ci").And.Contain("dotnet test Archal.Testing.sln");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"dotnet add package (\S+)")]
    private static partial Regex AddPackage();
}
