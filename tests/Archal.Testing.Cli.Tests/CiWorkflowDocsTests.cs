using System.Text;
using System.Text.RegularExpressions;
using Archal.Testing.Cli;
using Archal.Testing.Cli.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Archal.Testing.Cli.Tests;

/// <summary>The CI workflows in docs/ are files a test holds to: they parse, the docs copy them verbatim, and every archal-testing command in them parses against the CLI.</summary>
public partial class CiWorkflowDocsTests
{
    public static TheoryData<string> Workflows => new() { "docs/ci/github-actions.yml", "docs/ci/azure-pipelines.yml" };

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryPaths.Root, file))));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>Every <c>run:</c> (GitHub) and <c>script:</c> (Azure) value in the document.</summary>
    private static IEnumerable<string> Scripts(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(pair =>
            pair.Key is YamlScalarNode { Value: "run" or "script" } && pair.Value is YamlScalarNode { Value: { } script } ? [script] : Scripts(pair.Value)),
        YamlSequenceNode list => list.Children.SelectMany(Scripts),
        _ => [],
    };

    [GeneratedRegex(@"\$\{\{[^}]*\}\}|\$\([^)]*\)")]
    private static partial Regex CiExpression();

    /// <summary>Splits a shell command line into words (quotes, no expansion); stops at a redirection or <c>||</c>.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null; else word.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0 || any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0 || any) words.Add(word.ToString());
        var end = words.FindIndex(w => w is ">" or "||" or "&&" or "|");
        return end < 0 ? words : words[..end];
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Workflow_parses_and_the_docs_copy_it_verbatim(string file)
    {
        var root = Load(file);
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "scenarios-at-scale.md"));

        root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Should().Contain("jobs");
        var marker = $"<!-- file: {file} -->\n```yaml\n";
        doc.Should().Contain(marker);
        var start = doc.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)].Should().Be(File.ReadAllText(Path.Combine(RepositoryPaths.Root, file)));
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Every_archal_testing_command_in_the_workflow_exists_in_the_cli(string file)
    {
        var commands = Scripts(Load(file))
            .SelectMany(script => script.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("archal-testing ", StringComparison.Ordinal))
            .Select(line => Words(CiExpression().Replace(line, "1"))[1..])
            .ToList();

        commands.Select(c => string.Join(' ', c.TakeWhile(w => !w.StartsWith('-')).Take(2))).Should()
            .Contain(["run scenarios", "report html", "report merge"], "the workflow shards, renders and merges");
        foreach (var args in commands)
        {
            var parse = ArchalCli.CreateRoot(TextWriter.Null).Parse(args);
            parse.Errors.Should().BeEmpty($"'archal-testing {string.Join(' ', args)}' must be a valid command line");
            if (args.IndexOf("--shard") is >= 0 and var at)
            {
                FluentActions.Invoking(() => Archal.Testing.Scenarios.ScenarioShard.Parse(args[at + 1])).Should().NotThrow();
            }
        }
    }
}
