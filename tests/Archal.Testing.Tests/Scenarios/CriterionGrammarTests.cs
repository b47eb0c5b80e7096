using System.Text.Json.Nodes;
using Archal.Testing.Scenarios;

namespace Archal.Testing.Tests.Scenarios;

public class CriterionGrammarTests
{
    // Hand-built snapshots: acme/webapp with 4 stale issues (2 labelled keep-open) and one already-closed issue.
    private static readonly JsonObject InitialGitHub = JsonNode.Parse("""
        {
          "repo": [{ "full_name": "acme/webapp", "owner": "acme", "name": "webapp", "private": false }],
          "label": [{ "repo": "acme/webapp", "name": "keep-open" }],
          "issue": [
            { "repo": "acme/webapp", "number": 1, "title": "Old bug", "state": "open", "labels": ["bug"], "comments": 0, "pull_request": null },
            { "repo": "acme/webapp", "number": 2, "title": "Old idea", "state": "open", "labels": [], "comments": 0, "pull_request": null },
            { "repo": "acme/webapp", "number": 3, "title": "Pinned", "state": "open", "labels": ["keep-open"], "comments": 0, "pull_request": null },
            { "repo": "acme/webapp", "number": 4, "title": "Roadmap", "state": "open", "labels": [{ "name": "keep-open" }], "comments": 0, "pull_request": null },
            { "repo": "acme/webapp", "number": 5, "title": "Done long ago", "state": "closed", "labels": [], "comments": 0, "pull_request": null },
            { "repo": "acme/webapp", "number": 6, "title": "Add CI", "state": "open", "labels": [], "pull_request": { "merged_at": null } },
            { "repo": "acme/webapp", "number": 7, "title": "Bump deps", "state": "open", "labels": [], "is_pull_request": true }
          ],
          "pull_request": [{ "repo": "acme/webapp", "number": 7, "head": "deps", "base": "main", "merged": false, "merged_at": null }],
          "comment": []
        }
        """)!.AsObject();

    private static JsonObject FinalGitHub(bool closeKeepOpen = false, bool comment = true)
    {
        var final = InitialGitHub.DeepClone().AsObject();
        var issues = final["issue"]!.AsArray();
        issues[0]!["state"] = "closed";
        issues[1]!["state"] = "closed";
        if (closeKeepOpen)
        {
            issues[2]!["state"] = "closed";
        }

        issues[5]!["pull_request"]!["merged_at"] = "2026-01-01T00:00:00Z";
        issues[6]!["state"] = "closed";
        final["pull_request"]![0]!["merged"] = true;
        if (comment)
        {
            final["comment"] = JsonNode.Parse("""
                [{ "id": 9001, "repo": "acme/webapp", "issue_number": 1, "body": "Closing: stale", "user": "octocat" },
                 { "id": 9002, "repo": "acme/webapp", "issue_number": 2, "body": "Closing: stale", "user": "octocat" }]
                """);
        }

        final["label"]!.AsArray().Add(new JsonObject { ["repo"] = "acme/webapp", ["name"] = "stale" });
        return final;
    }

    private static readonly JsonObject InitialSlack = JsonNode.Parse("""
        {
          "channel": [{ "id": "C1", "name": "incidents" }, { "id": "C2", "name": "general" }],
          "message": [{ "channel": "C2", "ts": "1.0", "user": "U1", "text": "hello" }]
        }
        """)!.AsObject();

    private static JsonObject FinalSlack(string channel = "C1")
    {
        var final = InitialSlack.DeepClone().AsObject();
        final["message"]!.AsArray().Add(new JsonObject { ["channel"] = channel, ["ts"] = "2.0", ["user"] = "UBOT", ["text"] = "INC-42: database down" });
        final["message"]![0]!["reactions"] = new JsonArray(new JsonObject { ["name"] = "eyes", ["users"] = new JsonArray("UBOT"), ["count"] = 1 });
        final["pin"] = new JsonArray(new JsonObject { ["channel"] = channel, ["ts"] = "2.0", ["created_by"] = "UBOT" });
        return final;
    }

    private static readonly JsonObject InitialStripe = JsonNode.Parse("""
        {
          "customer": [{ "id": "cus_1", "email": "jane@example.com", "name": "Jane" }, { "id": "cus_2", "email": "bob@example.com", "name": "Bob" }],
          "charge": [
            { "id": "ch_1", "customer": "cus_1", "amount": 2000, "amount_refunded": 0, "refunded": false, "status": "succeeded", "description": "Order 1" },
            { "id": "ch_2", "customer": "cus_1", "amount": 2000, "amount_refunded": 0, "refunded": false, "status": "succeeded", "description": "Order 1 (duplicate)" },
            { "id": "ch_3", "customer": "cus_2", "amount": 500, "amount_refunded": 0, "refunded": false, "status": "succeeded", "description": "Other" }
          ],
          "refund": []
        }
        """)!.AsObject();

