using System.Globalization;
using System.Text;

namespace Archal.Testing.Clones.GitHub;

/// <summary>One <c>key:value</c> qualifier of a search query; <see cref="Negated"/> for <c>-key:value</c> or <c>NOT key:value</c>.</summary>
internal sealed record SearchQualifier(string Key, string Value, bool Negated);

/// <summary>
/// GitHub's search <c>q</c> syntax: free-text terms (quoted phrases stay whole), <c>key:value</c>
/// qualifiers (values may be quoted), negation with <c>-</c> or <c>NOT</c>, and range values
/// (<c>&gt;N</c>, <c>&gt;=N</c>, <c>&lt;N</c>, <c>&lt;=N</c>, <c>A..B</c>, <c>A..*</c>).
/// </summary>
internal sealed class GitHubSearchQuery
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "repo", "org", "user", "owner", "is", "state", "type", "label", "no", "author", "assignee", "mentions", "commenter",
        "involves", "in", "milestone", "created", "updated", "closed", "merged", "comments", "sort", "language", "topic",
        "stars", "archived", "head", "base", "reason", "linked", "draft", "review", "fork", "forks", "size", "pushed", "license",
    };

    public List<string> Terms { get; } = [];

    public List<SearchQualifier> Qualifiers { get; } = [];

    public IEnumerable<SearchQualifier> All(string key) => Qualifiers.Where(q => q.Key.Equals(key, StringComparison.OrdinalIgnoreCase));

    public static GitHubSearchQuery Parse(string q)
    {
        var query = new GitHubSearchQuery();
        var negateNext = false;
        foreach (var token in Tokenize(q))
        {
            if (token.Text == "NOT" && !token.Quoted)
            {
                negateNext = true;
                continue;
            }

            if (token.Text is "AND" or "OR" && !token.Quoted)
            {
                continue;
            }

            var text = token.Text;
            var negated = negateNext;
            negateNext = false;
            var colon = token.Quoted ? -1 : text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var key = text[..colon];
                if (key.StartsWith('-') && key.Length > 1)
                {
                    negated = true;
                    key = key[1..];
                }

                if (KnownKeys.Contains(key))
                {
                    query.Qualifiers.Add(new SearchQualifier(key.ToLowerInvariant(), token.Value ?? text[(colon + 1)..], negated));
                    continue;
                }
            }

            if (text.Length > 0)
            {
                query.Terms.Add(text);
            }
        }

        return query;
    }

    private readonly record struct Token(string Text, bool Quoted, string? Value);

    /// <summary>Splits on whitespace, keeping "quoted phrases" and key:"quoted values" whole.</summary>
    private static IEnumerable<Token> Tokenize(string q)
    {
        var i = 0;
        while (i < q.Length)
        {
            while (i < q.Length && char.IsWhiteSpace(q[i]))
            {
                i++;
            }

            if (i >= q.Length)
            {
                yield break;
            }

            if (q[i] == '"')
            {
                var end = q.IndexOf('"', i + 1);
                var phrase = end < 0 ? q[(i + 1)..] : q[(i + 1)..end];
                i = end < 0 ? q.Length : end + 1;
                yield return new Token(phrase, true, null);
                continue;
            }

            var text = new StringBuilder();
            string? value = null;
            while (i < q.Length && !char.IsWhiteSpace(q[i]))
            {
                if (q[i] == '"' && text.Length > 0 && text[^1] == ':')
                {
                    var end = q.IndexOf('"', i + 1);
                    value = end < 0 ? q[(i + 1)..] : q[(i + 1)..end];
                    text.Append(value);
                    i = end < 0 ? q.Length : end + 1;
                    continue;
                }

                text.Append(q[i]);
                i++;
            }

            yield return new Token(text.ToString(), false, value);
        }
    }

    /// <summary>Whether a number matches a range value such as <c>&gt;5</c>, <c>3..7</c> or <c>10</c>.</summary>
    public static bool MatchesRange(double actual, string range)
    {
        if (range.Contains("..", StringComparison.Ordinal))
        {
            var parts = range.Split("..", 2);
            return (parts[0] == "*" || (Number(parts[0]) is { } low && actual >= low))
                && (parts[1] == "*" || (Number(parts[1]) is { } high && actual <= high));
        }

        return range switch
        {
            _ when range.StartsWith(">=", StringComparison.Ordinal) => Number(range[2..]) is { } v && actual >= v,
            _ when range.StartsWith("<=", StringComparison.Ordinal) => Number(range[2..]) is { } v && actual <= v,
            _ when range.StartsWith('>') => Number(range[1..]) is { } v && actual > v,
            _ when range.StartsWith('<') => Number(range[1..]) is { } v && actual < v,
            _ => Number(range) is { } v && Math.Abs(actual - v) < double.Epsilon,
        };
    }

    /// <summary>Whether a timestamp matches a date range such as <c>&lt;2024-01-01</c> or <c>2024-01-01..2024-02-01</c>.</summary>
    public static bool MatchesDate(DateTimeOffset actual, string range)
    {
        if (range.Contains("..", StringComparison.Ordinal))
        {
            var parts = range.Split("..", 2);
            return (parts[0] == "*" || (Date(parts[0]) is { } low && actual >= low))
                && (parts[1] == "*" || (Date(parts[1]) is { } high && actual < End(parts[1], high)));
        }

        return range switch
        {
            _ when range.StartsWith(">=", StringComparison.Ordinal) => Date(range[2..]) is { } v && actual >= v,
            _ when range.StartsWith("<=", StringComparison.Ordinal) => Date(range[2..]) is { } v && actual < End(range[2..], v),
            _ when range.StartsWith('>') => Date(range[1..]) is { } v && actual >= End(range[1..], v),
            _ when range.StartsWith('<') => Date(range[1..]) is { } v && actual < v,
            _ => Date(range) is { } v && actual >= v && actual < End(range, v),
        };
    }

    // A bare date covers its whole day.
    private static DateTimeOffset End(string text, DateTimeOffset value) => text.Contains('T', StringComparison.Ordinal) ? value.AddSeconds(1) : value.AddDays(1);

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static DateTimeOffset? Date(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : null;
}
