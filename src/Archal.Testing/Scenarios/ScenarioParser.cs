using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Archal.Testing.Clones.Abstractions;

using Archal.Testing.Hosting;

namespace Archal.Testing.Scenarios;

/// <summary>A scenario file that cannot be read: names the file, the line and the problem.</summary>
public sealed class ScenarioValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScenarioValidationException(string? file, int line, string problem)
        : base($"{file ?? "<scenario>"}{(line > 0 ? $":{line}" : "")}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>Creates the exception.</summary>
    public ScenarioValidationException() : this(null, 0, "invalid scenario") { }

    /// <summary>Creates the exception.</summary>
    public ScenarioValidationException(string message) : this(null, 0, message) { }

    /// <summary>Creates the exception.</summary>
    public ScenarioValidationException(string message, Exception innerException) : base(message, innerException) => Problem = message;

    /// <summary>The scenario (or seed) file, if known.</summary>
    public string? File { get; }

    /// <summary>The 1-based line, or 0 when the problem is not on one line.</summary>
    public int Line { get; }

    /// <summary>The problem, without the location.</summary>
    public string Problem { get; } = "";

    /// <summary>The JSON Pointer to the rejected value when a schema check found the problem (<c>/github/issues</c>), else null.</summary>
    public string? Pointer { get; init; }
}

/// <summary>Reads scenario markdown in the hosted format (docs.archal.ai, "Writing scenarios").</summary>
public static partial class ScenarioParser
{
    private static readonly string[] KnownSections =
        ["Setup", "Prompt", "Task", "Expected Behavior", "Success Criteria", "Checks", "Config"];

    private static readonly string[] KnownConfigKeys = ["clones", "twins", "seed", "seeds", "timeout", "runs", "tags", "model", "faults"];

    /// <summary>Reads a scenario file.</summary>
    /// <exception cref="ScenarioValidationException">The file is not a valid scenario.</exception>
    public static Scenario ParseFile(string path) => ParseFile(path, CriteriaVocabulary.Default);

    /// <summary>Reads a scenario file whose [D] criteria speak of <paramref name="clones"/> (a host's <see cref="Hosting.ArchalHostOptions.Clones"/>).</summary>
    /// <exception cref="ScenarioValidationException">The file is not a valid scenario.</exception>
    public static Scenario ParseFile(string path, IEnumerable<CloneDefinition> clones) => ParseFile(path, CriteriaVocabulary.For(clones));

    private static Scenario ParseFile(string path, CriteriaVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!System.IO.File.Exists(path))
        {
            throw new ScenarioValidationException(path, 0, "file not found.");
        }

