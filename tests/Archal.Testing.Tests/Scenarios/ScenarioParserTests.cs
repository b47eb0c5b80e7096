using Archal.Testing.Scenarios;

namespace Archal.Testing.Tests.Scenarios;

public class ScenarioParserTests
{
    private const string CloseStale = """
        # Close Stale Issues

        ## Setup
        A GitHub repository called "acme/webapp" with 20 open issues.

        ## Prompt
        Find all issues with no activity in the last 90 days and close them with a
        comment explaining why. Do not close issues labelled "keep-open".

        ## Expected Behavior
        The agent closes the remaining 4 with a polite comment.

        ## Success Criteria
        - [D] Exactly 4 issues are closed
        - [D] All closed issues have a new comment
        - [D] Issues with "keep-open" remain open
        - [P] Each closing comment is polite and explains the reason for closure
        - Untagged criteria are judged

        ## Config
        twins: github
        seed: stale-issues
        timeout: 90
        runs: 5
        tags: workflow, github
        model: gpt-4.1
        """;

    [Fact]
    public void Parses_the_hosted_example()
    {
        var scenario = ScenarioParser.Parse(CloseStale, "scenarios/close-stale-issues.md");

        scenario.Id.Should().Be("close-stale-issues");
        scenario.Title.Should().Be("Close Stale Issues");
        scenario.Setup.Should().Be("A GitHub repository called \"acme/webapp\" with 20 open issues.");
        scenario.Prompt.Should().StartWith("Find all issues").And.EndWith("labelled \"keep-open\".");
        scenario.ExpectedBehavior.Should().Be("The agent closes the remaining 4 with a polite comment.");
        scenario.Criteria.Select(c => (c.Kind, c.Text, c.Line)).Should().Equal(
            (CriterionKind.Deterministic, "Exactly 4 issues are closed", 14),
            (CriterionKind.Deterministic, "All closed issues have a new comment", 15),
            (CriterionKind.Deterministic, "Issues with \"keep-open\" remain open", 16),
            (CriterionKind.Probabilistic, "Each closing comment is polite and explains the reason for closure", 17),
            (CriterionKind.Probabilistic, "Untagged criteria are judged", 18));
        scenario.Config.Clones.Should().Equal("github");
        scenario.Config.Seed.Should().Be("stale-issues");
        scenario.Config.Timeout.Should().Be(TimeSpan.FromSeconds(90));
        scenario.Config.Runs.Should().Be(5);
        scenario.Config.Tags.Should().Equal("workflow", "github");
        scenario.Config.Model.Should().Be("gpt-4.1");
    }

    [Fact]
    public void Task_and_Checks_are_aliases_and_per_clone_seeds_and_seed_files_are_read()
    {
        var scenario = ScenarioParser.Parse("""
            # Two clones
            ## Task
            Do it.
            ## Checks
            - [D] The run exits successfully
            ## Config
            clones: github, slack
            seed: github: stale-issues, slack: incident-active
            """);
        var withFile = ScenarioParser.Parse("# T\n## Prompt\nx\n## Checks\n- [D] The run exits successfully\n## Config\nclones: github\nseed: ../seeds/acme.yaml\n");

        scenario.Id.Should().Be("two-clones");
        scenario.Prompt.Should().Be("Do it.");
        scenario.Config.Clones.Should().Equal("github", "slack");
        scenario.Config.CloneSeeds.Should().BeEquivalentTo(new Dictionary<string, string> { ["github"] = "stale-issues", ["slack"] = "incident-active" });
        withFile.Config.SeedFile.Should().Be("../seeds/acme.yaml");
    }

    [Theory]
    [InlineData("## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\n", 1, "missing '# Title' heading")]
    [InlineData("# T\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\n", 0, "missing '## Prompt' (or '## Task') section")]
    [InlineData("# T\n## Prompt\nx\n## Config\nclones: github\n", 0, "missing '## Success Criteria' (or '## Checks') section")]
    [InlineData("# T\n## Prompt\nx\n## Sucess Criteria\n- [D] x\n", 4, "unknown section '## Sucess Criteria'")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\nrun: 3\n", 8, "unknown config key 'run'")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\nruns: many\n", 8, "runs must be a positive whole number; got 'many'")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n## Config\nclones: github\ntimeout: -5\n", 8, "timeout must be a positive whole number of seconds")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\n- [X] The run exits successfully\n## Config\nclones: github\n", 5, "unknown criterion tag")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\n- [D] The answer is nice\n## Config\nclones: github\n", 5, "cannot be read by the deterministic grammar")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\n- [D] The run exits successfully\n", 0, "no clones: add '## Config'")]
    [InlineData("# T\n## Prompt\nx\n## Success Criteria\nnot a bullet\n## Config\nclones: github\n", 5, "is not a criterion")]
    public void Invalid_files_name_the_file_line_and_problem(string markdown, int line, string problem)
    {
        var act = () => ScenarioParser.Parse(markdown, "bad.md");

        var error = act.Should().Throw<ScenarioValidationException>().Which;
        error.File.Should().Be("bad.md");
        error.Line.Should().Be(line);
        error.Problem.Should().Contain(problem);
        error.Message.Should().StartWith(line > 0 ? $"bad.md:{line}: " : "bad.md: ");
    }
}
