using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using System.Text.Json.Nodes;

namespace Archal.Testing.Hosting;

/// <summary>
/// What to start: the clones of a session and how to seed them. Immutable; each <c>With…</c> returns a new request.
/// </summary>
public sealed record SessionRequest
{
    /// <summary>A request for a session with <paramref name="clones"/>.</summary>
    public SessionRequest(params string[] clones) => Clones = [.. clones];

    /// <summary>The clone ids, for example <c>github</c>.</summary>
    public ImmutableArray<string> Clones { get; init; }

    /// <summary>Named seed per clone; a clone without one starts from its default seed.</summary>
    public ImmutableDictionary<string, string> Seeds { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Declared entities per clone (a seed file's content), applied on top of the clone's named seed
    /// (or its default seed). Sent as <c>seeds.{clone} = { "seed": name, "data": {...} }</c>.
    /// </summary>
    public ImmutableDictionary<string, JsonObject> SeedData { get; init; } = ImmutableDictionary<string, JsonObject>.Empty;

    /// <summary>The session's random seed; null uses the host's <see cref="ArchalHostOptions.RandomSeed"/>.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>Seconds until the session expires (1..86400); null uses the host default.</summary>
    public int? TtlSeconds { get; init; }

    /// <summary>Maximum runtime requests before the session answers 429; null for no limit.</summary>
    public int? RateLimit { get; init; }

    /// <summary>The scenario this session runs, if any.</summary>
    public string? ScenarioId { get; init; }

    /// <summary>Fault rules added when the session starts (sent as <c>runConfig.faults</c>).</summary>
    public ImmutableArray<FaultRule> Faults { get; init; } = [];

    /// <summary>The snapshot the session is forked from (sent as <c>source.snapshotId</c>), or null.</summary>
    public string? SnapshotId { get; init; }

    /// <summary>Returns a request that adds <paramref name="rule"/> when the session starts.</summary>
    [Pure]
    public SessionRequest WithFault(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return this with { Faults = Faults.Add(rule) };
    }

    /// <summary>
    /// Returns a request for a fork of <paramref name="snapshot"/>: a new, independent session whose clones start from the
    /// snapshot's state (its clones; seeds are not applied) with the snapshot's fault rules, and an empty trace.
    /// </summary>
    [Pure]
    public SessionRequest FromSnapshot(ArchalSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return this with { SnapshotId = snapshot.Id, Clones = [.. snapshot.CloneIds], Seeds = Seeds.Clear(), SeedData = SeedData.Clear() };
    }

    /// <summary>Returns a request that seeds <paramref name="cloneId"/> with the named seed.</summary>
    [Pure]
    public SessionRequest WithSeed(string cloneId, string seedName) => this with { Seeds = Seeds.SetItem(cloneId, seedName) };

    /// <summary>Returns a request that declares entities for <paramref name="cloneId"/> (the shape each clone documents).</summary>
    [Pure]
    public SessionRequest WithSeedData(string cloneId, JsonObject data) => this with { SeedData = SeedData.SetItem(cloneId, data) };

    /// <summary>
    /// Returns a request seeded from a seed file's content (<c>{"github": {"seed": "empty", …entities}, …}</c>, for example
    /// what <see cref="ArchalSnapshot.ExportSeedFileAsync"/> returns): each block's <c>seed</c> becomes the clone's named seed
    /// and the rest its seed data. A clone the file seeds that the request does not name yet is added.
    /// </summary>
    /// <exception cref="ArgumentException">A block is not an object, or its <c>seed</c> is not text.</exception>
    [Pure]
    public SessionRequest WithSeedFile(JsonObject seedFile)
    {
        ArgumentNullException.ThrowIfNull(seedFile);
        var request = this;
        foreach (var (cloneId, node) in seedFile)
        {
            if (node is not JsonObject block)
            {
                throw new ArgumentException($"The seed file's '{cloneId}' block must be an object.", nameof(seedFile));
            }

            var data = (JsonObject)block.DeepClone();
            if (data["seed"] is { } seed)
            {
                request = request.WithSeed(cloneId, seed is JsonValue v && v.TryGetValue<string>(out var name)
                    ? name
                    : throw new ArgumentException($"The seed file's '{cloneId}.seed' must be a seed name (text).", nameof(seedFile)));
                data.Remove("seed");
            }

            request = request.WithSeedData(cloneId, data);
            if (!request.Clones.Contains(cloneId))
            {
                request = request with { Clones = request.Clones.Add(cloneId) };
            }
        }

        return request;
    }

    /// <summary>Returns a request with the given random seed.</summary>
    [Pure]
    public SessionRequest WithRandomSeed(int seed) => this with { RandomSeed = seed };

    internal JsonObject ToJson()
    {
        var body = new JsonObject { ["clones"] = new JsonArray([.. Clones.Select(c => JsonValue.Create(c))]) };
        if (!Seeds.IsEmpty || !SeedData.IsEmpty)
        {
            var seeds = new JsonObject();
            foreach (var clone in Clones)
            {
                var name = Seeds.GetValueOrDefault(clone);
                if (SeedData.TryGetValue(clone, out var data))
                {
                    var entry = new JsonObject { ["data"] = data.DeepClone() };
                    if (name is not null)
                    {
                        entry["seed"] = name;
                    }

                    seeds[clone] = entry;
                }
                else if (name is not null)
                {
                    seeds[clone] = name;
                }
            }

            foreach (var (clone, name) in Seeds.Where(s => !Clones.Contains(s.Key)))
            {
                seeds[clone] = name;
            }

            body["seeds"] = seeds;
        }

        if (RandomSeed is not null || !Faults.IsDefaultOrEmpty)
        {
            var runConfig = new JsonObject();
            if (RandomSeed is { } randomSeed)
            {
                runConfig["seed"] = randomSeed;
            }

            if (!Faults.IsDefaultOrEmpty)
            {
                runConfig["faults"] = new JsonArray([.. Faults.Select(f => (JsonNode?)f.ToJson())]);
            }

            body["runConfig"] = runConfig;
        }

        if (SnapshotId is not null)
        {
            body["source"] = new JsonObject { ["snapshotId"] = SnapshotId };
        }

        if (TtlSeconds is { } ttl)
        {
            body["ttlSeconds"] = ttl;
        }

        if (RateLimit is { } rateLimit)
        {
            body["rateLimit"] = rateLimit;
        }

        if (ScenarioId is { } scenarioId)
        {
            body["scenarioId"] = scenarioId;
        }

        return body;
    }
}
