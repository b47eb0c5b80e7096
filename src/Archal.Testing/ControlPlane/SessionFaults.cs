using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// A validated fault rule, as data (the JSON of <c>POST /api/sessions/{id}/faults</c>, <c>runConfig.faults</c> and a
/// scenario's <c>faults:</c>): which calls it watches, when it fires and what it does.
/// </summary>
internal sealed record FaultRuleSpec(
    string CloneId,
    string? Operation,
    string? Path,
    FaultWhen? When,
    FaultTrigger Trigger,
    CloneFault? Error,
    int LatencyMs,
    bool Drop)
{
    /// <summary>The event a delivery rule watches (an event name, <c>name.action</c>, or <c>*</c>); null for a request rule.</summary>
    public string? Delivery { get; init; }

    /// <summary>A delivery rule's effect: the delivery is sent twice.</summary>
    public bool Duplicate { get; init; }

    /// <summary>A delivery rule's effect: the delivery is held and sent after the next one to the same URL.</summary>
    public bool Reorder { get; init; }

    /// <summary>Whether a delivery rule watches <paramref name="message"/>.</summary>
    public bool Matches(WebhookMessage message) =>
        message.CloneId == CloneId
        && (Delivery == "*" || Delivery == message.EventType || (message.Action is not null && Delivery == message.EventType + "." + message.Action));

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

        json["trigger"] = Trigger.ToJson();
        var effect = new JsonObject();
        if (Error?.Status is { } status)
        {
            effect["status"] = status;
        }

        if (Error?.Code is { } code)
        {
            effect["code"] = code;
        }

        if (Error?.RetryAfterSeconds is { } retryAfter)
        {
            effect["retryAfterSeconds"] = retryAfter;
        }

        if (LatencyMs > 0)
        {
            effect["latencyMs"] = LatencyMs;
        }

        if (Drop)
        {
            effect["drop"] = true;
        }

        if (Duplicate)
        {
            effect["duplicate"] = true;
        }

        if (Reorder)
        {
            effect["reorder"] = true;
        }

        json["effect"] = effect;
        return json;
    }
}

/// <summary>When a rule fires, counting the calls it matches from when it was added (1-based).</summary>
internal sealed record FaultTrigger(string Kind, long First, long Last, double Probability)
{
    public static readonly FaultTrigger Always = new("always", 1, long.MaxValue, 1);

    public bool Fires(long call, DeterministicRandom random) => Kind switch
    {
        "everyNth" => call % First == 0,
        // One draw per matched call, so the same seed and calls give the same faults.
        "probability" => random.NextDouble() < Probability,
        _ => call >= First && call <= Last,
    };

    public JsonObject ToJson() => Kind switch
    {
        "firstCalls" => new JsonObject { ["firstCalls"] = Last },
        "everyNth" => new JsonObject { ["everyNth"] = First },
        "calls" => new JsonObject { ["calls"] = new JsonArray(First, Last) },
        "probability" => new JsonObject { ["probability"] = Probability },
        _ => new JsonObject(),
    };
}

/// <summary>A request predicate: every given part must match.</summary>
internal sealed record FaultWhen(
    string? Method,
    string? PathContains,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string? BodyContains)
{
    public bool Matches(HttpRequest request, ReadOnlySpan<byte> body)
    {
        if (Method is not null && !string.Equals(request.Method, Method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (PathContains is not null && request.Path.Value?.Contains(PathContains, StringComparison.Ordinal) != true)
        {
            return false;
        }

        foreach (var (name, value) in Query)
        {
            if (!request.Query.TryGetValue(name, out var actual) || !actual.Contains(value))
            {
                return false;
            }
        }

        foreach (var (name, value) in Headers)
        {
            if (!request.Headers.TryGetValue(name, out var actual) || !string.Equals(actual.ToString(), value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return BodyContains is null || body.IndexOf(Encoding.UTF8.GetBytes(BodyContains)) >= 0;
    }

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
            json["query"] = new JsonObject(Query.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)q.Value)));
        }

        if (Headers.Count > 0)
        {
            json["headers"] = new JsonObject(Headers.Select(q => KeyValuePair.Create(q.Key, (JsonNode?)q.Value)));
        }

        if (BodyContains is not null)
        {
            json["bodyContains"] = BodyContains;
        }

        return json;
    }
}

/// <summary>What the runtime does to one call: the rule that decided it, added latency, and an error or a drop.</summary>
internal sealed record FaultHit(string RuleId, int LatencyMs, CloneFault? Error, bool Drop);

/// <summary>
/// One session's fault rules and their counters. Thread-safe; the counting and the seeded draws happen in call order,
/// so the same rules, seed and calls inject the same faults on every run.
/// </summary>
internal sealed class SessionFaults
{
    private readonly Lock _lock = new();
    private readonly List<Rule> _rules = [];
    private readonly int _randomSeed;
    private int _nextId;

