using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Archal.Testing.Clones.Tests.Schemas;

/// <summary>
/// Validates response bodies against the response schema of an operation in an official OpenAPI
/// description (OpenAPI 3.0 <c>components</c> or Swagger 2.0 <c>definitions</c>), with JsonSchema.Net
/// (JSON Schema draft 7).
/// </summary>
/// <remarks>
/// JsonSchema.Net validates JSON Schema; OpenAPI 3.0's <c>nullable: true</c> (and Swagger's
/// <c>x-nullable</c>) is rewritten into JSON Schema first: <c>type: X</c> becomes <c>type: [X, "null"]</c>,
/// and a nullable <c>$ref</c>/composition becomes <c>anyOf: [..., {type: null}]</c>.
/// </remarks>
public sealed class OpenApiResponseValidator
{
    private readonly JsonObject _document;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public OpenApiResponseValidator(string specPath)
    {
        _document = JsonNode.Parse(File.ReadAllText(specPath))!.AsObject();
        Normalize(_document);
    }

    /// <summary>Loads a spec from the test data folder (copied next to the test binaries).</summary>
    public static OpenApiResponseValidator FromTestData(params string[] relativePath) =>
        new(Path.Combine([AppContext.BaseDirectory, "Specs", .. relativePath]));

    /// <summary>The validation errors of <paramref name="body"/> (empty when valid).</summary>
    /// <param name="method">HTTP method, lower case in the spec (get, post, ...).</param>
    /// <param name="pathTemplate">The spec's path key, for example <c>/repos/{owner}/{repo}/issues</c>.</param>
    /// <param name="status">The response status key, for example <c>200</c> or <c>default</c>.</param>
    /// <param name="body">The JSON body to validate.</param>
    public IReadOnlyList<string> Validate(string method, string pathTemplate, string status, string body)
    {
        var schema = _schemas.GetOrAdd($"{method} {pathTemplate} {status}", _ => Build(method, pathTemplate, status));
        using var document = JsonDocument.Parse(body);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? [results])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} ({e.Value})"))
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Whether the spec defines a JSON response schema for the operation and status.</summary>
    public bool HasSchema(string method, string pathTemplate, string status) => FindSchema(method, pathTemplate, status) is not null;

    private JsonSchema Build(string method, string pathTemplate, string status)
    {
        var schema = FindSchema(method, pathTemplate, status)
            ?? throw new ArgumentException($"The spec has no JSON schema for {method.ToUpperInvariant()} {pathTemplate} {status}.");
        // Draft 7 is the JSON Schema closest to OpenAPI 3.0 / Swagger 2.0: tuple "items" arrays, "definitions",
        // $ref siblings ignored, vendor "x-" keywords allowed. The spec's schemas move under "definitions".
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        if (_document["components"] is JsonObject components)
        {
            root["definitions"] = components["schemas"]?.DeepClone();
        }

        if (_document["definitions"] is JsonObject definitions)
        {
            root["definitions"] = definitions.DeepClone();
        }

        var json = root.ToJsonString().Replace("\"#/components/schemas/", "\"#/definitions/", StringComparison.Ordinal);
        // A base URI of its own: every built schema is registered, and operations must not collide.
        return JsonSchema.FromText(json, baseUri: new Uri($"urn:archal-tests:openapi:{Guid.NewGuid():N}"));
    }

    private JsonNode? FindSchema(string method, string pathTemplate, string status)
    {
        var response = _document["paths"]?[pathTemplate]?[method.ToLowerInvariant()]?["responses"]?[status];
        if (response?["$ref"] is JsonValue reference)
        {
            response = Resolve(reference.GetValue<string>());
        }

        return response?["content"]?["application/json"]?["schema"] ?? response?["schema"];
    }

    private JsonNode? Resolve(string reference)
    {
        JsonNode? node = _document;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node;
    }

    private static void Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Normalize(item);
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToList())
                {
                    Normalize(value);
                }

                var nullable = IsTrue(obj["nullable"]) || IsTrue(obj["x-nullable"]);
                obj.Remove("nullable");
                obj.Remove("x-nullable");
                if (!nullable)
                {
                    break;
                }

                if (obj["type"] is JsonValue type)
                {
                    obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                    if (obj["enum"] is JsonArray values && !values.Any(v => v is null))
                    {
                        values.Add(null);
                    }
                }
                else
                {
                    // $ref, allOf, oneOf, anyOf: move the schema into anyOf beside null.
                    var inner = new JsonObject();
                    foreach (var key in new[] { "$ref", "allOf", "oneOf", "anyOf" })
                    {
                        if (obj[key] is { } value)
                        {
                            obj.Remove(key);
                            inner[key] = value;
                        }
                    }

                    if (inner.Count > 0)
                    {
                        obj["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" });
                    }
                }

                break;
        }
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;
}
