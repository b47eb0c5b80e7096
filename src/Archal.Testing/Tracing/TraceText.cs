using System.Globalization;
using System.Text;

namespace Archal.Testing.Tracing;

/// <summary>Readable trace excerpts for test output and assertion messages.</summary>
public static class TraceText
{
    /// <summary>One line for a call: <c>#2 github POST /repos/acme/app/issues → 201 (issues/create)</c>.</summary>
    public static string Line(TraceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return $"#{entry.Sequence} {entry.CloneId} {entry.Method} {entry.Path}{entry.Query} → {entry.Status} ({entry.Operation}{(entry.Tool is null ? "" : $" via mcp {entry.Tool}")})";
    }

    /// <summary>The calls as an indented list, or <c>(no calls)</c>.</summary>
    public static string Lines(IEnumerable<TraceEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = string.Join(Environment.NewLine, entries.Select(e => "  " + Line(e)));
        return text.Length == 0 ? "  (no calls)" : text;
    }

    /// <summary>A summary of a session's trace for test output.</summary>
    public static string Summary(string sessionId, SessionTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var entries = trace.Entries;
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture,
            $"Archal session {sessionId}: {trace.TotalCalls} call(s), {entries.Count(e => e.Status >= 400)} error(s), {trace.Dropped} dropped");
        foreach (var entry in entries)
        {
            builder.AppendLine();
            builder.Append("  ").Append(Line(entry));
            foreach (var mutation in entry.Mutations)
            {
                builder.AppendLine();
                builder.Append("      ").Append(StateChanges.Describe(mutation));
            }
        }

        return builder.ToString();
    }
}
