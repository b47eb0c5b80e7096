using System.Diagnostics.Contracts;
using Archal.Testing.Tracing;

namespace Archal.Testing.FluentAssertions;

/// <summary>Entry points: <c>session.Trace.Should()</c>, <c>session.Changes.Should()</c> and <c>session.Events.Should()</c>.</summary>
public static class ArchalAssertionExtensions
{
    /// <summary>Assertions over the calls in a trace.</summary>
    [Pure]
    public static TraceAssertions Should(this SessionTrace trace) => new(trace);

    /// <summary>Assertions over state changes since the seed.</summary>
    [Pure]
    public static StateChangesAssertions Should(this StateChanges changes) => new(changes);

    /// <summary>Assertions over the callbacks (webhooks, events) the session's clones delivered.</summary>
    [Pure]
    public static EventAssertions Should(this Events.SessionEvents events) => new(events);
}
