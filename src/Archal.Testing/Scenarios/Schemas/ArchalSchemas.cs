using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Archal.Testing.Scenarios;

/// <summary>One place in a document that its JSON Schema rejects.</summary>
/// <param name="Path">The JSON Pointer to the rejected value (<c>/github/issues</c>; empty for the whole document).</param>
/// <param name="Message">What is wrong there.</param>
public sealed record SchemaProblem(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Path.Length == 0 ? "/" : Path)}: {Message}";
}

/// <summary>
/// The JSON Schemas for seed files and a scenario's <c>## Config</c>, shipped in this assembly (and in docs/schemas/),
/// and evaluated by <see cref="SeedFile"/> and <see cref="ScenarioParser"/> before they read a document.
/// </summary>
public static class ArchalSchemas
{
    private static readonly Lazy<JsonSchema> SeedFileSchema = new(() => Build("seed-file.schema.json"));
    private static readonly Lazy<JsonSchema> ConfigSchema = new(() => Build("scenario-config.schema.json"));

    /// <summary>The seed file schema (JSON Schema draft 2020-12).</summary>
    public static string SeedFileJson { get; } = Read("seed-file.schema.json");

    /// <summary>The scenario <c>## Config</c> schema (JSON Schema draft 2020-12), over the keys' raw text values.</summary>
    public static string ScenarioConfigJson { get; } = Read("scenario-config.schema.json");

    /// <summary>Every place where <paramref name="document"/> breaks the seed file schema, in document order.</summary>
    public static IReadOnlyList<SchemaProblem> CheckSeedFile(JsonNode? document) => Check(SeedFileSchema.Value, document);

    /// <summary>Every place where <paramref name="config"/> (a <c>## Config</c> section as key → raw value) breaks the config schema.</summary>
    public static IReadOnlyList<SchemaProblem> CheckScenarioConfig(JsonNode? config) => Check(ConfigSchema.Value, config);

    private static List<SchemaProblem> Check(JsonSchema schema, JsonNode? document)
    {
        using var parsed = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var result = schema.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        // The list output repeats a failure at each enclosing schema ($ref, additionalProperties); keep the deepest
        // location's own keyword errors, once each.
        var problems = new List<SchemaProblem>();
        foreach (var detail in result.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                var problem = new SchemaProblem(detail.InstanceLocation.ToString(), Describe(keyword, message, detail, document));
                if (!problems.Contains(problem))
                {
                    problems.Add(problem);
                }
            }
        }

        var deepest = problems.Where(p => !problems.Any(o => o.Path.Length > p.Path.Length && o.Path.StartsWith(p.Path + "/", StringComparison.Ordinal))).ToList();
        return [.. deepest.OrderBy(p => p.Path, StringComparer.Ordinal)];
    }

    private static string Describe(string keyword, string message, EvaluationResults detail, JsonNode? document)
    {
        var value = document is not null && detail.InstanceLocation.TryEvaluate(document, out var node) ? node : null;
        var kind = value?.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => "text",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            _ => "null",
        };
        return keyword switch
        {
            "type" => $"{message} (got {kind})",
            "additionalProperties" or "false" => "unknown key",
            _ => message,
        };
    }

    // A registry of our own: the schemas' $id must not clash with a copy the user's code loads into the global one.
    private static JsonSchema Build(string name) =>
        JsonSchema.FromText(Read(name), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static string Read(string name)
    {
        using var stream = typeof(ArchalSchemas).Assembly.GetManifestResourceStream($"Archal.Testing.Scenarios.Schemas.{name}")
            ?? throw new InvalidOperationException($"The embedded schema {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
