using System.Diagnostics.Contracts;
using System.Text.Json.Nodes;

namespace Archal.Testing.Hosting;

/// <summary>
/// A fault rule: which calls of a clone it watches, when it fires and what the caller gets instead. The C# form of the
/// JSON rule of <c>POST /api/sessions/{id}/faults</c>, <c>runConfig.faults</c> and a scenario's <c>faults:</c>:
/// <c>new FaultRule("github", "issues/create", FaultTrigger.FirstCalls(2), FaultEffect.Status(503))</c>.
/// </summary>
public sealed record FaultRule
{
    /// <summary>A rule on one operation of a clone (an id from its operation table, for example <c>issues/create</c>).</summary>
    /// <param name="clone">The clone id.</param>
    /// <param name="operation">The operation id; null watches every call of the clone.</param>
    /// <param name="trigger">When it fires; null fires on every matching call.</param>
    /// <param name="effect">What the caller gets.</param>
    public FaultRule(string clone, string? operation, FaultTrigger? trigger, FaultEffect effect)
    {
        ArgumentException.ThrowIfNullOrEmpty(clone);
        ArgumentNullException.ThrowIfNull(effect);
        CloneId = clone;
        Operation = operation;
        Trigger = trigger;
        Effect = effect;
    }

    /// <summary>A rule on a route template instead of an operation id (for example <c>/repos/{owner}/{repo}/issues</c>).</summary>
    [Pure]
    public static FaultRule ForPath(string clone, string pathTemplate, FaultTrigger? trigger, FaultEffect effect) =>
        new(clone, null, trigger, effect) { Path = pathTemplate };

