using System.Globalization;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// Stripe's search query language, the subset the clone serves: clauses <c>field:'value'</c> (exact,
/// case-insensitive), <c>field~'value'</c> (substring, at least 3 characters), <c>field&gt;N</c> /
/// <c>&gt;=</c> / <c>&lt;</c> / <c>&lt;=</c> on numbers, <c>metadata['key']:'value'</c>, <c>field:null</c>,
/// a leading <c>-</c> to negate, joined by <c>AND</c> or <c>OR</c> (not both), at most 10 clauses.
/// </summary>
internal sealed class StripeSearchQuery
{
    private readonly List<Clause> _clauses;
    private readonly bool _any;

    private StripeSearchQuery(List<Clause> clauses, bool any)
    {
        _clauses = clauses;
        _any = any;
    }

    public static StripeSearchQuery Parse(string query, string resource, IReadOnlyCollection<string> fields)
    {
        var reader = new Reader(query);
        var clauses = new List<Clause>();
        string? joiner = null;
        reader.SkipSpaces();
        if (reader.AtEnd)
        {
            throw Invalid(query, "the query is empty.");
        }

        while (true)
        {
            clauses.Add(ParseClause(reader, query, resource, fields));
            reader.SkipSpaces();
            if (reader.AtEnd)
            {
                break;
            }

            var word = reader.Word();
            if (word is not ("AND" or "OR"))
            {
                throw Invalid(query, $"expected AND or OR, found '{word}'.");
            }

            if (joiner is not null && joiner != word)
            {
                throw Invalid(query, "AND and OR cannot be combined in one query.");
            }

            joiner = word;
            reader.SkipSpaces();
        }

        if (clauses.Count > 10)
        {
            throw Invalid(query, "a query can have at most 10 clauses.");
        }

        return new StripeSearchQuery(clauses, joiner == "OR");
    }

    public bool Matches(JsonObject obj) =>
        _any ? _clauses.Exists(c => c.Matches(obj)) : _clauses.TrueForAll(c => c.Matches(obj));

    private static Clause ParseClause(Reader reader, string query, string resource, IReadOnlyCollection<string> fields)
    {
        var negate = reader.TryConsume("-");
        var field = reader.Identifier();
        string? metadataKey = null;
        if (field == "metadata")
        {
            if (!reader.TryConsume("["))
            {
                throw Invalid(query, "metadata must name a key: metadata['key'].");
            }

            metadataKey = reader.Quoted() ?? throw Invalid(query, "metadata keys must be quoted.");
            if (!reader.TryConsume("]"))
            {
                throw Invalid(query, "expected ']' after the metadata key.");
            }
        }
        else if (field.Length == 0)
        {
            throw Invalid(query, $"expected a field name at position {reader.Position}.");
        }
        else if (!fields.Contains(field))
        {
            throw StripeErrors.InvalidRequest(
                $"Field '{field}' is an unsupported search field for resource {resource}. See http://stripe.com/docs/search#query-fields-for-{resource.Replace('_', '-')} for a list of supported fields.",
                null, "query");
        }

        var op = reader.Operator() ?? throw Invalid(query, $"expected ':', '~', '>', '<', '>=' or '<=' after '{field}'.");
        string value;
        bool isNull = false;
        if (reader.Quoted() is { } quoted)
        {
            value = quoted;
        }
        else
        {
            value = reader.Bare();
            if (value.Length == 0)
            {
                throw Invalid(query, $"expected a value after '{field}{op}'.");
            }

            isNull = value == "null" && op == ":";
        }

        if (op == "~" && value.Length < 3)
        {
            throw Invalid(query, "substring matches (~) need at least 3 characters.");
        }

        return new Clause(field, metadataKey, op, value, isNull, negate);
    }

    private static StripeApiException Invalid(string query, string detail) =>
        StripeErrors.InvalidRequest($"Invalid search query '{query}': {detail}", null, "query");

    private sealed record Clause(string Field, string? MetadataKey, string Op, string Value, bool IsNull, bool Negate)
    {
        public bool Matches(JsonObject obj)
        {
            var node = MetadataKey is null ? obj[Field] : obj["metadata"]?[MetadataKey];
            return Negate ^ Test(node);
        }

        private bool Test(JsonNode? node)
        {
            if (IsNull)
            {
                return node is null;
            }

            if (node is null)
            {
                return false;
            }

            var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node.ToJsonString();
            switch (Op)
            {
                case ":":
                    return string.Equals(text, Value, StringComparison.OrdinalIgnoreCase);
                case "~":
                    return text.Contains(Value, StringComparison.OrdinalIgnoreCase);
                default:
                    if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var left)
                        || !decimal.TryParse(Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var right))
                    {
                        return false;
                    }

                    return Op switch
                    {
                        ">" => left > right,
                        ">=" => left >= right,
                        "<" => left < right,
                        _ => left <= right,
                    };
            }
        }
    }

    private sealed class Reader(string text)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public bool TryConsume(string token)
        {
            if (string.CompareOrdinal(text, Position, token, 0, token.Length) == 0)
            {
                Position += token.Length;
                return true;
            }

            return false;
        }

        public string Identifier()
        {
            var start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '_' or '.'))
            {
                Position++;
            }

            return text[start..Position];
        }

        public string Word()
        {
            var start = Position;
            while (!AtEnd && !char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }

            return text[start..Position];
        }

        public string? Operator()
        {
            foreach (var op in (string[])[">=", "<=", ":", "~", ">", "<"])
            {
                if (TryConsume(op))
                {
                    return op;
                }
            }

            return null;
        }

        public string? Quoted()
        {
            if (AtEnd || text[Position] is not ('\'' or '"'))
            {
                return null;
            }

            var quote = text[Position];
            var builder = new System.Text.StringBuilder();
            Position++;
            while (!AtEnd)
            {
                var c = text[Position++];
                if (c == '\\' && !AtEnd)
                {
                    builder.Append(text[Position++]);
                }
                else if (c == quote)
                {
                    return builder.ToString();
                }
                else
                {
                    builder.Append(c);
                }
            }

            throw StripeErrors.InvalidRequest($"Invalid search query '{text}': unterminated quoted value.", null, "query");
        }

        public string Bare()
        {
            var start = Position;
            while (!AtEnd && !char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }

            return text[start..Position];
        }
    }
}
