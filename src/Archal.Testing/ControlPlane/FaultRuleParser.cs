using System.Text.Json;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Reads fault rules (one shape everywhere: the HTTP body, <c>runConfig.faults</c>, a scenario's <c>faults:</c>, the
/// C# <c>FaultRule</c>) and answers a bad one with a 400 naming the field.
/// </summary>
internal static class FaultRuleParser
{
    public const int MaxLatencyMs = 600_000;
    private static readonly HashSet<string> RuleFields = ["clone", "operation", "path", "delivery", "when", "trigger", "effect"];
    private static readonly HashSet<string> WhenFields = ["method", "pathContains", "query", "headers", "bodyContains"];
    private static readonly HashSet<string> EffectFields = ["status", "code", "retryAfterSeconds", "latencyMs", "drop", "duplicate", "reorder"];

    /// <summary>Parses an array of rules (<c>runConfig.faults</c>).</summary>
    public static (List<FaultRuleSpec>? Rules, ControlPlaneError? Error) ParseArray(JsonElement array, IReadOnlyCollection<string> sessionClones,
        Func<string, CloneDefinition?> findClone, string field)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return (null, ControlPlaneError.BadRequest("invalid_type", $"Field '{field}' must be an array of fault rules, not {Describe(array.ValueKind)}.", field));
        }

        var rules = new List<FaultRuleSpec>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var (rule, error) = Parse(item, sessionClones, findClone, $"{field}[{index++}].");
            if (error is not null)
            {
                return (null, error);
            }

            rules.Add(rule!);
        }

        return (rules, null);
    }

    /// <summary>Parses one rule; <paramref name="prefix"/> goes in front of field names in errors (<c>faults[0].</c>).</summary>
    public static (FaultRuleSpec? Rule, ControlPlaneError? Error) Parse(JsonElement rule, IReadOnlyCollection<string> sessionClones,
        Func<string, CloneDefinition?> findClone, string prefix = "")
    {
        try
        {
            return (Read(rule, sessionClones, findClone, prefix), null);
        }
        catch (FaultRuleException e)
        {
            return (null, ControlPlaneError.BadRequest(e.Code, e.Message, e.Field));
        }
    }

    private static FaultRuleSpec Read(JsonElement rule, IReadOnlyCollection<string> sessionClones, Func<string, CloneDefinition?> findClone, string prefix)
    {
        var at = prefix.TrimEnd('.');
        if (rule.ValueKind != JsonValueKind.Object)
        {
            throw new FaultRuleException("invalid_type", $"A fault rule must be a JSON object, not {Describe(rule.ValueKind)}.", at.Length == 0 ? "body" : at);
        }

        CheckFields(rule, RuleFields, prefix);
        var cloneId = String(rule, "clone", prefix) ?? throw new FaultRuleException("missing_field", "Field 'clone' is required: the clone whose calls the rule watches.", prefix + "clone");
        var clone = findClone(cloneId);
        if (clone is null || !sessionClones.Contains(cloneId))
        {
            throw new FaultRuleException("unknown_clone", $"Clone '{cloneId}' is not in the session; its clones are {string.Join(", ", sessionClones)}.", prefix + "clone");
        }

        var operation = String(rule, "operation", prefix);
        var path = String(rule, "path", prefix);
        if (operation is not null && path is not null)
        {
            throw new FaultRuleException("invalid_value", "Give either 'operation' (an operation id) or 'path' (a route template), not both.", prefix + "path");
        }

        if (operation is not null && !clone.Operations.Any(o => o.Id == operation))
        {
            throw new FaultRuleException("unknown_operation",
                $"The {cloneId} clone has no operation '{operation}'. Its operation ids are listed at GET /api/clones/{cloneId}/operations.", prefix + "operation");
        }

        if (path is not null && !clone.Operations.Any(o => o.Template == path))
        {
            throw new FaultRuleException("unknown_path",
                $"The {cloneId} clone has no route template '{path}' (for example '{clone.Operations[0].Template}'); see GET /api/clones/{cloneId}/operations.", prefix + "path");
        }

        var delivery = String(rule, "delivery", prefix);
        if (delivery is not null)
        {
            return ReadDelivery(rule, cloneId, delivery, operation is not null ? "operation" : path is not null ? "path" : null, prefix);
        }

        var when = rule.TryGetProperty("when", out var whenElement) && whenElement.ValueKind != JsonValueKind.Null ? When(whenElement, prefix + "when.") : null;
        var trigger = rule.TryGetProperty("trigger", out var triggerElement) && triggerElement.ValueKind != JsonValueKind.Null
            ? Trigger(triggerElement, prefix + "trigger")
            : FaultTrigger.Always;
        if (!rule.TryGetProperty("effect", out var effect) || effect.ValueKind == JsonValueKind.Null)
        {
            throw new FaultRuleException("missing_field", "Field 'effect' is required: {\"status\": S}, {\"code\": C}, {\"latencyMs\": N} or {\"drop\": true}.", prefix + "effect");
        }

        if (effect.ValueKind != JsonValueKind.Object)
        {
            throw new FaultRuleException("invalid_type", $"Field 'effect' must be an object, not {Describe(effect.ValueKind)}.", prefix + "effect");
        }

        var e = prefix + "effect.";
        CheckFields(effect, EffectFields, e);
        foreach (var deliveryOnly in (string[])["duplicate", "reorder"])
        {
            if (effect.TryGetProperty(deliveryOnly, out _))
            {
                throw new FaultRuleException("invalid_value",
                    $"'{deliveryOnly}' is a delivery effect: give the rule a 'delivery' (an event name or \"*\") instead of an operation.", e + deliveryOnly);
            }
        }
        var status = Int(effect, "status", e, 100, 599);
        var code = String(effect, "code", e);
        var retryAfter = Int(effect, "retryAfterSeconds", e, 0, 86_400);
        var latency = Int(effect, "latencyMs", e, 0, MaxLatencyMs) ?? 0;
        var drop = Bool(effect, "drop", e);
        CloneFault? error = null;
        if (status is not null || code is not null)
        {
            if (drop)
            {
                throw new FaultRuleException("invalid_value", "A dropped connection has no status or code: give 'drop' or 'status'/'code', not both.", e + "drop");
            }

            error = new CloneFault(status, code) { RetryAfterSeconds = retryAfter };
            if (clone.CheckFault(error) is { } problem)
            {
                throw new FaultRuleException("invalid_value", $"The {cloneId} clone cannot inject this error: {problem}.", e + (code is not null ? "code" : "status"));
            }
        }
        else if (retryAfter is not null)
        {
            throw new FaultRuleException("invalid_value", "'retryAfterSeconds' goes with an error 'status' or 'code'.", e + "retryAfterSeconds");
        }

        if (error is null && latency == 0 && !drop)
        {
            throw new FaultRuleException("invalid_value", "The effect does nothing: give 'status', 'code', 'latencyMs' or 'drop'.", prefix + "effect");
        }

        return new FaultRuleSpec(cloneId, operation, path, when, trigger, error, latency, drop);
    }

    /// <summary>
    /// A rule on the clone's outgoing deliveries (<c>"delivery": "invoice.paid"</c>): triggers count the matching
    /// deliveries; the effect duplicates or reorders them.
    /// </summary>
    private static FaultRuleSpec ReadDelivery(JsonElement rule, string cloneId, string delivery, string? requestField, string prefix)
    {
        if (requestField is not null || (rule.TryGetProperty("when", out var when) && when.ValueKind != JsonValueKind.Null))
        {
            var field = requestField ?? "when";
            throw new FaultRuleException("invalid_value",
                $"A delivery rule watches the {cloneId} clone's outgoing events, not its calls: give 'delivery' or '{field}', not both.", prefix + field);
        }

        if (delivery.Any(char.IsWhiteSpace))
        {
            throw new FaultRuleException("invalid_value",
                $"Field '{prefix}delivery' must be an event name as the service sends it (invoice.paid, issues or issues.opened, message) or \"*\"; got '{delivery}'.", prefix + "delivery");
        }

        var trigger = rule.TryGetProperty("trigger", out var triggerElement) && triggerElement.ValueKind != JsonValueKind.Null
            ? Trigger(triggerElement, prefix + "trigger")
            : FaultTrigger.Always;
        if (!rule.TryGetProperty("effect", out var effect) || effect.ValueKind == JsonValueKind.Null)
        {
            throw new FaultRuleException("missing_field", "Field 'effect' is required: {\"duplicate\": true} or {\"reorder\": true}.", prefix + "effect");
        }

        if (effect.ValueKind != JsonValueKind.Object)
        {
            throw new FaultRuleException("invalid_type", $"Field 'effect' must be an object, not {Describe(effect.ValueKind)}.", prefix + "effect");
        }

        var e = prefix + "effect.";
        CheckFields(effect, EffectFields, e);
        foreach (var property in effect.EnumerateObject())
        {
            if (property.Name is not ("duplicate" or "reorder"))
            {
                throw new FaultRuleException("invalid_value",
                    $"A delivery rule's effect is 'duplicate' or 'reorder'; '{property.Name}' applies to calls (give an 'operation' or 'path' instead of 'delivery').", e + property.Name);
            }
        }

        var duplicate = Bool(effect, "duplicate", e);
        var reorder = Bool(effect, "reorder", e);
        if (!duplicate && !reorder)
        {
            throw new FaultRuleException("invalid_value", "The effect does nothing: give {\"duplicate\": true} or {\"reorder\": true}.", prefix + "effect");
        }

        return new FaultRuleSpec(cloneId, null, null, null, trigger, null, 0, false) { Delivery = delivery, Duplicate = duplicate, Reorder = reorder };
    }

    private static bool Bool(JsonElement parent, string name, string prefix) =>
        parent.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null
            ? element.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? element.GetBoolean()
                : throw new FaultRuleException("invalid_type", $"Field '{prefix}{name}' must be a boolean, not {Describe(element.ValueKind)}.", prefix + name)
            : false;

    private static FaultTrigger Trigger(JsonElement trigger, string field)
    {
        if (trigger.ValueKind != JsonValueKind.Object)
        {
            throw new FaultRuleException("invalid_type", $"Field 'trigger' must be an object, not {Describe(trigger.ValueKind)}.", field);
        }

        var members = trigger.EnumerateObject().ToList();
        if (members.Count != 1)
        {
            throw new FaultRuleException("invalid_value",
                "Field 'trigger' must have exactly one of firstCalls, everyNth, calls or probability (omit 'trigger' to fault every call).", field);
        }

        var member = members[0];
        var at = $"{field}.{member.Name}";
        switch (member.Name)
        {
            case "firstCalls":
                return new FaultTrigger("firstCalls", 1, Positive(member.Value, at), 1);
            case "everyNth":
                return new FaultTrigger("everyNth", Positive(member.Value, at), 0, 1);
            case "calls":
                if (member.Value.ValueKind != JsonValueKind.Array || member.Value.GetArrayLength() != 2)
                {
                    throw new FaultRuleException("invalid_type", $"Field '{at}' must be [from, to]: the 1-based call numbers, inclusive.", at);
                }

                var from = Positive(member.Value[0], at);
                var to = Positive(member.Value[1], at);
                return from <= to
                    ? new FaultTrigger("calls", from, to, 1)
                    : throw new FaultRuleException("out_of_range", $"Field '{at}' must be [from, to] with from <= to; got [{from}, {to}].", at);
            case "probability":
                if (member.Value.ValueKind != JsonValueKind.Number || member.Value.GetDouble() is not (> 0 and <= 1))
                {
                    throw new FaultRuleException("out_of_range", $"Field '{at}' must be a number greater than 0 and at most 1.", at);
                }

                return new FaultTrigger("probability", 0, 0, member.Value.GetDouble());
            default:
                throw new FaultRuleException("unknown_field", $"Unknown trigger '{member.Name}'. Known triggers: firstCalls, everyNth, calls, probability.", at);
        }
    }

    private static FaultWhen When(JsonElement when, string prefix)
    {
        var at = prefix.TrimEnd('.');
        if (when.ValueKind != JsonValueKind.Object)
        {
            throw new FaultRuleException("invalid_type", $"Field 'when' must be an object, not {Describe(when.ValueKind)}.", at);
        }

        CheckFields(when, WhenFields, prefix);
        return new FaultWhen(String(when, "method", prefix), String(when, "pathContains", prefix), Map(when, "query", prefix), Map(when, "headers", prefix),
            String(when, "bodyContains", prefix));
    }

    private static Dictionary<string, string> Map(JsonElement parent, string name, string prefix)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FaultRuleException("invalid_type", $"Field '{prefix}{name}' must be an object of names to values.", prefix + name);
        }

        foreach (var member in element.EnumerateObject())
        {
            map[member.Name] = member.Value.ValueKind == JsonValueKind.String
                ? member.Value.GetString()!
                : throw new FaultRuleException("invalid_type", $"Field '{prefix}{name}.{member.Name}' must be a string.", $"{prefix}{name}.{member.Name}");
        }

        return map;
    }

    private static void CheckFields(JsonElement element, HashSet<string> known, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new FaultRuleException("unknown_field", $"Unknown field '{prefix}{property.Name}'. Known fields: {string.Join(", ", known)}.", prefix + property.Name);
            }
        }
    }

    private static string? String(JsonElement parent, string name, string prefix)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String && element.GetString()!.Length > 0
            ? element.GetString()
            : throw new FaultRuleException("invalid_type", $"Field '{prefix}{name}' must be a non-empty string.", prefix + name);
    }

    private static int? Int(JsonElement parent, string name, string prefix, int min, int max)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            throw new FaultRuleException("invalid_type", $"Field '{prefix}{name}' must be an integer.", prefix + name);
        }

        return value >= min && value <= max
            ? value
            : throw new FaultRuleException("out_of_range", $"Field '{prefix}{name}' must be between {min} and {max}; got {value}.", prefix + name);
    }

    private static long Positive(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= 1
            ? value
            : throw new FaultRuleException("out_of_range", $"Field '{field}' must be a whole number of calls, at least 1.", field);

    private static string Describe(JsonValueKind kind) => CreateSessionRequest.Describe(kind);

    private sealed class FaultRuleException(string code, string message, string at) : Exception(message)
    {
        public string Code => code;

        public string Field => at;
    }
}