    /// <summary>
    /// A rule on the deliveries a clone sends (webhooks, Stripe events, Slack events) instead of its calls:
    /// <c>FaultRule.ForDelivery("stripe", "invoice.paid", FaultTrigger.FirstCalls(1), FaultEffect.DuplicateDelivery())</c>.
    /// The trigger counts matching deliveries.
    /// </summary>
    /// <param name="clone">The clone id.</param>
    /// <param name="eventName">The event as the service names it (<c>invoice.paid</c>, <c>issues</c> or <c>issues.opened</c>, <c>message</c>), or <c>*</c> for every delivery.</param>
    /// <param name="trigger">When it fires; null fires on every matching delivery.</param>
    /// <param name="effect"><see cref="FaultEffect.DuplicateDelivery"/> or <see cref="FaultEffect.ReorderDelivery"/>.</param>
    [Pure]
    public static FaultRule ForDelivery(string clone, string eventName, FaultTrigger? trigger, FaultEffect effect)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return new(clone, null, trigger, effect) { Delivery = eventName };
    }

    /// <summary>The event a delivery rule watches (<c>delivery</c> in JSON), or null for a rule on calls.</summary>
    public string? Delivery { get; init; }

    /// <summary>The clone id (<c>clone</c> in JSON).</summary>
    public string CloneId { get; init; }

    /// <summary>The operation id the rule watches, or null.</summary>
    public string? Operation { get; init; }

    /// <summary>The route template the rule watches (instead of <see cref="Operation"/>), or null.</summary>
    public string? Path { get; init; }

    /// <summary>When the rule fires, counting matching calls from when it was added; null for every call.</summary>
    public FaultTrigger? Trigger { get; init; }

    /// <summary>What the caller gets.</summary>
    public FaultEffect Effect { get; init; }

    /// <summary>An optional request predicate: only calls that match it are counted.</summary>
    public FaultRequestFilter? When { get; init; }

    /// <summary>Returns a rule that only counts calls matching <paramref name="filter"/>.</summary>
    [Pure]
    public FaultRule Where(FaultRequestFilter filter) => this with { When = filter };

    /// <summary>
    /// Reads a rule from its JSON form (<c>{"clone", "operation" | "path", "when", "trigger", "effect"}</c>). The shape is
    /// checked here; whether the clone has the operation and can render the error is checked when the rule is added.
    /// </summary>
    /// <exception cref="FormatException">A field is unknown or of the wrong type (the message names it).</exception>
    public static FaultRule FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Known(json, "", "clone", "operation", "path", "delivery", "when", "trigger", "effect");
        var effectJson = json["effect"] as JsonObject ?? throw new FormatException("Field 'effect' is required and must be an object.");
        Known(effectJson, "effect.", "status", "code", "retryAfterSeconds", "latencyMs", "drop", "duplicate", "reorder");
        var effect = new FaultEffect
        {
            StatusCode = Int(effectJson, "status", "effect."),
            Code = Str(effectJson, "code", "effect."),
            RetryAfterSeconds = Int(effectJson, "retryAfterSeconds", "effect."),
            Latency = TimeSpan.FromMilliseconds(Int(effectJson, "latencyMs", "effect.") ?? 0),
            Drop = Bool(effectJson, "drop"),
            Duplicate = Bool(effectJson, "duplicate"),
            Reorder = Bool(effectJson, "reorder"),
        };
        FaultTrigger? trigger = null;
        if (json["trigger"] is { } triggerNode)
        {
            if (triggerNode is not JsonObject { Count: 1 } triggerJson)
            {
                throw new FormatException("Field 'trigger' must be an object with one of firstCalls, everyNth, calls or probability.");
            }

            var (name, value) = triggerJson.First();
            trigger = FaultTrigger.FromJson(name, value?.DeepClone() ?? throw new FormatException($"Field 'trigger.{name}' must have a value."));
        }

        FaultRequestFilter? when = null;
        if (json["when"] is { } whenNode)
        {
            var whenJson = whenNode as JsonObject ?? throw new FormatException("Field 'when' must be an object.");
            Known(whenJson, "when.", "method", "pathContains", "query", "headers", "bodyContains");
            when = new FaultRequestFilter
            {
                Method = Str(whenJson, "method", "when."),
                PathContains = Str(whenJson, "pathContains", "when."),
                Query = Map(whenJson, "query"),
                Headers = Map(whenJson, "headers"),
                BodyContains = Str(whenJson, "bodyContains", "when."),
            };
        }

        return new FaultRule(Str(json, "clone", "") ?? throw new FormatException("Field 'clone' is required."), Str(json, "operation", ""), trigger, effect)
        {
            Path = Str(json, "path", ""),
            Delivery = Str(json, "delivery", ""),
            When = when,
        };

        static bool Bool(JsonObject o, string name) => o[name] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var value) => value,
            _ => throw new FormatException($"Field 'effect.{name}' must be a boolean."),
        };

        static void Known(JsonObject o, string prefix, params string[] names)
        {
            if (o.Select(p => p.Key).FirstOrDefault(k => !names.Contains(k)) is { } unknown)
            {
                throw new FormatException($"Unknown field '{prefix}{unknown}'. Known fields: {string.Join(", ", names)}.");
            }
        }

        static string? Str(JsonObject o, string name, string prefix) => o[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            _ => throw new FormatException($"Field '{prefix}{name}' must be a string."),
        };

        static int? Int(JsonObject o, string name, string prefix) => o[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number
                && int.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
            _ => throw new FormatException($"Field '{prefix}{name}' must be an integer."),
        };

        static Dictionary<string, string> Map(JsonObject o, string name) => o[name] switch
        {
            null => [],
            JsonObject map => map.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase),
            _ => throw new FormatException($"Field 'when.{name}' must be an object of names to values."),
        };
    }

    /// <summary>Reads a JSON array of rules (or one rule object).</summary>
    /// <exception cref="FormatException">The text is not JSON, or a rule is malformed (the message names the rule and field).</exception>
    public static IReadOnlyList<FaultRule> ParseList(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException($"Fault rules must be JSON: {ex.Message}", ex);
        }

        return FromNode(node);
    }

    internal static IReadOnlyList<FaultRule> FromNode(JsonNode? node)
    {
        List<JsonNode?> items = node switch
        {
            JsonArray array => [.. array],
            JsonObject single => [single],
            _ => throw new FormatException("Fault rules must be a JSON array of rule objects."),
        };
        var rules = new List<FaultRule>();
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                rules.Add(FromJson(items[i] as JsonObject ?? throw new FormatException("A fault rule must be an object.")));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"faults[{i}]: {ex.Message}", ex);
            }
        }

        return rules;
    }

    /// <summary>The rule as JSON (the control plane's shape).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["clone"] = CloneId };
        if (Operation is not null)
        {
            json["operation"] = Operation;
        }

        if (Path is not null)
        {
            json["path"] = Path;
        }

        if (Delivery is not null)
        {
            json["delivery"] = Delivery;
        }

        if (When is not null)
        {
            json["when"] = When.ToJson();
        }

        if (Trigger is not null)
        {
            json["trigger"] = Trigger.ToJson();
        }

        json["effect"] = Effect.ToJson();
        return json;
    }
}

/// <summary>When a fault rule fires. Calls are the rule's matching calls, counted from 1 from when the rule was added.</summary>
public sealed record FaultTrigger
{
    private FaultTrigger(string name, JsonNode value)
    {
        Name = name;
        Value = value;
    }

    private string Name { get; }

    private JsonNode Value { get; }

    /// <summary>The first <paramref name="count"/> calls (<c>{"firstCalls": N}</c>).</summary>
    public static FaultTrigger FirstCalls(int count) => new("firstCalls", count);

    /// <summary>Every <paramref name="n"/>th call: n, 2n, 3n… (<c>{"everyNth": N}</c>).</summary>
    public static FaultTrigger EveryNth(int n) => new("everyNth", n);

    /// <summary>Calls <paramref name="from"/> to <paramref name="to"/>, inclusive (<c>{"calls": [from, to]}</c>).</summary>
    public static FaultTrigger Calls(int from, int to) => new("calls", new JsonArray(from, to));

