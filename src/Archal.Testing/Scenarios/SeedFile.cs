using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archal.Testing.Clones;
using Archal.Testing.Clones.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Archal.Testing.Scenarios;

/// <summary>
/// A seed file (JSON or YAML) declaring exact entities per clone, applied on top of each clone's named seed:
/// <code>
/// github:
///   seed: empty            # optional base named seed
///   repos: [{ owner: acme, name: webapp }]
///   issues:
///     - { repo: acme/webapp, title: Old bug, labels: [bug], updated: 120 days ago }
/// </code>
/// Fields a clone does not get are filled deterministically by the clone from the session's random seed.
/// Relative times (<c>updated: 120 days ago</c>) become the clone's <c>*_days_ago</c>/<c>minutes_ago</c>
/// fields and resolve against the session's TimeProvider.
/// </summary>
public sealed partial record SeedFile
{
    private static readonly Lazy<IReadOnlyList<CloneDefinition>> BuiltIn = new(BuiltInClones.Create);

    /// <summary>The file, if read from one.</summary>
    public string? Path { get; init; }

    /// <summary>A base named seed per clone (the <c>seed:</c> key inside a clone's block).</summary>
    public IReadOnlyDictionary<string, string> Seeds { get; init; } = new Dictionary<string, string>();

    /// <summary>The declared entities per clone, as sent in <c>seeds.{clone}.data</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> Data { get; init; } = new Dictionary<string, JsonObject>();

    /// <summary>Reads and validates a seed file.</summary>
    /// <exception cref="ScenarioValidationException">The file is missing, malformed or references something it does not declare.</exception>
    public static SeedFile Load(string path) => Load(path, BuiltIn.Value);