    private static JsonObject FinalStripe(string chargeId = "ch_2")
    {
        var final = InitialStripe.DeepClone().AsObject();
        var charge = final["charge"]!.AsArray().OfType<JsonObject>().First(c => c["id"]!.GetValue<string>() == chargeId);
        charge["refunded"] = true;
        charge["amount_refunded"] = charge["amount"]!.GetValue<int>();
        final["refund"]!.AsArray().Add(new JsonObject { ["id"] = "re_1", ["charge"] = chargeId, ["amount"] = 2000, ["status"] = "succeeded" });
        return final;
    }

    private static CriterionOutcome Evaluate(string criterion, JsonObject? github = null, JsonObject? slack = null, JsonObject? stripe = null,
        bool exited = true, int toolCalls = 5)
    {
        var (check, error) = CriterionGrammar.Parse(criterion);
        error.Should().BeNull();
        var initial = new Dictionary<string, JsonObject> { ["github"] = InitialGitHub, ["slack"] = InitialSlack, ["stripe"] = InitialStripe };
        var final = new Dictionary<string, JsonObject>
        {
            ["github"] = github ?? FinalGitHub(),
            ["slack"] = slack ?? FinalSlack(),
            ["stripe"] = stripe ?? FinalStripe(),
        };
        return DeterministicEvaluator.Evaluate(check!, new EvaluationInput(initial, final, exited, exited ? null : "exit code 1", toolCalls,
            new Dictionary<string, int> { ["github"] = toolCalls }));
    }

    [Theory]
    [InlineData("Exactly 3 issues are closed", true)] // 2 closed by the agent + 1 closed before
    [InlineData("Exactly 2 issues were closed", true)] // closed during the run
    [InlineData("Exactly 4 issues were closed", false)]
    [InlineData("At least 1 comment was posted", true)]
    [InlineData("At least 3 comments were posted", false)]
    [InlineData("At most 2 comments were posted", true)]
    [InlineData("Fewer than 2 comments were posted", false)]
    [InlineData("2 comments were posted", true)]
    [InlineData("Two issues were closed", true)]
    [InlineData("2 pull requests were merged", true)]
    [InlineData("Exactly 2 PRs are merged", true)]
    [InlineData("The pull request titled \"Bump deps\" was merged", true)]
    [InlineData("Exactly 2 pull requests were closed", false)]
    [InlineData("All closed issues have a new comment", true)]
    [InlineData("Issues with \"keep-open\" remain open", true)]
    [InlineData("Issues with label \"keep-open\" remain open", true)]
    [InlineData("Issues labelled \"keep-open\" are open", true)]
    [InlineData("No issues with label \"keep-open\" were closed", true)]
    [InlineData("None of the issues labelled \"keep-open\" were closed", true)]
    [InlineData("Zero issues without label \"keep-open\" remain open", true)]
    [InlineData("The issue titled \"Old bug\" is closed", true)]
    [InlineData("The issue titled \"Pinned\" is closed", false)]
    [InlineData("The issue #1 is closed", true)]
    [InlineData("Issue #3 is closed", false)]
    [InlineData("The pull request #7 was merged", true)]
    [InlineData("An issue titled \"Old idea\" exists", true)]
    [InlineData("An issue titled \"hello world\" exists", false)]
    [InlineData("A label named \"stale\" exists", true)]
    [InlineData("A label named \"stale\" was created", true)]
    [InlineData("The repository acme/webapp exists", true)]
    [InlineData("Exactly 2 issues in acme/webapp were closed with a new comment", true)]
    public void GitHub_criteria_evaluate_against_snapshots(string criterion, bool expected)
    {
        var outcome = Evaluate(criterion);

        outcome.Passed.Should().Be(expected, outcome.Evidence);
    }

    [Fact]
    public void Closing_a_keep_open_issue_fails_the_keep_open_criterion_with_evidence()
    {
        var outcome = Evaluate("Issues with label \"keep-open\" remain open", github: FinalGitHub(closeKeepOpen: true));

        outcome.Passed.Should().BeFalse();
        outcome.Evidence.Should().Be("1 of 2 matching issues do not: acme/webapp#3 \"Pinned\" (closed)");
    }

    [Fact]
    public void Closed_issues_without_a_new_comment_fail_the_comment_criterion()
    {
        var outcome = Evaluate("All closed issues have a new comment", github: FinalGitHub(comment: false));

        outcome.Passed.Should().BeFalse();
        outcome.Evidence.Should().StartWith("2 of 2 matching issues do not");
    }

    [Fact]
    public void Count_evidence_lists_what_was_found_and_what_was_expected()
    {
        var outcome = Evaluate("Exactly 4 issues were closed");

        outcome.Evidence.Should().Be("found 2 matching issues: acme/webapp#1 \"Old bug\" (closed); acme/webapp#2 \"Old idea\" (closed); expected exactly 4");
    }

