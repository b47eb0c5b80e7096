using System.Diagnostics;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Tests.Packaging;

/// <summary>How the repository's Directory.Build.props classifies projects, and what the core package depends on.</summary>
public class RepositoryBuildTests
{
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Archal.Testing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Archal.Testing.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Core_package_does_not_depend_on_an_assertion_library()
    {
        var references = typeof(ArchalHost).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        references.Should().NotContain(name => name!.StartsWith("FluentAssertions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_checkout_under_a_path_containing_src_ships_only_its_own_src_projects()
    {
        // A user's ~/src/archal-testing: the absolute path contains /src/, the test project must not become "shipping".
        var checkout = Directory.CreateTempSubdirectory("archal-build-").FullName;
        var root = Path.Combine(checkout, "src", "archal-testing");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "tests", "Sample.Tests"));
            Directory.CreateDirectory(Path.Combine(root, "src", "Sample"));
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
            {
                File.Copy(Path.Combine(RepositoryRoot(), file), Path.Combine(root, file));
            }

            const string project = """<Project Sdk="Microsoft.NET.Sdk" />""";
            await File.WriteAllTextAsync(Path.Combine(root, "tests", "Sample.Tests", "Sample.Tests.csproj"), project);
            await File.WriteAllTextAsync(Path.Combine(root, "src", "Sample", "Sample.csproj"), project);

            var test = await EvaluateAsync(Path.Combine(root, "tests", "Sample.Tests", "Sample.Tests.csproj"));
            var shipped = await EvaluateAsync(Path.Combine(root, "src", "Sample", "Sample.csproj"));

            test["IsPackable"]!.GetValue<string>().Should().Be("false");
            test["GenerateDocumentationFile"]!.GetValue<string>().Should().NotBe("true");
            shipped["IsPackable"]!.GetValue<string>().Should().Be("true");
            shipped["GenerateDocumentationFile"]!.GetValue<string>().Should().Be("true");
            shipped["PackageReadmeFile"]!.GetValue<string>().Should().Be("README.md");
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    private static async Task<JsonObject> EvaluateAsync(string project)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };
        foreach (var arg in new[] { "msbuild", project, "-getProperty:IsPackable", "-getProperty:GenerateDocumentationFile", "-getProperty:PackageReadmeFile" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, "dotnet msbuild printed: {0}{1}", output, error);
        return (JsonObject)JsonNode.Parse(output)!["Properties"]!;
    }
}