    /// <summary>Reads a seed file and checks it with the seed-file checks of <paramref name="clones"/> (<see cref="CloneDefinition.CheckSeedData"/>).</summary>
    /// <exception cref="ScenarioValidationException">The file is missing, malformed or references something it does not declare.</exception>
    public static SeedFile Load(string path, IEnumerable<CloneDefinition> clones)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ScenarioValidationException(path, 0, "seed file not found.");
        }

        var text = File.ReadAllText(path);
        var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        return Parse(text, yaml, path, clones);
    }

    /// <summary>Parses seed file text (JSON, or YAML when <paramref name="yaml"/>).</summary>
    /// <exception cref="ScenarioValidationException">The text is malformed or references something it does not declare.</exception>
    public static SeedFile Parse(string text, bool yaml, string? path = null) => Parse(text, yaml, path, BuiltIn.Value);

    /// <summary>
    /// Parses seed file text (JSON, or YAML when <paramref name="yaml"/>) and checks each clone's block with that
    /// clone's <see cref="CloneDefinition.CheckSeedData"/>; blocks for clones not in <paramref name="clones"/> are not checked.
    /// </summary>
    /// <exception cref="ScenarioValidationException">The text is malformed or references something it does not declare.</exception>
    public static SeedFile Parse(string text, bool yaml, string? path, IEnumerable<CloneDefinition> clones)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(clones);
        var root = ReadTree(text, yaml, path);
        if (ArchalSchemas.CheckSeedFile(root) is [var first, ..])
        {
            throw SchemaError(path, first);
        }

        var blocks = root!.AsObject();

        var seeds = new Dictionary<string, string>(StringComparer.Ordinal);
        var data = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (clone, value) in blocks)
        {
            var copy = value!.DeepClone().AsObject();
            if (copy["seed"] is JsonValue seedName && seedName.GetValueKind() == JsonValueKind.String)
            {
                seeds[clone] = seedName.GetValue<string>();
                copy.Remove("seed");
            }

            // An exported state (archal-testing run --save-seed) holds absolute times and exact text: it is read as written.
            foreach (var (name, section) in copy)
            {
                if (name != "state")
                {
                    NormalizeTimes(section);
                }
            }

            data[clone] = copy;
        }

        var file = new SeedFile { Path = path, Seeds = seeds, Data = data };
        file.ValidateReferences(clones);
        return file;
    }

    /// <summary>Every place where seed file text breaks the seed file schema (<see cref="ArchalSchemas.SeedFileJson"/>).</summary>
    /// <exception cref="ScenarioValidationException">The text is not JSON (or YAML).</exception>
    public static IReadOnlyList<SchemaProblem> CheckSchema(string text, bool yaml, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ArchalSchemas.CheckSeedFile(ReadTree(text, yaml, path));
    }

    private static JsonNode? ReadTree(string text, bool yaml, string? path)
    {
        try
        {
            return yaml ? YamlToJson(text) : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ScenarioValidationException(path, (int)(ex.LineNumber ?? -1) + 1, $"invalid JSON: {ex.Message}");
        }
        catch (YamlException ex)
        {
            throw new ScenarioValidationException(path, (int)ex.Start.Line, $"invalid YAML: {ex.Message}");
        }
    }

    /// <summary>A schema problem in the words the parser used before it had a schema, followed by its JSON Pointer.</summary>
    private static ScenarioValidationException SchemaError(string? path, SchemaProblem problem)
    {
        var segments = problem.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var text = segments switch
        {
            [] => "a seed file is an object keyed by clone id (github, slack, stripe, …).",
            [var clone] => $"'{clone}' must be an object of entity lists (for example repos, issues).",
            [var clone, "seed"] => $"'{clone}.seed' must be the name of a base seed (text); {problem.Message}.",
            [var clone, var table] => $"'{clone}.{table}' must be a list of entities.",
            _ => problem.Message + ".",
        };
        return new ScenarioValidationException(path, segments.Length == 0 ? 1 : 0, $"{text} (at {(problem.Path.Length == 0 ? "/" : problem.Path)})")
        {
            Pointer = problem.Path,
        };
    }

    /// <summary>Runs each clone's own checks on its block (references to entities the file declares, when the base seed is empty).</summary>
    private void ValidateReferences(IEnumerable<CloneDefinition> clones)
    {
        foreach (var clone in clones)
        {
            if (Data.TryGetValue(clone.Id, out var block)
                && clone.CheckSeedData(block, Seeds.GetValueOrDefault(clone.Id, clone.DefaultSeed)) is [var problem, ..])
            {
                throw new ScenarioValidationException(Path, 0, problem + ".");
            }
        }
    }

    /// <summary><c>updated: "120 days ago"</c> → <c>updated_days_ago: 120</c>; <c>at: "5 minutes ago"</c> → <c>minutes_ago: 5</c>.</summary>
    private static void NormalizeTimes(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    NormalizeTimes(item);
                }

                break;
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && RelativeTimeRegex().Match(v.GetValue<string>()) is { Success: true } m)
                    {
                        var amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                        var minutes = m.Groups[2].Value.ToLowerInvariant() switch
                        {
                            var u when u.StartsWith("minute", StringComparison.Ordinal) => amount,
                            var u when u.StartsWith("hour", StringComparison.Ordinal) => amount * 60,
                            var u when u.StartsWith("week", StringComparison.Ordinal) => amount * 7 * 24 * 60,
                            _ => amount * 24 * 60,
                        };
                        obj.Remove(key);
                        if (key.EndsWith("minutes_ago", StringComparison.Ordinal) || key is "at" or "posted" or "sent" or "time")
                        {
                            obj[key.EndsWith("minutes_ago", StringComparison.Ordinal) ? key : "minutes_ago"] = (long)Math.Round(minutes);
                        }
                        else
                        {
                            var name = key.EndsWith("_days_ago", StringComparison.Ordinal) || key == "days_ago" ? key
                                : key.EndsWith("_ago", StringComparison.Ordinal) ? key[..^4] + "_days_ago"
                                : key.EndsWith("_at", StringComparison.Ordinal) ? key[..^3] + "_days_ago"
                                : key + "_days_ago";
                            obj[name] = (long)Math.Round(minutes / (24 * 60));
                        }
                    }
                    else
                    {
                        NormalizeTimes(value);
                    }
                }

                break;
        }
    }

    internal static JsonNode? YamlToJson(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", Convert(p.Value)))),
            YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };

        static JsonNode? Scalar(YamlScalarNode scalar)
        {
            var value = scalar.Value;
            if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted || value is null)
            {
                return value is null ? null : JsonValue.Create(value);
            }

            if (value is "null" or "~" or "")
            {
                return null;
            }

            if (value is "true" or "false")
            {
                return JsonValue.Create(value == "true");
            }

            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            return JsonValue.Create(value);
        }
    }

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s+(minutes?|hours?|days?|weeks?)\s+ago\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RelativeTimeRegex();
}