    [Theory]
    [InlineData("At least 1 message was posted in #incidents", "C1", true)]
    [InlineData("At least 1 message was posted in #incidents", "C2", false)]
    [InlineData("Zero messages were sent to channels other than #incidents", "C1", true)]
    [InlineData("Zero messages were sent to channels other than #incidents", "C2", false)]
    [InlineData("A message containing \"INC-42\" was posted in #incidents", "C1", true)]
    [InlineData("Exactly 1 message in #incidents mentions \"database\"", "C1", true)]
    [InlineData("No messages were posted outside #incidents", "C1", true)]
    [InlineData("Exactly 1 reaction was added", "C1", true)]
    [InlineData("A reaction named \"eyes\" was added in #general", "C1", true)]
    [InlineData("A reaction named \"tada\" exists", "C1", false)]
    [InlineData("Exactly 1 message in #incidents is pinned", "C1", true)]
    [InlineData("Exactly 1 message in #incidents is pinned", "C2", false)]
    public void Slack_criteria_evaluate_against_snapshots(string criterion, string channel, bool expected)
    {
        var outcome = Evaluate(criterion, slack: FinalSlack(channel));

        outcome.Passed.Should().Be(expected, outcome.Evidence);
    }

    [Theory]
    [InlineData("Exactly 1 charge was refunded", "ch_2", true)]
    [InlineData("Exactly 1 refund was created for customer jane@example.com", "ch_2", true)]
    [InlineData("Exactly 1 refund was created for customer bob@example.com", "ch_2", false)]
    [InlineData("The charge with description \"Order 1 (duplicate)\" is refunded", "ch_2", true)]
    [InlineData("The charge with description \"Order 1 (duplicate)\" is refunded", "ch_1", false)]
    [InlineData("The charge with description \"Order 1\" is not refunded", "ch_2", true)]
    [InlineData("No charges for customer bob@example.com were refunded", "ch_2", true)]
    [InlineData("No charges for customer cus_1 were refunded", "ch_2", false)]
    [InlineData("Exactly 1 refund for charge ch_2 exists", "ch_2", true)]
    public void Stripe_criteria_evaluate_against_snapshots(string criterion, string refunded, bool expected)
    {
        var outcome = Evaluate(criterion, stripe: FinalStripe(refunded));

        outcome.Passed.Should().Be(expected, outcome.Evidence);
    }

    [Fact]
    public void Numbers_built_in_memory_compare_like_parsed_ones()
    {
        var stripe = InitialStripe.DeepClone().AsObject();
        stripe["charge"]![2]!["amount_refunded"] = 200; // an in-memory int, as clones' snapshots hold

        Evaluate("Exactly 1 charge is partially refunded", stripe: stripe).Passed.Should().BeTrue();
    }

    [Theory]
    [InlineData("The run exits successfully", true, 5, true)]
    [InlineData("The run exits successfully", false, 5, false)]
    [InlineData("The agent completed without errors", true, 5, true)]
    [InlineData("Fewer than 30 tool calls were made", true, 29, true)]
    [InlineData("Fewer than 30 tool calls were made", true, 30, false)]
    [InlineData("At most 10 API calls were made", true, 10, true)]
    [InlineData("The agent made fewer than 5 tool calls", true, 4, true)]
    [InlineData("At least 1 tool call was made to github", true, 1, true)]
    public void Run_and_trace_criteria(string criterion, bool exited, int toolCalls, bool expected)
    {
        var outcome = Evaluate(criterion, exited: exited, toolCalls: toolCalls);

        outcome.Passed.Should().Be(expected, outcome.Evidence);
    }

    [Fact]
    public void Tool_call_evidence_gives_the_count_per_clone()
    {
        Evaluate("Fewer than 30 tool calls were made", toolCalls: 31).Evidence
            .Should().Be("31 tool calls were made (github: 31); expected fewer than 30");
    }

    [Theory]
    [InlineData("The agent is polite", "'agent' is not understood here")]
    [InlineData("Exactly 4 widgets are closed", "'widgets' is not understood here")]
    [InlineData("Exactly 4 issues are frobnicated", "'frobnicated' is not understood here")]
    [InlineData("Messages are labelled \"x\"", "messages have no labels")]
    [InlineData("Exactly issues are closed", "'issues' is not understood here (expected a number)")]
    public void Unreadable_criteria_are_errors_that_say_why_and_suggest_the_nearest_form(string criterion, string reason)
    {
        var (check, error) = CriterionGrammar.Parse(criterion);

        check.Should().BeNull();
        error.Should().StartWith($"[D] criterion \"{criterion}\" cannot be read by the deterministic grammar: ")
            .And.Contain(reason).And.Contain("Nearest supported form: \"").And.EndWith("Rephrase it, or tag it [P] to have it judged.");
    }

    [Fact]
    public void Nearest_form_for_a_misspelt_count_is_the_count_example()
    {
        CriterionGrammar.Nearest("Exactley 4 issues are closed").Should().Be("Exactly 4 issues are closed");
    }

    [Fact]
    public void A_criterion_about_a_clone_the_session_lacks_fails_and_says_so()
    {
        var (check, _) = CriterionGrammar.Parse("Exactly 1 charge was refunded");
        var empty = new Dictionary<string, JsonObject>();

        var outcome = DeterministicEvaluator.Evaluate(check!, new EvaluationInput(empty, empty, true, null, 0, new Dictionary<string, int>()));

        outcome.Passed.Should().BeFalse();
        outcome.Evidence.Should().Contain("no stripe clone");
    }
}
