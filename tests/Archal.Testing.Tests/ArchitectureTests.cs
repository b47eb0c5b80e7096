using System.Text.RegularExpressions;

namespace Archal.Testing.Tests;

/// <summary>
/// Dependencies inside Archal.Testing point one way (DESIGN.md): Hosting composes ControlPlane, Runtime, Mcp, Tracing
/// and Events; Mcp → Runtime → ControlPlane → Tracing, Events; Scenarios uses only the public session API. No part
/// reaches back. Events (webhook delivery) knows only the clone contract: a session owns one, clones send through it.
/// </summary>
public partial class ArchitectureTests
{
    [Theory]
    [InlineData("ControlPlane", "Hosting", "Runtime", "Scenarios", "Mcp")]
    [InlineData("Tracing", "Hosting", "ControlPlane", "Runtime", "Scenarios", "Mcp", "Events")]
    [InlineData("Events", "Hosting", "ControlPlane", "Runtime", "Scenarios", "Mcp")]
    [InlineData("Runtime", "Hosting", "Scenarios", "Mcp")]
    [InlineData("Mcp", "Hosting", "Scenarios")]
    [InlineData("Scenarios", "ControlPlane", "Runtime", "Mcp")]
    public void A_folder_does_not_reach_back(string folder, params string[] forbidden)
    {
        var root = Path.Combine(RepositoryRoot(), "src", "Archal.Testing", folder);
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var code = CommentLine().Replace(File.ReadAllText(file), "");
            offenders.AddRange(forbidden
                .Where(f => code.Contains($"Archal.Testing.{f}", StringComparison.Ordinal) || Regex.IsMatch(code, $@"(?<![\w.]){f}\.\w"))
                .Select(f => $"{Path.GetFileName(file)} → {f}"));
        }

        offenders.Should().BeEmpty();
    }

    [Fact]
    public void The_harness_names_no_clone()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "Archal.Testing");
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Regex.IsMatch(CommentLine().Replace(File.ReadAllText(f), ""), @"\b(GitHub|Slack|Stripe)(Clone|State|Seeds|Vocabulary)\b"))
            .Select(Path.GetFileName);

        offenders.Should().BeEmpty("clone knowledge comes through the clone contract");
    }

    [GeneratedRegex(@"^\s*///?.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();

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
