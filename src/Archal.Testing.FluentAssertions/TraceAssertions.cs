using System.Diagnostics.CodeAnalysis;
using FluentAssertions;
using FluentAssertions.Primitives;
using Archal.Testing.Tracing;

namespace Archal.Testing.FluentAssertions;

/// <summary>Assertions over a session's trace: which calls the agent made, how often, in which order.</summary>
public sealed class TraceAssertions : ReferenceTypeAssertions<SessionTrace, TraceAssertions>
{
    /// <summary>Creates the assertions.</summary>
    public TraceAssertions(SessionTrace subject) : base(subject) { }

    /// <inheritdoc />
    protected override string Identifier => "trace";

    /// <summary>
    /// Asserts at least one call to <paramref name="endpoint"/> on <paramref name="cloneId"/>, where
    /// endpoint is <c>"METHOD /route/{template}"</c> (any parameter name matches any value or template
    /// segment), a concrete <c>"METHOD /path"</c>, an operation name (<c>issues/create</c>,
    /// <c>chat.postMessage</c>), or an MCP tool name (<c>issue_write</c>: each operation the tool sent). Refine with <see cref="CallConstraint.Exactly"/>, <see cref="CallConstraint.AtLeast"/>,
    /// <see cref="CallConstraint.AtMost"/>, <see cref="CallConstraint.WithBody"/> and <see cref="CallConstraint.WithQuery"/>.
    /// </summary>
    public CallConstraint ContainCall(string cloneId, string endpoint, string because = "", params object[] becauseArgs)
    {
        var all = Subject.Entries;
        var matches = all.Where(e => CallMatcher.Matches(e, cloneId, endpoint)).ToList();
        if (matches.Count == 0)
        {
            AssertionMessages.Fail(
                $"Expected trace to contain a call to {cloneId} \"{endpoint}\"{{reason}}, but found none among {all.Count} call(s):{Environment.NewLine}{TraceText.Lines(all)}",
                because, becauseArgs);
        }

        return new CallConstraint(this, cloneId, endpoint, matches, all);
    }

    /// <summary>Asserts no call to <paramref name="endpoint"/> on <paramref name="cloneId"/> (a minefield).</summary>
    public AndConstraint<TraceAssertions> NotContainCall(string cloneId, string endpoint, string because = "", params object[] becauseArgs)
    {
        var matches = Subject.Entries.Where(e => CallMatcher.Matches(e, cloneId, endpoint)).ToList();
        if (matches.Count > 0)
        {
            AssertionMessages.Fail(
                $"Expected trace not to contain a call to {cloneId} \"{endpoint}\"{{reason}}, but found {matches.Count}:{Environment.NewLine}{TraceText.Lines(matches)}",
                because, becauseArgs);
        }

        return new AndConstraint<TraceAssertions>(this);
    }

    /// <summary>Asserts the calls happened in this order (other calls may come between them): milestones.</summary>
    public AndConstraint<TraceAssertions> ContainCallsInOrder(IEnumerable<(string CloneId, string Endpoint)> milestones, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        var steps = milestones.ToList();
        var all = Subject.Entries;
        var position = 0;
        for (var step = 0; step < steps.Count; step++)
        {
            var (cloneId, endpoint) = steps[step];
            var found = -1;
            for (var i = position; i < all.Count; i++)
            {
                if (CallMatcher.Matches(all[i], cloneId, endpoint))
                {
                    found = i;
                    break;
                }
            }

            if (found < 0)
            {
                var expected = string.Join(", ", steps.Select(s => $"{s.CloneId} \"{s.Endpoint}\""));
                var after = position == 0 ? "" : $" after call #{all[position - 1].Sequence}";
                AssertionMessages.Fail(
                    $"Expected trace to contain calls in order {expected}{{reason}}, but step {step + 1} ({cloneId} \"{endpoint}\") was not found{after}; calls were:{Environment.NewLine}{TraceText.Lines(all)}",
                    because, becauseArgs);
                break;
            }

            position = found + 1;
        }

        return new AndConstraint<TraceAssertions>(this);
    }

