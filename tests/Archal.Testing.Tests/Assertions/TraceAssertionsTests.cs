using Archal.Testing.FluentAssertions;
using Archal.Testing.Hosting;
using Archal.Testing.Tests.Support;
using Xunit.Sdk;

namespace Archal.Testing.Tests.Assertions;

public class TraceAssertionsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private async Task<ArchalSession> SessionAsync()
    {
        // Only the test clone: messages must not depend on a real clone's operation names.
        var session = await fixture.Host.CreateSessionAsync(new SessionRequest("echo"));
        using var echo = session.CreateClient("echo");
        (await echo.GetAsync("echo")).Dispose();
        (await echo.PostAsync("notes/a", new StringContent("""{"title":"first"}"""))).Dispose();
        (await echo.PostAsync("notes/b?draft=yes", new StringContent("""{"title":"second"}"""))).Dispose();
        (await echo.GetAsync("echo")).Dispose();
        return session;
    }

    private static string Calls(ArchalSession s) => string.Join(Environment.NewLine,
        $"  #1 echo GET /echo → 200 (echo/get)",
        $"  #2 echo POST /notes/a → 201 (notes/put)",
        $"  #3 echo POST /notes/b?draft=yes → 201 (notes/put)",
        $"  #4 echo GET /echo → 200 (echo/get)");

    [Fact]
    public async Task Contain_call_matches_templates_paths_and_operations()
    {
        await using var session = await SessionAsync();

        session.Trace.Should().ContainCall("echo", "POST /notes/{key}").Exactly(2);
        session.Trace.Should().ContainCall("echo", "POST /notes/{anyName}").AtLeast(2).And.ContainCall("echo", "GET /echo").Exactly(2);
        session.Trace.Should().ContainCall("echo", "POST /notes/b").Once();
        session.Trace.Should().ContainCall("echo", "notes/put").AtMost(2);
        session.Trace.Should().ContainCall("echo", "notes/put").WithBody(b => b?["title"]?.GetValue<string>() == "second").Which.Path.Should().Be("/notes/b");
        session.Trace.Should().ContainCall("echo", "notes/put").WithQuery("draft", "yes").Once();
    }

    [Fact]
    public async Task Missing_call_lists_the_calls_that_happened()
    {
        await using var session = await SessionAsync();

        var act = () => session.Trace.Should().ContainCall("echo", "DELETE /notes/{key}", "the agent must clean up");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected trace to contain a call to echo \"DELETE /notes/{key}\" because the agent must clean up, but found none among 4 call(s):"
            + Environment.NewLine + Calls(session));
    }

    [Fact]
    public async Task Wrong_count_lists_the_matching_calls()
    {
        await using var session = await SessionAsync();

        var act = () => session.Trace.Should().ContainCall("echo", "GET /echo").Exactly(1);

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected trace to contain exactly 1 call(s) to echo \"GET /echo\", but found 2:" + Environment.NewLine
            + "  #1 echo GET /echo → 200 (echo/get)" + Environment.NewLine
            + "  #4 echo GET /echo → 200 (echo/get)");
    }

    [Fact]
    public async Task Minefield_call_fails_with_the_offending_calls()
    {
        await using var session = await SessionAsync();

        var act = () => session.Trace.Should().NotContainCall("echo", "POST /notes/{key}");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected trace not to contain a call to echo \"POST /notes/{key}\", but found 2:" + Environment.NewLine
            + "  #2 echo POST /notes/a → 201 (notes/put)" + Environment.NewLine
            + "  #3 echo POST /notes/b?draft=yes → 201 (notes/put)");
    }

    [Fact]
    public async Task Body_filter_that_matches_nothing_says_so()
    {
        await using var session = await SessionAsync();

        var act = () => session.Trace.Should().ContainCall("echo", "notes/put").WithBody(b => b?["title"]?.GetValue<string>() == "third", "title \"third\"");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected trace to contain a call to echo \"notes/put\" with title \"third\", but none of the 2 matching call(s) had it:" + Environment.NewLine
            + "  #2 echo POST /notes/a → 201 (notes/put)" + Environment.NewLine
            + "  #3 echo POST /notes/b?draft=yes → 201 (notes/put)");
    }

    [Fact]
    public async Task Calls_in_order_accept_gaps_and_reject_a_wrong_order()
    {
        await using var session = await SessionAsync();

        session.Trace.Should().ContainCallsInOrder([("echo", "GET /echo"), ("echo", "POST /notes/b"), ("echo", "echo/get")]);
        var act = () => session.Trace.Should().ContainCallsInOrder([("echo", "POST /notes/b"), ("echo", "POST /notes/a")]);

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected trace to contain calls in order echo \"POST /notes/b\", echo \"POST /notes/a\", but step 2 (echo \"POST /notes/a\") was not found after call #3; calls were:"
            + Environment.NewLine + Calls(session));
    }

    [Fact]
    public async Task Fewer_calls_than_checks_the_total()
    {
        await using var session = await SessionAsync();

        session.Trace.Should().HaveFewerCallsThan(5);
        var act = () => session.Trace.Should().HaveFewerCallsThan(4);

        act.Should().Throw<XunitException>().Which.Message.Should().StartWith("Expected trace to have fewer than 4 call(s), but found 4:");
    }

    [Fact]
    public async Task Only_affect_reports_collateral_damage()
    {
        await using var session = await SessionAsync();

        session.Changes.Should().OnlyAffect("echo/note");
        session.Changes.Should().OnlyAffect("echo/note/a", "echo/note/b");
        var act = () => session.Changes.Should().OnlyAffect("echo/note/a");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected changes to only affect echo/note/a, but 1 other change(s) happened:" + Environment.NewLine
            + "  echo/note b created");
    }
}
