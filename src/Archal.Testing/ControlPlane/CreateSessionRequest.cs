using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.ControlPlane;

/// <summary>The validated body of <c>POST /api/sessions</c> (create-session.md).</summary>
internal sealed record CreateSessionRequest(
    IReadOnlyList<string> Clones,
    string? ScenarioId,
    bool PreflightOnly,
    string Transport,
    int? TtlSeconds,
    int ScenarioRunCount,
    int? RateLimit,
    IReadOnlyDictionary<string, string> Seeds,
    int? RandomSeed,
    JsonObject Objects)
{
    /// <summary>Declared entities per clone (from a seed file), given as <c>seeds.{clone}.data</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> SeedData { get; init; } = new Dictionary<string, JsonObject>(StringComparer.Ordinal);

    /// <summary>The snapshot a fork starts from (<c>source.snapshotId</c>), or null for a seeded session.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Fault rules to add when the session starts (<c>runConfig.faults</c>).</summary>
    public IReadOnlyList<FaultRuleSpec> Faults { get; init; } = [];

    private static readonly string[] ObjectFields = ["routing", "seeds", "source", "credential", "runConfig", "scenarioDraft", "runProject"];

    private static readonly HashSet<string> KnownFields =
    [
        "clones", "scenarioId", "preflightOnly", "transport", "ttlSeconds", "scenarioRunCount", "rateLimit",
        .. ObjectFields,
    ];

    /// <summary>Parses and validates a request body; returns either the request or the 400 to send.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="findClone">The host's clones by id.</param>
    /// <param name="snapshotClones">The clones of a snapshot the caller may fork, or null when there is no such snapshot.</param>
    public static (CreateSessionRequest? Request, ControlPlaneError? Error) Parse(ReadOnlyMemory<byte> body, Func<string, Clones.Abstractions.CloneDefinition?> findClone,
        Func<string, IReadOnlyList<string>?>? snapshotClones = null)
    {
        if (body.IsEmpty)
        {
            return Fail("missing_body", "The request body is empty; expected a JSON object with at least 'clones'.");
        }

        // Text that parses as JSON but is not Unicode would throw later (reading or writing the value back).
        if (JsonTextCheck.FindInvalidText(body.Span) is { } invalid)
        {
            return Fail("invalid_text", $"The request body holds invalid text: {invalid.Problem}.", invalid.Field);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return Fail("invalid_json", $"The request body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("invalid_body", $"The request body must be a JSON object, not {Describe(root.ValueKind)}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name))
                {
                    return Fail("unknown_field", $"Unknown field '{property.Name}'. Known fields: {string.Join(", ", KnownFields)}.", property.Name);
                }
            }

            string? snapshotId = null;
            IReadOnlyList<string>? forkClones = null;
            if (root.TryGetProperty("source", out var sourceElement) && sourceElement.ValueKind == JsonValueKind.Object
                && sourceElement.TryGetProperty("snapshotId", out var snapshotElement) && snapshotElement.ValueKind != JsonValueKind.Null)
            {
                if (snapshotElement.ValueKind != JsonValueKind.String)
                {
                    return Fail("invalid_type", $"Field 'source.snapshotId' must be a string, not {Describe(snapshotElement.ValueKind)}.", "source.snapshotId");
                }

                snapshotId = snapshotElement.GetString()!;
                forkClones = snapshotClones?.Invoke(snapshotId);
                if (forkClones is null)
                {
                    return Fail("unknown_snapshot", $"There is no snapshot '{snapshotId}' (snapshots come from POST /api/sessions/{{id}}/snapshots).", "source.snapshotId");
                }

                if (root.TryGetProperty("seeds", out var forkSeeds) && forkSeeds.ValueKind == JsonValueKind.Object && forkSeeds.EnumerateObject().Any())
                {
                    return Fail("invalid_value", "A session forked from a snapshot starts from the snapshot's state: leave 'seeds' out.", "seeds");
                }
            }

            JsonElement clonesElement;
            if (forkClones is not null && (!root.TryGetProperty("clones", out clonesElement) || clonesElement.ValueKind == JsonValueKind.Null))
            {
                clonesElement = JsonSerializer.SerializeToElement(forkClones);
            }
            else if (!root.TryGetProperty("clones", out clonesElement) || clonesElement.ValueKind == JsonValueKind.Null)
            {
                return Fail("missing_field", "Field 'clones' is required: a non-empty array of clone ids.", "clones");
            }

            if (clonesElement.ValueKind != JsonValueKind.Array)
            {
                return Fail("invalid_type", $"Field 'clones' must be an array of strings, not {Describe(clonesElement.ValueKind)}.", "clones");
            }

            var clones = new List<string>();
            foreach (var item in clonesElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return Fail("invalid_type", $"Field 'clones' must contain only strings; found {Describe(item.ValueKind)}.", "clones");
                }

                var id = item.GetString()!;
                if (findClone(id) is null)
                {
                    return Fail("unknown_clone", $"Unknown clone '{id}' in 'clones'.", "clones");
                }

                if (clones.Contains(id))
                {
                    return Fail("invalid_value", $"Clone '{id}' is listed twice in 'clones'.", "clones");
                }

                clones.Add(id);
            }

            if (clones.Count == 0)
            {
                return Fail("invalid_value", "Field 'clones' must list at least one clone.", "clones");
            }

            if (forkClones is not null && !clones.Order(StringComparer.Ordinal).SequenceEqual(forkClones.Order(StringComparer.Ordinal)))
            {
                return Fail("invalid_value", $"A fork has the clones of its snapshot ({string.Join(", ", forkClones)}); leave 'clones' out or list exactly those.", "clones");
            }

            var objects = new JsonObject();
            foreach (var name in ObjectFields)
            {
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (value.ValueKind != JsonValueKind.Object)
                {
                    return Fail("invalid_type", $"Field '{name}' must be an object, not {Describe(value.ValueKind)}.", name);
                }

                objects[name] = JsonNode.Parse(value.GetRawText());
            }

            ControlPlaneError?[] errors =
            [
                ReadString(root, "scenarioId", out var scenarioId),
                ReadString(root, "transport", out var transport),
                ReadBool(root, "preflightOnly", out var preflightOnly),
                ReadInt(root, "ttlSeconds", 1, 86400, out var ttl),
                ReadInt(root, "scenarioRunCount", 1, 1000, out var runCount),
                ReadInt(root, "rateLimit", 1, 100000, out var rateLimit),
            ];
            if (errors.FirstOrDefault(e => e is not null) is { } error)
            {
                return (null, error);
            }

            if (transport is { Length: 0 })
            {
                return Fail("invalid_value", "Field 'transport' must not be empty.", "transport");
            }

            var seeds = new Dictionary<string, string>(StringComparer.Ordinal);
            var seedData = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            if (root.TryGetProperty("seeds", out var seedsElement) && seedsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var seed in seedsElement.EnumerateObject())
                {
                    var field = $"seeds.{seed.Name}";
                    if (!clones.Contains(seed.Name))
                    {
                        return Fail("invalid_value", $"'seeds' names clone '{seed.Name}', which is not in 'clones'.", field);
                    }

                    var clone = findClone(seed.Name)!;
                    string seedName;
                    if (seed.Value.ValueKind == JsonValueKind.Object)
                    {
                        // { "seed": "<named seed>", "data": { declared entities } }: a seed file's content.
                        foreach (var member in seed.Value.EnumerateObject())
                        {
                            if (member.Name is not ("seed" or "data"))
                            {
                                return Fail("unknown_field", $"Unknown field '{field}.{member.Name}'. Known fields: seed, data.", $"{field}.{member.Name}");
                            }
                        }

                        if (seed.Value.TryGetProperty("seed", out var nameElement) && nameElement.ValueKind != JsonValueKind.Null)
                        {
                            if (nameElement.ValueKind != JsonValueKind.String)
                            {
                                return Fail("invalid_type", $"Field '{field}.seed' must be a seed name (string), not {Describe(nameElement.ValueKind)}.", $"{field}.seed");
                            }

                            seedName = nameElement.GetString()!;
                        }
                        else
                        {
                            seedName = clone.DefaultSeed;
                        }

                        if (seed.Value.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
                        {
                            if (dataElement.ValueKind != JsonValueKind.Object)
                            {
                                return Fail("invalid_type", $"Field '{field}.data' must be an object of declared entities, not {Describe(dataElement.ValueKind)}.", $"{field}.data");
                            }

                            seedData[seed.Name] = JsonNode.Parse(dataElement.GetRawText())!.AsObject();
                        }
                    }
                    else if (seed.Value.ValueKind == JsonValueKind.String)
                    {
                        seedName = seed.Value.GetString()!;
                    }
                    else
                    {
                        return Fail("invalid_type", $"Field '{field}' must be a seed name (string) or an object {{ seed, data }}, not {Describe(seed.Value.ValueKind)}.", field);
                    }

                    if (!clone.SeedNames.Contains(seedName))
                    {
                        return Fail("unknown_seed", $"Clone '{seed.Name}' has no seed named '{seedName}'. Known seeds: {string.Join(", ", clone.SeedNames)}.", field);
                    }

                    seeds[seed.Name] = seedName;
                }
            }

            List<FaultRuleSpec>? faults = null;
            if (root.TryGetProperty("runConfig", out var faultConfig) && faultConfig.ValueKind == JsonValueKind.Object
                && faultConfig.TryGetProperty("faults", out var faultsElement) && faultsElement.ValueKind != JsonValueKind.Null)
            {
                (faults, var faultError) = FaultRuleParser.ParseArray(faultsElement, clones, findClone, "runConfig.faults");
                if (faultError is not null)
                {
                    return (null, faultError);
                }
            }

            int? randomSeed = null;
            if (root.TryGetProperty("runConfig", out var runConfig) && runConfig.ValueKind == JsonValueKind.Object
                && runConfig.TryGetProperty("seed", out var seedValue))
            {
                if (seedValue.ValueKind != JsonValueKind.Number || !seedValue.TryGetInt32(out var parsedSeed))
                {
                    return Fail("invalid_type", "Field 'runConfig.seed' must be a 32-bit integer.", "runConfig.seed");
                }

                randomSeed = parsedSeed;
            }

            return (new CreateSessionRequest(clones, scenarioId, preflightOnly ?? false, transport ?? "cloud", ttl,
                runCount ?? 1, rateLimit, seeds, randomSeed, objects) { SeedData = seedData, Faults = faults ?? [], SnapshotId = snapshotId }, null);
        }
    }

    private static (CreateSessionRequest?, ControlPlaneError?) Fail(string code, string message, string? field = null) =>
        (null, ControlPlaneError.BadRequest(code, message, field));

    private static ControlPlaneError? ReadString(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return ControlPlaneError.BadRequest("invalid_type", $"Field '{name}' must be a string, not {Describe(element.ValueKind)}.", name);
        }

        value = element.GetString();
        return null;
    }

    private static ControlPlaneError? ReadBool(JsonElement root, string name, out bool? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ControlPlaneError.BadRequest("invalid_type", $"Field '{name}' must be a boolean, not {Describe(element.ValueKind)}.", name);
        }

        value = element.GetBoolean();
        return null;
    }

    private static ControlPlaneError? ReadInt(JsonElement root, string name, int min, int max, out int? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number))
        {
            return ControlPlaneError.BadRequest("invalid_type", $"Field '{name}' must be an integer, not {(element.ValueKind == JsonValueKind.Number ? "a fraction" : Describe(element.ValueKind))}.", name);
        }

        if (number < min || number > max)
        {
            return ControlPlaneError.BadRequest("out_of_range", $"Field '{name}' must be between {min} and {max}; got {number}.", name);
        }

        value = (int)number;
        return null;
    }

    /// <summary>A JSON kind as error messages name it ("an object", "a string", …).</summary>
    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