        return Parse(System.IO.File.ReadAllText(path), path, vocabulary);
    }

    /// <summary>Reads every <c>*.md</c> scenario under <paramref name="directory"/> (recursively, sorted by path).</summary>
    /// <exception cref="ScenarioValidationException">A file is not a valid scenario.</exception>
    public static IReadOnlyList<Scenario> ParseDirectory(string directory) =>
        [.. FindFiles(directory).Select(ParseFile)];

    /// <summary>The scenario files <see cref="ParseDirectory"/> reads: <c>*.md</c> except README.md, sorted.</summary>
    public static IReadOnlyList<string> FindFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ScenarioValidationException(directory, 0, "directory not found.");
        }

        return [.. Directory.EnumerateFiles(directory, "*.md", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Reads scenario markdown. <paramref name="path"/> is used for the id, errors and relative seed files.</summary>
    /// <exception cref="ScenarioValidationException">The text is not a valid scenario.</exception>
    public static Scenario Parse(string markdown, string? path = null) => Parse(markdown, path, CriteriaVocabulary.Default);

    /// <summary>Reads scenario markdown whose [D] criteria speak of <paramref name="clones"/> (a host's <see cref="Hosting.ArchalHostOptions.Clones"/>).</summary>
    /// <exception cref="ScenarioValidationException">The text is not a valid scenario.</exception>
    public static Scenario Parse(string markdown, string? path, IEnumerable<CloneDefinition> clones) => Parse(markdown, path, CriteriaVocabulary.For(clones));

    private static Scenario Parse(string markdown, string? path, CriteriaVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? title = null;
        var sections = new Dictionary<string, (int Line, List<(int Line, string Text)> Body)>(StringComparer.Ordinal);
        List<(int, string)>? current = null;
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && line.StartsWith("# ", StringComparison.Ordinal))
            {
                if (title is not null)
                {
                    throw new ScenarioValidationException(path, number, $"a second '# Title' heading ('{line[2..].Trim()}'); a scenario has exactly one title.");
                }

                title = line[2..].Trim();
                current = null;
                continue;
            }

            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
            {
                var heading = line[3..].Trim();
                var known = KnownSections.FirstOrDefault(s => s.Equals(heading, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ScenarioValidationException(path, number,
                        $"unknown section '## {heading}'. Known sections: {string.Join(", ", KnownSections.Select(s => "## " + s))}.");
                var canonical = known switch { "Task" => "Prompt", "Checks" => "Success Criteria", _ => known };
                if (sections.ContainsKey(canonical))
                {
                    throw new ScenarioValidationException(path, number, $"section '## {canonical}' appears twice.");
                }

                current = [];
                sections[canonical] = (number, current);
                continue;
            }

            if (current is not null)
            {
                current.Add((number, line));
            }
            else if (line.Trim().Length > 0 && title is null)
            {
                throw new ScenarioValidationException(path, number, "text before the '# Title' heading; a scenario starts with '# Title'.");
            }
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ScenarioValidationException(path, 1, "missing '# Title' heading.");
        }

        string? Text(string name) => sections.TryGetValue(name, out var s) ? Join(s.Body) : null;
        var prompt = Text("Prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ScenarioValidationException(path, sections.TryGetValue("Prompt", out var p) ? p.Line : 0,
                sections.ContainsKey("Prompt") ? "the '## Prompt' section is empty." : "missing '## Prompt' (or '## Task') section: the task the agent receives.");
        }

        if (!sections.TryGetValue("Success Criteria", out var criteriaSection))
        {
            throw new ScenarioValidationException(path, 0, "missing '## Success Criteria' (or '## Checks') section.");
        }

        var criteria = ParseCriteria(criteriaSection.Body, path, vocabulary);
        if (criteria.Length == 0)
        {
            throw new ScenarioValidationException(path, criteriaSection.Line, "'## Success Criteria' lists no criteria; write bullets such as '- [D] Exactly 4 issues are closed'.");
        }

        var config = sections.TryGetValue("Config", out var configSection) ? ParseConfig(configSection.Body, path) : new ScenarioConfig();
        if (config.Clones.IsEmpty)
        {
            throw new ScenarioValidationException(path, configSection.Body is null ? 0 : configSection.Line,
                "no clones: add '## Config' with a line such as 'clones: github'.");
        }

        return new Scenario
        {
            Id = path is null ? Slug(title) : Path.GetFileNameWithoutExtension(path),
            Title = title,
            FilePath = path is null ? null : Path.GetFullPath(path),
            Setup = Text("Setup"),
            Prompt = prompt.Trim(),
            ExpectedBehavior = Text("Expected Behavior"),
            Criteria = criteria,
            Config = config,
        };
    }

    private static ImmutableArray<ScenarioCriterion> ParseCriteria(List<(int Line, string Text)> body, string? path, CriteriaVocabulary vocabulary)
    {
        var items = new List<(int Line, StringBuilder Text)>();
        foreach (var (number, raw) in body)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var bullet = BulletRegex().Match(line);
            if (bullet.Success)
            {
                items.Add((number, new StringBuilder(line[bullet.Length..].Trim())));
            }
            else if (items.Count > 0 && raw.StartsWith(' '))
            {
                items[^1].Text.Append(' ').Append(line);
            }
            else
            {
                throw new ScenarioValidationException(path, number, $"'{line}' is not a criterion; write each criterion as a bullet ('- [D] …' or '- [P] …').");
            }
        }

        var criteria = ImmutableArray.CreateBuilder<ScenarioCriterion>();
        foreach (var (number, builder) in items)
        {
            var text = builder.ToString();
            var tag = TagRegex().Match(text);
            var kind = CriterionKind.Probabilistic;
            if (tag.Success)
            {
                kind = tag.Groups[1].Value.Equals("D", StringComparison.OrdinalIgnoreCase) ? CriterionKind.Deterministic : CriterionKind.Probabilistic;
                text = text[tag.Length..].Trim();
            }
            else if (text.StartsWith('['))
            {
                throw new ScenarioValidationException(path, number, $"unknown criterion tag in '{text}'; use [D] (deterministic) or [P] (judged).");
            }

            if (text.Length == 0)
            {
                throw new ScenarioValidationException(path, number, "empty criterion.");
            }

            DeterministicCheck? check = null;
            if (kind == CriterionKind.Deterministic)
            {
                var parsed = CriterionGrammar.Parse(text, vocabulary);
                check = parsed.Check ?? throw new ScenarioValidationException(path, number, parsed.Error!);
            }

            criteria.Add(new ScenarioCriterion { Text = text, Kind = kind, Line = number, Check = check });
        }

        return criteria.ToImmutable();
    }

    /// <summary>
    /// Evaluates the config schema (<see cref="ArchalSchemas.ScenarioConfigJson"/>) over the section's keys and raw values first;
    /// a problem is reported in the words of the line-by-line reader, on its line, followed by its JSON Pointer.
    /// </summary>
    private static ScenarioConfig ParseConfig(List<(int Line, string Text)> body, string? path)
    {
        var values = new System.Text.Json.Nodes.JsonObject();
        var keyLines = new Dictionary<int, string>();
        foreach (var (number, raw) in body)
        {
            var line = raw.Trim();
            line = line.StartsWith("- ", StringComparison.Ordinal) ? line[2..].Trim() : line;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith("<!--", StringComparison.Ordinal))
            {
                var key = line[..colon].Trim().ToLowerInvariant();
                values[key] = line[(colon + 1)..].Trim();
                keyLines[number] = key;
            }
        }

        if (ArchalSchemas.CheckScenarioConfig(values) is not [var first, ..])
        {
            return ReadConfig(body, path);
        }

        try
        {
            ReadConfig(body, path);
        }
        catch (ScenarioValidationException ex) when (ex.Pointer is null)
        {
            var pointer = keyLines.TryGetValue(ex.Line, out var key) ? "/" + key : first.Path;
            throw new ScenarioValidationException(path, ex.Line, $"{ex.Problem} (at {(pointer.Length == 0 ? "/" : pointer)})") { Pointer = pointer };
        }

        var at = keyLines.FirstOrDefault(k => "/" + k.Value == first.Path).Key;
        throw new ScenarioValidationException(path, at, $"config: {first.Message} (at {(first.Path.Length == 0 ? "/" : first.Path)})") { Pointer = first.Path };
    }

    private static ScenarioConfig ReadConfig(List<(int Line, string Text)> body, string? path)
    {
        var config = new ScenarioConfig();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, raw) in body)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("<!--", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                line = line[2..].Trim();
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new ScenarioValidationException(path, number, $"'{line}' is not a config line; write 'key: value' (keys: {string.Join(", ", KnownConfigKeys)}).");
            }

            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (!KnownConfigKeys.Contains(key))
            {
                throw new ScenarioValidationException(path, number, $"unknown config key '{key}'. Known keys: {string.Join(", ", KnownConfigKeys)}.");
            }

            var canonical = key switch { "twins" => "clones", "seeds" => "seed", _ => key };
            if (!seen.Add(canonical))
            {
                throw new ScenarioValidationException(path, number, $"config key '{canonical}' is set twice.");
            }

            if (value.Length == 0)
            {
                throw new ScenarioValidationException(path, number, $"config key '{key}' has no value.");
            }

            switch (canonical)
            {
                case "clones":
                    var clones = SplitList(value);
                    var bad = clones.FirstOrDefault(c => !CloneIdRegex().IsMatch(c));
                    if (bad is not null)
                    {
                        throw new ScenarioValidationException(path, number, $"'{bad}' is not a clone id (lower case, for example github, slack, stripe).");
                    }

                    config = config with { Clones = [.. clones.Distinct(StringComparer.Ordinal)] };
                    break;
                case "seed":
                    config = ParseSeed(config, value, path, number);
                    break;
                case "timeout":
                    var seconds = ParsePositive(value, "timeout", path, number, allowSuffix: true);
                    config = config with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "runs":
                    var runs = ParsePositive(value, "runs", path, number, allowSuffix: false);
                    if (runs > 1000)
                    {
                        throw new ScenarioValidationException(path, number, $"runs must be between 1 and 1000; got {runs}.");
                    }

                    config = config with { Runs = runs };
                    break;
                case "tags":
                    config = config with { Tags = [.. SplitList(value)] };
                    break;
                case "model":
                    config = config with { Model = value };
                    break;
                case "faults":
                    if (!LooksLikeFile(value))
                    {
                        try
                        {
                            FaultRule.ParseList(value);
                        }
                        catch (FormatException ex)
                        {
                            throw new ScenarioValidationException(path, number, $"faults: {ex.Message}");
                        }
                    }

                    config = config with { Faults = value };
                    break;
            }
        }

        return config;
    }

    private static ScenarioConfig ParseSeed(ScenarioConfig config, string value, string? path, int number)
    {
        // seed: stale-issues | seed: github: stale-issues, slack: incident-active | seed: ../seeds/x.json
        if (LooksLikeFile(value))
        {
            return config with { SeedFile = value };
        }

        if (!value.Contains(':', StringComparison.Ordinal))
        {
            if (!SeedNameRegex().IsMatch(value))
            {
                throw new ScenarioValidationException(path, number, $"'{value}' is neither a seed name nor a seed file (.json, .yaml, .yml).");
            }

            return config with { Seed = value };
        }

        var seeds = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var part in SplitList(value))
        {
            var pair = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !CloneIdRegex().IsMatch(pair[0]) || pair[1].Length == 0)
            {
                throw new ScenarioValidationException(path, number, $"'{part}' is not 'clone: seed' (for example 'github: stale-issues').");
            }

            if (LooksLikeFile(pair[1]))
            {
                throw new ScenarioValidationException(path, number, $"a seed file applies to the whole scenario; write 'seed: {pair[1]}' and key its entities by clone inside the file.");
            }

            if (!seeds.TryAdd(pair[0], pair[1]))
            {
                throw new ScenarioValidationException(path, number, $"clone '{pair[0]}' has two seeds.");
            }
        }

        return config with { CloneSeeds = seeds.ToImmutable() };
    }

    internal static bool LooksLikeFile(string value) =>
        value.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
        || value.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static int ParsePositive(string value, string key, string? path, int number, bool allowSuffix)
    {
        var text = allowSuffix && value.EndsWith('s') ? value[..^1].Trim() : value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var result) || result < 1)
        {
            throw new ScenarioValidationException(path, number, $"{key} must be a positive whole number{(allowSuffix ? " of seconds" : "")}; got '{value}'.");
        }

        return result;
    }

    private static List<string> SplitList(string value) =>
        [.. value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Aggregate(new List<string>(), (list, part) =>
            {
                // Keep "github: stale-issues" together when split on spaces.
                if (list.Count > 0 && list[^1].EndsWith(':'))
                {
                    list[^1] += " " + part;
                }
                else
                {
                    list.Add(part);
                }

                return list;
            })];

    private static string Join(List<(int Line, string Text)> body)
    {
        var text = string.Join("\n", body.Select(b => b.Text)).Trim();
        return text;
    }

    private static string Slug(string title) =>
        SlugRegex().Replace(title.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex(@"^(?:[-*+]|\d+[.)])\s+")]
    private static partial Regex BulletRegex();

    [GeneratedRegex(@"^\[\s*([DdPp])\s*\]")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")]
    private static partial Regex CloneIdRegex();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex SeedNameRegex();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex SlugRegex();
}