    /// <summary>Each call with probability <paramref name="p"/>, drawn from the session's seed (<c>{"probability": p}</c>).</summary>
    public static FaultTrigger Probability(double p) => new("probability", p);

    internal static FaultTrigger FromJson(string name, JsonNode value) => name switch
    {
        "firstCalls" or "everyNth" or "calls" or "probability" => new(name, value),
        _ => throw new FormatException($"Unknown trigger '{name}'. Known triggers: firstCalls, everyNth, calls, probability."),
    };

    /// <summary>The trigger as JSON.</summary>
    public JsonObject ToJson() => new() { [Name] = Value.DeepClone() };

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();
}

/// <summary>What a fault rule does to a call: the service's own error, added latency, or a dropped connection.</summary>
public sealed record FaultEffect
{
    internal FaultEffect()
    {
    }

    /// <summary>The HTTP status of the injected error, or null.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The service error code of the injected error (a Stripe decline code, a Slack error), or null.</summary>
    public string? Code { get; init; }

    /// <summary>The <c>Retry-After</c> of a rate-limit error in seconds; null for the service's usual value.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Latency added before the call is answered.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Whether the connection is dropped without an answer (over Kestrel; see docs/faults-and-snapshots.md).</summary>
    public bool Drop { get; init; }

    /// <summary>A delivery rule's effect: the delivery is sent twice, with the same event id and delivery id (<c>{"duplicate": true}</c>).</summary>
    public bool Duplicate { get; init; }

    /// <summary>
    /// A delivery rule's effect: the delivery is held and sent right after the next delivery to the same URL
    /// (<c>{"reorder": true}</c>).
    /// </summary>
    public bool Reorder { get; init; }

    /// <summary>The delivery is sent twice, as when the service delivers an event more than once.</summary>
    public static FaultEffect DuplicateDelivery() => new() { Duplicate = true };

    /// <summary>The delivery is held and sent after the next delivery to the same URL (the two arrive swapped).</summary>
    public static FaultEffect ReorderDelivery() => new() { Reorder = true };

    /// <summary>The service's own error for <paramref name="status"/> (optionally a specific <paramref name="code"/>).</summary>
    public static FaultEffect Status(int status, string? code = null) => new() { StatusCode = status, Code = code };

    /// <summary>The service's own error <paramref name="code"/> with the status the service uses for it.</summary>
    public static FaultEffect Error(string code) => new() { Code = code };

    /// <summary>The call is answered normally after <paramref name="latency"/> (the host's clock in-process, real time over Kestrel).</summary>
    public static FaultEffect Delay(TimeSpan latency) => new() { Latency = latency };

    /// <summary>The connection is dropped: no status, no body.</summary>
    public static FaultEffect DropConnection() => new() { Drop = true };

    /// <summary>Returns this effect with <c>Retry-After: <paramref name="seconds"/></c> on a rate-limit error.</summary>
    [Pure]
    public FaultEffect WithRetryAfter(int seconds) => this with { RetryAfterSeconds = seconds };

    /// <summary>Returns this effect with <paramref name="latency"/> added before it.</summary>
    [Pure]
    public FaultEffect After(TimeSpan latency) => this with { Latency = latency };

    /// <summary>The effect as JSON.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (StatusCode is { } status)
        {
            json["status"] = status;
        }

        if (Code is not null)
        {
            json["code"] = Code;
        }

        if (RetryAfterSeconds is { } retryAfter)
        {
            json["retryAfterSeconds"] = retryAfter;
        }

        if (Latency > TimeSpan.Zero)
        {
            json["latencyMs"] = (int)Math.Ceiling(Latency.TotalMilliseconds);
        }

        if (Drop)
        {
            json["drop"] = true;
        }

        if (Duplicate)
        {
            json["duplicate"] = true;
        }

        if (Reorder)
        {
            json["reorder"] = true;
        }

        return json;
    }

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();
}

/// <summary>A request predicate for a fault rule: every part given must match.</summary>
public sealed record FaultRequestFilter
{
    /// <summary>The HTTP method, or null.</summary>
    public string? Method { get; init; }

    /// <summary>Text the request path must contain (for example <c>/repos/acme/webapp/</c>), or null.</summary>
    public string? PathContains { get; init; }

    /// <summary>Query parameters that must be present with these values.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>Headers that must be present with these values.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Text the request body must contain, or null.</summary>
    public string? BodyContains { get; init; }

    /// <summary>The filter as JSON.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Method is not null)
        {
            json["method"] = Method;
        }

        if (PathContains is not null)
        {
            json["pathContains"] = PathContains;
        }

        if (Query.Count > 0)
        {
            json["query"] = new JsonObject([.. Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)q.Value))]);
        }

        if (Headers.Count > 0)
        {
            json["headers"] = new JsonObject([.. Headers.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)q.Value))]);
        }

        if (BodyContains is not null)
        {
            json["bodyContains"] = BodyContains;
        }

        return json;
    }

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();
}