    public SessionFaults(int randomSeed) => _randomSeed = randomSeed;

    private SessionFaults(SessionFaults source)
    {
        _randomSeed = source._randomSeed;
        _nextId = source._nextId;
        _rules = [.. source._rules.Select(r => r.Copy())];
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rules.Count;
            }
        }
    }

    /// <summary>Adds a rule; its calls are counted from now. Returns the rule as listed (with its <c>id</c>).</summary>
    public JsonObject Add(FaultRuleSpec spec)
    {
        lock (_lock)
        {
            var id = "flt-" + (++_nextId).ToString(CultureInfo.InvariantCulture);
            var rule = new Rule(id, spec, new DeterministicRandom(StableHash.Combine(_randomSeed, id)));
            _rules.Add(rule);
            return rule.ToJson();
        }
    }

    public bool Remove(string id)
    {
        lock (_lock)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public JsonArray List()
    {
        lock (_lock)
        {
            return new JsonArray([.. _rules.Select(r => (JsonNode?)r.ToJson())]);
        }
    }

    /// <summary>An independent copy with the same rules, counters and draw positions (for snapshots and forks).</summary>
    public SessionFaults Copy()
    {
        lock (_lock)
        {
            return new SessionFaults(this);
        }
    }

    /// <summary>
    /// Counts the call against every rule that matches it and returns what to inject, or null. Latency adds up over the
    /// rules that fire; the first firing rule with an error or a drop decides the answer.
    /// </summary>
    public FaultHit? Decide(string cloneId, CloneOperation? operation, HttpRequest request, ReadOnlySpan<byte> body)
    {
        lock (_lock)
        {
            if (_rules.Count == 0)
            {
                return null;
            }

            string? decidingId = null;
            string? latencyId = null;
            var latency = 0;
            CloneFault? error = null;
            var drop = false;
            foreach (var rule in _rules)
            {
                var spec = rule.Spec;
                if (spec.Delivery is not null
                    || spec.CloneId != cloneId
                    || (spec.Operation is not null && spec.Operation != operation?.Id)
                    || (spec.Path is not null && spec.Path != operation?.Template)
                    || (spec.When is not null && !spec.When.Matches(request, body)))
                {
                    continue;
                }

                rule.Calls++;
                if (!spec.Trigger.Fires(rule.Calls, rule.Random))
                {
                    continue;
                }

                rule.Injected++;
                latency += spec.LatencyMs;
                latencyId ??= spec.LatencyMs > 0 ? rule.Id : null;
                if (decidingId is null && (spec.Error is not null || spec.Drop))
                {
                    decidingId = rule.Id;
                    error = spec.Error;
                    drop = spec.Drop;
                }
            }

            var id = decidingId ?? latencyId;
            return id is null ? null : new FaultHit(id, latency, error, drop);
        }
    }

    /// <summary>
    /// Counts a message a clone sends against every delivery rule that watches it (in send order, one seeded draw per
    /// matching delivery for a probability) and returns the faults to inject, or null. The first firing rule of each
    /// effect is named.
    /// </summary>
    public Events.DeliveryFault? DecideDelivery(WebhookMessage message)
    {
        lock (_lock)
        {
            string? duplicate = null;
            string? reorder = null;
            foreach (var rule in _rules)
            {
                if (rule.Spec.Delivery is null || !rule.Spec.Matches(message))
                {
                    continue;
                }

                rule.Calls++;
                if (!rule.Spec.Trigger.Fires(rule.Calls, rule.Random))
                {
                    continue;
                }

                rule.Injected++;
                duplicate ??= rule.Spec.Duplicate ? rule.Id : null;
                reorder ??= rule.Spec.Reorder ? rule.Id : null;
            }

            return duplicate is null && reorder is null ? null : new Events.DeliveryFault(duplicate, reorder);
        }
    }

    private sealed class Rule(string id, FaultRuleSpec spec, DeterministicRandom random)
    {
        public string Id => id;

        public FaultRuleSpec Spec => spec;

        public DeterministicRandom Random { get; private init; } = random;

        public long Calls { get; set; }

        public long Injected { get; set; }

        public Rule Copy() => new(id, spec, CopyRandom(Random)) { Calls = Calls, Injected = Injected };

        public JsonObject ToJson()
        {
            var json = new JsonObject { ["id"] = id };
            foreach (var (name, value) in spec.ToJson())
            {
                json[name] = value?.DeepClone();
            }

            json["calls"] = Calls;
            json["injected"] = Injected;
            return json;
        }

        private static DeterministicRandom CopyRandom(DeterministicRandom random) => new StateCopier().Copy(random);
    }
}
