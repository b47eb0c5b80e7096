using System.Diagnostics.Contracts;
using Archal.Testing.Tracing;

namespace Archal.Testing.FluentAssertions;

/// <summary>Entry points: <c>session.Trace.Should()</c> and <c>session.Changes.Should()</c>.</summary>
public static class ArchalAssertionExtensions
{
    /// <summary>Assertions over the calls in a trace.</summary>
    [Pure]
    public static TraceAssertions Should(this SessionTrace trace) => new(trace);

    /// <summary>Assertions over state changes since the seed.</summary>
    [Pure]
    public static StateChangesAssertions Should(this StateChanges changes) => new(changes);
}
