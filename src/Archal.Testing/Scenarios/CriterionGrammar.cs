using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Scenarios;

/// <summary>A parsed [D] criterion, evaluated by <see cref="DeterministicEvaluator"/>.</summary>
internal abstract record DeterministicCheck;

/// <summary>"The run exits successfully".</summary>
internal sealed record RunExitCheck : DeterministicCheck;

/// <summary>"Fewer than 30 tool calls were made" (counted from the trace).</summary>
internal sealed record ToolCallCheck(CountOp Op, int N, string? CloneId) : DeterministicCheck;

/// <summary>A count or a universal statement over one kind of entity.</summary>
internal sealed record EntityCheck(
    Quantifier Quantifier, CountOp Op, int N, EntityKind Kind,
    ImmutableArray<EntityFilter> Subject, ImmutableArray<EntityFilter> Predicate) : DeterministicCheck;

internal enum Quantifier
{
    /// <summary>Count the entities that match subject and predicate, compare with N.</summary>
    Count,

    /// <summary>At least one entity matches the subject, and every one of them satisfies the predicate.</summary>
    All,
}

internal enum CountOp { Exactly, AtLeast, AtMost, FewerThan, MoreThan }

/// <summary>When a state must hold: at the end (<c>is</c>), became true during the run (<c>was</c>), or held throughout (<c>remains</c>).</summary>
internal enum Tense { Now, Became, Remained }

internal abstract record EntityFilter(bool Negated);

internal sealed record StateFilter(string State, Tense Tense, bool Negated = false) : EntityFilter(Negated);

internal sealed record CreatedFilter(bool Negated = false) : EntityFilter(Negated);

internal sealed record DeletedFilter(bool Negated = false) : EntityFilter(Negated);

internal sealed record ChangedFilter(bool Negated = false) : EntityFilter(Negated);

internal sealed record LabelFilter(string Label, bool Negated = false) : EntityFilter(Negated);

internal sealed record FieldFilter(string Field, string Value, bool Contains, bool Negated = false) : EntityFilter(Negated);

/// <summary>The row relates to <paramref name="Value"/> through the kind's relation <paramref name="Relation"/> (<c>in #general</c>, <c>for customer x</c>).</summary>
internal sealed record RelationFilter(string Relation, string Value, bool Negated = false) : EntityFilter(Negated);

internal sealed record AuthorFilter(string Author, bool Negated = false) : EntityFilter(Negated);

/// <summary>A child row (<see cref="EntityKind.Children"/>) was added during the run: <c>with a new comment</c>.</summary>
internal sealed record NewChildFilter(bool Negated = false) : EntityFilter(Negated);