    /// <summary>Asserts fewer than <paramref name="count"/> calls in total (all clones).</summary>
    public AndConstraint<TraceAssertions> HaveFewerCallsThan(int count, string because = "", params object[] becauseArgs)
    {
        var all = Subject.Entries;
        if (Subject.TotalCalls >= count)
        {
            AssertionMessages.Fail(
                $"Expected trace to have fewer than {count} call(s){{reason}}, but found {Subject.TotalCalls}:{Environment.NewLine}{TraceText.Lines(all)}",
                because, becauseArgs);
        }

        return new AndConstraint<TraceAssertions>(this);
    }
}

/// <summary>The calls that matched <see cref="TraceAssertions.ContainCall"/>, for further refinement.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "FluentAssertions naming.")]
public sealed class CallConstraint : AndConstraint<TraceAssertions>
{
    private readonly string _cloneId;
    private readonly string _endpoint;
    private readonly IReadOnlyList<TraceEntry> _all;

    internal CallConstraint(TraceAssertions parent, string cloneId, string endpoint, IReadOnlyList<TraceEntry> calls, IReadOnlyList<TraceEntry> all)
        : base(parent)
    {
        _cloneId = cloneId;
        _endpoint = endpoint;
        Calls = calls;
        _all = all;
    }

    /// <summary>The matching calls, in order.</summary>
    public IReadOnlyList<TraceEntry> Calls { get; }

    /// <summary>The first matching call.</summary>
    public TraceEntry Which => Calls.Count > 0 ? Calls[0] : throw new InvalidOperationException("No call matched.");

    /// <summary>Asserts exactly <paramref name="count"/> matching calls.</summary>
    public CallConstraint Exactly(int count, string because = "", params object[] becauseArgs) =>
        Count(Calls.Count == count, $"exactly {count}", because, becauseArgs);

    /// <summary>Asserts exactly one matching call.</summary>
    public CallConstraint Once(string because = "", params object[] becauseArgs) => Exactly(1, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="count"/> matching calls.</summary>
    public CallConstraint AtLeast(int count, string because = "", params object[] becauseArgs) =>
        Count(Calls.Count >= count, $"at least {count}", because, becauseArgs);

    /// <summary>Asserts at most <paramref name="count"/> matching calls.</summary>
    public CallConstraint AtMost(int count, string because = "", params object[] becauseArgs) =>
        Count(Calls.Count <= count, $"at most {count}", because, becauseArgs);

    /// <summary>Keeps the calls whose JSON or form request body satisfies <paramref name="predicate"/>; asserts one remains.</summary>
    /// <param name="predicate">Receives the body as JSON (form bodies become an object of fields; null when empty).</param>
    /// <param name="description">How the predicate reads in a failure message.</param>
    /// <param name="because">The reason.</param>
    /// <param name="becauseArgs">Arguments of the reason.</param>
    public CallConstraint WithBody(Func<System.Text.Json.Nodes.JsonNode?, bool> predicate, string description = "matching body", string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Narrow(Calls.Where(c => predicate(CallMatcher.BodyJson(c))).ToList(), $"with {description}", because, becauseArgs);
    }

    /// <summary>Keeps the calls whose query has <paramref name="name"/> = <paramref name="value"/>; asserts one remains.</summary>
    public CallConstraint WithQuery(string name, string value, string because = "", params object[] becauseArgs) =>
        Narrow(Calls.Where(c => CallMatcher.QueryHas(c, name, value)).ToList(), $"with query {name}={value}", because, becauseArgs);

    private CallConstraint Narrow(List<TraceEntry> kept, string description, string because, object[] becauseArgs)
    {
        if (kept.Count == 0)
        {
            AssertionMessages.Fail(
                $"Expected trace to contain a call to {_cloneId} \"{_endpoint}\" {description}{{reason}}, but none of the {Calls.Count} matching call(s) had it:{Environment.NewLine}{TraceText.Lines(Calls)}",
                because, becauseArgs);
        }

        return new CallConstraint(And, _cloneId, _endpoint, kept, _all);
    }

    private CallConstraint Count(bool ok, string expectation, string because, object[] becauseArgs)
    {
        if (!ok)
        {
            AssertionMessages.Fail(
                $"Expected trace to contain {expectation} call(s) to {_cloneId} \"{_endpoint}\"{{reason}}, but found {Calls.Count}:{Environment.NewLine}{TraceText.Lines(Calls)}",
                because, becauseArgs);
        }

        return this;
    }
}