/// <summary>
/// The grammar of deterministic criteria: the phrasings the hosted docs document ("Exactly N …",
/// "At least N …", "At most N / Fewer than N …", "N things were …", "… is closed", "… exists",
/// "Zero/None … remain", "The run exits successfully", "Fewer than N tool calls were made") with
/// filters such as <c>with label "x"</c>, <c>titled "x"</c>, <c>in #channel</c>, <c>for customer x</c>,
/// <c>with a new comment</c>. Anything it cannot read is an error with the nearest supported form.
/// </summary>
internal static partial class CriterionGrammar
{
    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20,
        ["single"] = 1,
    };

    private static readonly HashSet<string> FilterWords =
        ["with", "without", "in", "to", "into", "on", "within", "outside", "for", "of", "from", "by", "labelled", "labeled", "tagged",
         "titled", "called", "named", "entitled", "containing", "mentioning", "including", "saying", "referencing"];

    private static readonly HashSet<string> BeVerbs =
        ["is", "are", "was", "were", "be", "been", "got", "get", "gets", "remain", "remains", "remained", "stay", "stays", "stayed", "still", "has", "have", "had"];

    /// <summary>Parses a [D] criterion. Returns the check, or an error that says why and suggests the nearest form.</summary>
    public static (DeterministicCheck? Check, string? Error) Parse(string text) => Parse(text, CriteriaVocabulary.Default);

    /// <summary>Parses a [D] criterion in the words of <paramref name="vocabulary"/>'s clones.</summary>
    public static (DeterministicCheck? Check, string? Error) Parse(string text, CriteriaVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vocabulary);
        try
        {
            var tokens = Tokenize(text);
            var parser = new Parser(tokens, vocabulary);
            return (parser.ParseCriterion(), null);
        }
        catch (GrammarException ex)
        {
            return (null,
                $"[D] criterion \"{text}\" cannot be read by the deterministic grammar: {ex.Message}. " +
                $"Nearest supported form: \"{Nearest(text, vocabulary)}\". Rephrase it, or tag it [P] to have it judged.");
        }
    }

    /// <summary>The supported example closest to <paramref name="text"/> (by word overlap, then edit distance).</summary>
    public static string Nearest(string text) => Nearest(text, CriteriaVocabulary.Default);

    /// <summary>The example of <paramref name="vocabulary"/> closest to <paramref name="text"/>.</summary>
    public static string Nearest(string text, CriteriaVocabulary vocabulary)
    {
        var words = Words(text);
        return vocabulary.Examples
            .OrderByDescending(e => Words(e).Intersect(words).Count())
            .ThenBy(e => Levenshtein(e.ToLowerInvariant(), text.ToLowerInvariant()))
            .First();

        static HashSet<string> Words(string s) =>
            [.. WordRegex().Matches(s.ToLowerInvariant()).Select(m => m.Value)];
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    internal enum TokenType { Word, Number, Quoted, Channel, Literal }

    internal sealed record Token(TokenType Type, string Text)
    {
        public string Lower { get; } = Text.ToLowerInvariant();

        public override string ToString() => Type switch
        {
            TokenType.Quoted => $"\"{Text}\"",
            TokenType.Channel => "#" + Text,
            _ => Text,
        };
    }

    internal static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var s = text.Trim().TrimEnd('.', '!', ';').Trim();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c) || c == ',' || c == '(' || c == ')')
            {
                i++;
                continue;
            }

            if (c is '"' or '“' or '”' or '`' or '\'' && (c != '\'' || i == 0 || !char.IsLetterOrDigit(s[i - 1])))
            {
                var close = c switch { '“' => '”', _ => c };
                var end = s.IndexOfAny(close == '”' ? ['”', '"'] : [close], i + 1);
                if (end < 0)
                {
                    throw new GrammarException($"the quote that starts at '{s[i..]}' is never closed");
                }

                tokens.Add(new Token(TokenType.Quoted, s[(i + 1)..end]));
                i = end + 1;
                continue;
            }

            var start = i;
            while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] is not (',' or '(' or ')' or '"' or '“' or '”'))
            {
                i++;
            }

            var word = s[start..i].TrimEnd('.', ':', ';', '?', '!');
            if (word.Length == 0)
            {
                continue;
            }

            if (word.StartsWith('#') && word.Length > 1)
            {
                tokens.Add(new Token(TokenType.Channel, word[1..]));
            }
            else if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                tokens.Add(new Token(TokenType.Number, word));
            }
            else if (PlainWordRegex().IsMatch(word))
            {
                tokens.Add(new Token(TokenType.Word, word));
            }
            else
            {
                tokens.Add(new Token(TokenType.Literal, word));
            }
        }

        return tokens;
    }

    private sealed class Parser(List<Token> tokens, CriteriaVocabulary vocabulary)
    {
        private int _position;

        private Token? Peek(int offset = 0) => _position + offset < tokens.Count ? tokens[_position + offset] : null;

        private bool AtEnd => _position >= tokens.Count;

        private bool IsWord(int offset, params string[] words) =>
            Peek(offset) is { Type: TokenType.Word } t && words.Contains(t.Lower);

        /// <summary>Consumes a sequence of words if they all match (each position may list alternatives separated by '|').</summary>
        private bool Accept(params string[] sequence)
        {
            for (var i = 0; i < sequence.Length; i++)
            {
                if (!IsWord(i, sequence[i].Split('|')))
                {
                    return false;
                }
            }

            _position += sequence.Length;
            return true;
        }

        private GrammarException Unexpected(string expected) =>
            AtEnd
                ? new GrammarException($"it ends where {expected} was expected")
                : new GrammarException($"'{Peek()}' is not understood here (expected {expected})");

        public DeterministicCheck ParseCriterion()
        {
            if (tokens.Count == 0)
            {
                throw new GrammarException("it is empty");
            }

            if (TryRunExit() is { } exit)
            {
                return exit;
            }

            // "The agent made fewer than 30 tool calls"
            var agentMade = Accept("the|an", "agent|run|harness", "made|makes|used|uses|performed") || Accept("agent|run", "made|makes|used|uses");
            var (quantifier, op, n) = ParseQuantifier();
            if (TryToolCalls(op, n, quantifier) is { } tools)
            {
                return tools;
            }

            if (agentMade)
            {
                throw Unexpected("'tool calls'");
            }

            return ParseEntity(quantifier, op, n);
        }

        private RunExitCheck? TryRunExit()
        {
            var save = _position;
            Accept("the|a");
            if (Accept("run|agent|harness|process|session"))
            {
                if (Accept("exits|exited|exit|completes|completed|finishes|finished|ends|ended|succeeds|succeeded|passes|passed")
                    && (AtEnd || Accept("successfully") || Accept("without", "error|errors|failure|failing")
                        || Accept("with", "exit", "code") && Peek() is { Text: "0" } && (++_position > 0)
                        || Accept("with", "code") && Peek() is { Text: "0" } && (++_position > 0))
                    && AtEnd)
                {
                    return new RunExitCheck();
                }
            }

            _position = save;
            return null;
        }

        private (Quantifier Quantifier, CountOp Op, int N) ParseQuantifier()
        {
            if (Accept("exactly")) return (Quantifier.Count, CountOp.Exactly, Number());
            if (Accept("at", "least") || Accept("no", "fewer", "than") || Accept("not", "fewer", "than") || Accept("a", "minimum", "of")) return (Quantifier.Count, CountOp.AtLeast, Number());
            if (Accept("at", "most") || Accept("no", "more", "than") || Accept("not", "more", "than") || Accept("a", "maximum", "of") || Accept("up", "to")) return (Quantifier.Count, CountOp.AtMost, Number());
            if (Accept("fewer", "than") || Accept("less", "than")) return (Quantifier.Count, CountOp.FewerThan, Number());
            if (Accept("more", "than")) return (Quantifier.Count, CountOp.MoreThan, Number());
            if (Accept("none", "of", "the") || Accept("zero") || Accept("none") || Accept("no")) return (Quantifier.Count, CountOp.Exactly, 0);
            if (Accept("all", "of", "the") || Accept("all", "the") || Accept("all") || Accept("every") || Accept("each") || Accept("both")) return (Quantifier.All, CountOp.AtLeast, 1);
            if (Accept("the")) return (Quantifier.All, CountOp.AtLeast, 1);
            if (Accept("a", "single") || Accept("one", "single")) return (Quantifier.Count, CountOp.Exactly, 1);
            if (Accept("a|an|some|any")) return (Quantifier.Count, CountOp.AtLeast, 1);
            if (Peek() is { Type: TokenType.Number } || Peek() is { Type: TokenType.Word } w && NumberWords.ContainsKey(w.Lower))
            {
                return (Quantifier.Count, CountOp.Exactly, Number());
            }

            // A bare plural ("Issues with label X remain open") is a universal statement.
            return (Quantifier.All, CountOp.AtLeast, 1);
        }

        private int Number()
        {
            var token = Peek() ?? throw Unexpected("a number");
            if (token.Type == TokenType.Number)
            {
                _position++;
                return int.Parse(token.Text, CultureInfo.InvariantCulture);
            }

            if (token.Type == TokenType.Word && NumberWords.TryGetValue(token.Lower, out var n))
            {
                _position++;
                return n;
            }

            throw Unexpected("a number");
        }

        private ToolCallCheck? TryToolCalls(CountOp op, int n, Quantifier quantifier)
        {
            var save = _position;
            if (!(Accept("tool|api|http|mcp", "calls|call|requests|request") || Accept("calls|call|requests|request")))
            {
                return null;
            }

            if (quantifier != Quantifier.Count)
            {
                throw new GrammarException("tool calls need a count, as in 'Fewer than 30 tool calls were made'");
            }

            string? clone = null;
            while (!AtEnd)
            {
                if (Accept("were|was|are|is|got") || Accept("have|has", "been"))
                {
                    if (!Accept("made|used|performed|sent|issued|executed|recorded"))
                    {
                        throw Unexpected("'made'");
                    }
                }
                else if (Accept("in", "total") || Accept("total") || Accept("overall") || Accept("in", "the", "run") || Accept("during", "the", "run"))
                {
                }
                else if (Accept("to|on|against"))
                {
                    Accept("the");
                    var target = Peek() ?? throw Unexpected("a clone name");
                    _position++;
                    clone = target.Lower;
                    Accept("clone|twin|api");
                }
                else if (Accept("made|used|performed"))
                {
                }
                else
                {
                    _position = save;
                    throw Unexpected("'were made' or 'to <clone>'");
                }
            }

            return new ToolCallCheck(op, n, clone);
        }

        private EntityCheck ParseEntity(Quantifier quantifier, CountOp op, int n)
        {
            // Prefix adjectives: "closed issues", "new comments", "open pull requests".
            var adjectives = new List<string>();
            while (Peek() is { Type: TokenType.Word } t && FindNoun() is null && IsAdjective(t.Lower))
            {
                adjectives.Add(t.Lower);
                _position++;
            }

            var noun = FindNoun() ?? throw Unexpected(
                adjectives.Count > 0 ? $"a thing to count after '{string.Join(' ', adjectives)}' ({Things(4)})"
                                     : $"a count ('Exactly 4', 'At least 1', 'Zero', 'All', 'The', 'A') followed by a thing ({Things(9)})");
            var kind = noun.Kind;
            _position += noun.Length;

            var subject = new List<EntityFilter>();
            foreach (var adjective in adjectives)
            {
                subject.Add(Adjective(kind, adjective, prefix: true) ?? throw new GrammarException($"'{adjective}' does not describe {kind.Plural}{StatesHint(kind)}"));
            }

            // Optional literal name right after the noun: "The repository acme/webapp exists", "The label "bug" exists".
            if (Peek() is { Type: TokenType.Literal or TokenType.Quoted } literal)
            {
                _position++;
                subject.Add(NameFilter(kind, literal.Text));
            }
            else if (Peek() is { Type: TokenType.Channel } number && kind.Fields.ContainsKey("number") && number.Text.All(char.IsAsciiDigit))
            {
                // "The issue #12 is closed"
                _position++;
                subject.Add(new FieldFilter("number", number.Text, Contains: false));
            }
            else if (Peek() is { Type: TokenType.Channel } channelName && kind.NamedByHash)
            {
                _position++;
                subject.Add(new FieldFilter("name", channelName.Text, Contains: false));
            }

            var predicate = new List<EntityFilter>();
            var target = subject;
            var verbSeen = false;
            while (!AtEnd)
            {
                Accept("that|which|who");
                if (AtEnd)
                {
                    break;
                }

                if (TryFilter(kind, target))
                {
                    continue;
                }

                if (TryVerbPhrase(kind, predicate, quantifier))
                {
                    verbSeen = true;
                    target = predicate;
                    continue;
                }

                throw Unexpected(verbSeen
                    ? $"a filter (with label \"…\", titled \"…\", in #channel, for customer …){StatesHint(kind)}"
                    : $"a filter or a verb (is/are/was/were/remain/exists){StatesHint(kind)}");
            }

            if (!verbSeen && quantifier == Quantifier.All && subject.Count == 0)
            {
                throw new GrammarException($"it says nothing to check about the {kind.Plural} (add a state such as 'are closed' or 'exist')");
            }

            return new EntityCheck(quantifier, op, n, kind, [.. subject], [.. predicate]);
        }

        /// <summary>Some of the things criteria can count, taking the first kinds of each clone in turn.</summary>
        private string Things(int count)
        {
            var byClone = vocabulary.Kinds.GroupBy(k => k.CloneId).Select(g => g.Select(k => k.Plural).ToList()).ToList();
            var things = Enumerable.Range(0, byClone.Count == 0 ? 0 : byClone.Max(l => l.Count))
                .SelectMany(i => byClone.Where(l => i < l.Count).Select(l => l[i])).Take(count).ToList();
            return things.Count == 0 ? "none: this host's clones declare no vocabulary" : string.Join(", ", things) + ", …";
        }

        private (EntityKind Kind, int Length)? FindNoun()
        {
            (EntityKind, int)? best = null;
            foreach (var kind in vocabulary.Kinds)
            {
                foreach (var noun in kind.Nouns)
                {
                    var parts = noun.Split(' ');
                    var matches = true;
                    for (var i = 0; i < parts.Length && matches; i++)
                    {
                        matches = IsWord(i, parts[i]);
                    }

                    if (matches && (best is null || parts.Length > best.Value.Item2))
                    {
                        best = (kind, parts.Length);
                    }
                }
            }

            return best;
        }

        private bool IsAdjective(string word) =>
            word == "new" || CriteriaVocabulary.CreatedWords.Contains(word) || CriteriaVocabulary.DeletedWords.Contains(word)
            || CriteriaVocabulary.ChangedWords.Contains(word)
            || vocabulary.Kinds.Any(k => k.States.Keys.Any(s => s == word || s.Split(' ')[0] == word))
            || word is "cancelled" or "duplicate" or "stale";

        private static EntityFilter? Adjective(EntityKind kind, string word, bool prefix)
        {
            if (word == "cancelled")
            {
                word = "canceled";
            }

            if (word == "new" || CriteriaVocabulary.CreatedWords.Contains(word))
            {
                return new CreatedFilter();
            }

            if (CriteriaVocabulary.DeletedWords.Contains(word) || word == "deleted" && !kind.States.ContainsKey("deleted"))
            {
                return new DeletedFilter();
            }

            if (CriteriaVocabulary.ChangedWords.Contains(word))
            {
                return new ChangedFilter();
            }

            if (kind.States.ContainsKey(word))
            {
                // "All closed issues …": past participles mean "closed during the run"; conditions ("open") mean now.
                return new StateFilter(word, prefix && word.EndsWith("ed", StringComparison.Ordinal) ? Tense.Became : Tense.Now);
            }

            return null;
        }

        private static string StatesHint(EntityKind kind) =>
            kind.States.Count == 0 ? "" : $"; {kind.Plural} can be {string.Join(", ", kind.States.Keys)}, created or deleted";

        private static FieldFilter NameFilter(EntityKind kind, string value)
        {
            var field = kind.Fields.ContainsKey("name") ? "name" : kind.Fields.ContainsKey("title") ? "title" : "id";
            return new FieldFilter(field, value, Contains: false);
        }

        private string Value(string what)
        {
            var token = Peek() ?? throw Unexpected(what);
            if (token.Type is TokenType.Quoted or TokenType.Literal or TokenType.Number or TokenType.Word or TokenType.Channel)
            {
                _position++;
                return token.Type == TokenType.Channel ? "#" + token.Text : token.Text;
            }

            throw Unexpected(what);
        }

        private string Quoted(string what)
        {
            var token = Peek() ?? throw Unexpected(what);
            if (token.Type is TokenType.Quoted or TokenType.Literal or TokenType.Number)
            {
                _position++;
                return token.Text;
            }

            throw Unexpected(what);
        }

        private string HashValue(EntityRelation relation)
        {
            var noun = relation.Nouns[0];
            Accept("the");
            Accept(noun);
            var token = Peek() ?? throw Unexpected($"a {noun} such as #name");
            if (token.Type is TokenType.Channel or TokenType.Quoted)
            {
                _position++;
                Accept(noun);
                return token.Text.TrimStart('#');
            }

            throw Unexpected($"a {noun} such as #name");
        }

        private bool TryFilter(EntityKind kind, List<EntityFilter> target)
        {
            var save = _position;
            if (Accept("without"))
            {
                if (TryWithBody(kind, target, negated: true))
                {
                    return true;
                }

                _position = save;
                return false;
            }

            var negated = Accept("not");
            // Labels
            if (Accept("labelled|labeled|tagged"))
            {
                RequireLabels(kind);
                Accept("as|with");
                target.Add(new LabelFilter(Quoted("a label such as \"keep-open\""), negated));
                return true;
            }

            if (negated)
            {
                _position = save;
                return false;
            }

            if (Accept("with"))
            {
                if (TryWithBody(kind, target, negated: false))
                {
                    return true;
                }

                _position = save;
                return false;
            }

            if (Accept("titled|called|named|entitled"))
            {
                target.Add(new FieldFilter(kind.Fields.ContainsKey("title") ? "title" : "name", Quoted("a quoted name"), Contains: false));
                return true;
            }

            if (Accept("containing|mentioning|including|saying|referencing") || Accept("that", "contains|contain|mentions|mention|includes|include|says|say"))
            {
                RequireField(kind, "text");
                target.Add(new FieldFilter("text", Quoted("a quoted text"), Contains: true));
                return true;
            }

            // #-named relations (Slack channels): "in #general", "to channels other than #x", "outside #x".
            foreach (var relation in vocabulary.HashRelations)
            {
                var nouns = string.Join('|', relation.Nouns);
                var prepositions = string.Join('|', relation.Prepositions);
                _position = save;
                if (Accept(prepositions) && IsWord(0, [.. relation.Nouns, "any", "a", "the"]) && (IsWord(1, "other", "besides", "except") || IsWord(2, "other", "besides", "except") || IsWord(3, "other", "besides", "except")))
                {
                    var own = RequireRelation(kind, relation);
                    Accept("any|a|the");
                    Accept(nouns);
                    if (!(Accept("other", "than") || Accept("besides") || Accept("except")))
                    {
                        throw Unexpected("'other than #" + relation.Nouns[0] + "'");
                    }

                    target.Add(new RelationFilter(own.Name, HashValue(relation), Negated: true));
                    return true;
                }

                _position = save;
                if (Accept("outside") || Accept("outside", "of"))
                {
                    var own = RequireRelation(kind, relation);
                    target.Add(new RelationFilter(own.Name, HashValue(relation), Negated: true));
                    return true;
                }

                _position = save;
                if (Accept(prepositions) && (Peek() is { Type: TokenType.Channel } || IsWord(0, relation.Nouns[0]) || IsWord(0, "the") && (Peek(1)?.Type == TokenType.Channel || IsWord(1, relation.Nouns[0]))))
                {
                    var own = RequireRelation(kind, relation);
                    target.Add(new RelationFilter(own.Name, HashValue(relation)));
                    return true;
                }
            }

            // Relations named by a noun (in repo x, for customer x, for charge x), a value of a telling shape
            // (acme/webapp) or, for kinds that allow it, any value (for jane@example.com).
            foreach (var relation in vocabulary.PhraseRelations)
            {
                _position = save;
                var nouns = string.Join('|', relation.Nouns);
                var own = kind.Relation(relation.Name);
                if (Accept(string.Join('|', relation.Prepositions))
                    && (Accept(nouns) || Accept("the", nouns) || Accept("to", nouns)
                        || Peek() is { Type: TokenType.Literal } shaped && relation.Shape?.Invoke(shaped.Text) == true
                        || Peek() is { Type: TokenType.Literal or TokenType.Quoted } && own is { BareValues: true }))
                {
                    own = RequireRelation(kind, relation);
                    var value = Value($"a {relation.Nouns[0]}");
                    Accept(nouns);
                    target.Add(new RelationFilter(own.Name, value));
                    return true;
                }
            }

            _position = save;
            if (Accept("by|from") && kind.Author is not null && Peek() is { } author && author.Type is not TokenType.Channel)
            {
                Accept("user");
                target.Add(new AuthorFilter(Value("a user")));
                return true;
            }

            _position = save;
            return false;
        }

        private bool TryWithBody(EntityKind kind, List<EntityFilter> target, bool negated)
        {
            Accept("a|an|the|any");
            var children = string.Join('|', vocabulary.ChildNouns);
            if (children.Length > 0 && (Accept("new", children) || (kind.Children is not null && Accept(children))))
            {
                RequireChildren(kind, Peek(-1)!.Lower);
                target.Add(new NewChildFilter(negated));
                return true;
            }

            if (Accept("label|labels|tag|tags"))
            {
                RequireLabels(kind);
                target.Add(new LabelFilter(Quoted("a label such as \"keep-open\""), negated));
                return true;
            }

            if (Peek() is { Type: TokenType.Quoted } quoted)
            {
                _position++;
                if (Accept("label|tag"))
                {
                    RequireLabels(kind);
                    target.Add(new LabelFilter(quoted.Text, negated));
                    return true;
                }

                if (kind.Labels is not null)
                {
                    // Issues with "keep-open" …
                    target.Add(new LabelFilter(quoted.Text, negated));
                    return true;
                }

                RequireField(kind, "text");
                target.Add(new FieldFilter("text", quoted.Text, Contains: true, negated));
                return true;
            }

            if (Peek() is { Type: TokenType.Word } field && kind.Fields.ContainsKey(field.Lower))
            {
                _position++;
                Accept("of|equal|equals|=");
                Accept("to");
                var value = Value($"a value for {field.Lower}");
                target.Add(new FieldFilter(field.Lower, value, Contains: false, negated));
                return true;
            }

            return false;
        }

        private bool TryVerbPhrase(EntityKind kind, List<EntityFilter> predicate, Quantifier quantifier)
        {
            var save = _position;
            if (Accept("exist|exists|existed") || Accept("is|are|was|were", "present") || Accept("can", "be", "found"))
            {
                return true;
            }

            if (Accept("have|has|had") && (IsWord(0, [.. vocabulary.ChildNouns, "a", "an", "new", "any", "label", "labels", "the"]) || Peek()?.Type == TokenType.Quoted))
            {
                if (IsWord(0, "been"))
                {
                    _position = save;
                }
                else if (TryWithBody(kind, predicate, negated: false))
                {
                    return true;
                }
                else
                {
                    throw Unexpected(vocabulary.ChildNouns.Count > 0 ? $"'a new {vocabulary.ChildNouns[0]}' or 'label \"…\"'" : "'label \"…\"'");
                }
            }

            _position = save;
            if (Accept("mention|mentions|contain|contains|include|includes|say|says|reference|references"))
            {
                RequireField(kind, "text");
                predicate.Add(new FieldFilter("text", Quoted("a quoted text"), Contains: true));
                return true;
            }

            _position = save;
            var tense = Tense.Now;
            var sawVerb = false;
            while (Peek() is { Type: TokenType.Word } t && BeVerbs.Contains(t.Lower))
            {
                sawVerb = true;
                tense = t.Lower switch
                {
                    "was" or "were" or "got" or "get" or "gets" or "been" => Tense.Became,
                    "remain" or "remains" or "remained" or "stay" or "stays" or "stayed" or "still" => Tense.Remained,
                    "has" or "have" or "had" => tense,
                    _ => tense,
                };
                _position++;
            }

            if (!sawVerb)
            {
                return false;
            }

            var negated = Accept("not") || Accept("never");
            Accept("successfully|actually|all|each|both");
            var word = Peek() is { Type: TokenType.Word } w ? w.Lower : null;
            if (word is null)
            {
                // "Zero issues remain" (nothing left) or a bare verb.
                if (AtEnd && tense == Tense.Remained)
                {
                    return true;
                }

                throw Unexpected($"a state{StatesHint(kind)}");
            }

            // Two-word states: "fully refunded", "past due", "partially refunded".
            if (Peek(1) is { Type: TokenType.Word } second && kind.States.ContainsKey($"{word} {second.Lower}"))
            {
                _position += 2;
                predicate.Add(new StateFilter($"{word} {second.Lower}", tense, negated));
                return true;
            }

            var filter = Adjective(kind, word, prefix: false);
            if (filter is null)
            {
                if (!negated && FilterWords.Contains(word))
                {
                    // "Messages are in #general", "Issues are labelled …": the filters follow the verb.
                    return true;
                }

                throw Unexpected($"a state{StatesHint(kind)}");
            }

            _position++;
            predicate.Add(filter switch
            {
                StateFilter state => state with { Tense = tense, Negated = negated },
                CreatedFilter => new CreatedFilter(negated),
                DeletedFilter => new DeletedFilter(negated),
                ChangedFilter => new ChangedFilter(negated),
                _ => filter,
            });

            // "… were closed with a comment" → also a new comment.
            return true;
        }

        private static void RequireLabels(EntityKind kind)
        {
            if (kind.Labels is null)
            {
                throw new GrammarException($"{kind.Plural} have no labels");
            }
        }

        private void RequireChildren(EntityKind kind, string noun)
        {
            if (kind.Children is null)
            {
                var plural = vocabulary.Kinds.FirstOrDefault(k => k.Nouns.Contains(noun))?.Plural ?? noun;
                throw new GrammarException($"{kind.Plural} have no {plural}");
            }
        }

        private static EntityRelation RequireRelation(EntityKind kind, EntityRelation relation) =>
            kind.Relation(relation.Name) ?? throw new GrammarException($"{kind.Plural} {relation.Missing}");

        private static void RequireField(EntityKind kind, string field)
        {
            if (!kind.Fields.ContainsKey(field))
            {
                throw new GrammarException($"{kind.Plural} have no {field}");
            }
        }
    }

    [GeneratedRegex(@"[a-z0-9#]+")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z'-]*$")]
    private static partial Regex PlainWordRegex();
}

/// <summary>Why the grammar could not read a criterion.</summary>
internal sealed class GrammarException(string message) : Exception(message);
