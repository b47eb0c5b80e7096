using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Stripe;

/// <summary>One Stripe API call being served: the session state, parsed parameters and route values.</summary>
internal sealed class StripeCall(HttpContext http, StripeState state, JsonObject parameters, string requestId)
{
    public HttpContext Http { get; } = http;

    public StripeState State { get; } = state;

    /// <summary>The parsed form body (POST) or query (GET, DELETE), without <c>expand</c>.</summary>
    public JsonObject Params { get; } = parameters;

    public string RequestId { get; } = requestId;

    /// <summary>The <c>expand[]</c> paths; handlers may consume the ones they implement themselves.</summary>
    public List<string> Expand { get; init; } = [];

    public long Now => State.NowSeconds;

    public string Route(string name) => Http.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>Rejects any top-level parameter not in <paramref name="allowed"/> (Stripe's <c>parameter_unknown</c>).</summary>
    public void Allow(params string[] allowed) => StripeParams.Allow(Params, allowed, null);

    public string? Str(string name) => StripeParams.Str(Params, name);

    public string RequireStr(string name) => StripeParams.Str(Params, name) is { Length: > 0 } value ? value : throw StripeErrors.Missing(name);

    public long? Int(string name) => StripeParams.Int(Params, name);

    public long RequireInt(string name) => Int(name) ?? throw StripeErrors.Missing(name);

    public bool? Bool(string name) => StripeParams.Bool(Params, name);

    public bool Has(string name) => Params.ContainsKey(name);

    public string? Enum(string name, params string[] allowed) => StripeParams.Enum(Params, name, allowed);
}

/// <summary>Typed reads of parsed form parameters with Stripe's validation errors.</summary>
internal static class StripeParams
{
    public static void Allow(JsonObject parameters, IReadOnlyCollection<string> allowed, string? prefix)
    {
        foreach (var (name, _) in parameters)
        {
            if (!allowed.Contains(name))
            {
                throw StripeErrors.Unknown(prefix is null ? name : $"{prefix}[{name}]");
            }
        }
    }

    public static string? Str(JsonObject parameters, string name, string? paramName = null) =>
        parameters[name] switch
        {
            null => null,
            JsonValue value => value.GetValue<string>(),
            _ => throw StripeErrors.InvalidRequest($"Invalid string: {Describe(parameters[name]!)}", null, paramName ?? name),
        };

    public static long? Int(JsonObject parameters, string name, string? paramName = null)
    {
        var text = Str(parameters, name, paramName);
        if (text is null || text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StripeErrors.InvalidInteger(paramName ?? name, text);
    }

    public static bool? Bool(JsonObject parameters, string name, string? paramName = null)
    {
        var text = Str(parameters, name, paramName);
        return text switch
        {
            null or "" => null,
            "true" => true,
            "false" => false,
            _ => throw StripeErrors.InvalidBoolean(paramName ?? name, text),
        };
    }

    public static string? Enum(JsonObject parameters, string name, IReadOnlyList<string> allowed, string? paramName = null)
    {
        var text = Str(parameters, name, paramName);
        if (text is null or "")
        {
            return null;
        }

        return allowed.Contains(text) ? text : throw StripeErrors.InvalidEnum(paramName ?? name, allowed);
    }

    /// <summary>A hash parameter (<c>name[k]=v</c>); null when absent, an empty hash when sent as <c>name=</c>.</summary>
    public static JsonObject? Hash(JsonObject parameters, string name, string? paramName = null) =>
        parameters[name] switch
        {
            null when !parameters.ContainsKey(name) => null,
            JsonObject hash => hash,
            JsonValue value when value.GetValue<string>().Length == 0 => [],
            JsonArray array => ArrayAsHash(array),
            _ => throw StripeErrors.InvalidHash(paramName ?? name),
        };

    /// <summary>An array parameter (<c>name[0]=…</c> or <c>name[]=…</c>); null when absent.</summary>
    public static JsonArray? Array(JsonObject parameters, string name, string? paramName = null) =>
        parameters[name] switch
        {
            null when !parameters.ContainsKey(name) => null,
            JsonArray array => array,
            JsonValue value when value.GetValue<string>().Length == 0 => [],
            _ => throw StripeErrors.InvalidArray(paramName ?? name),
        };

    /// <summary>An array-of-strings parameter (<c>name[]=a&amp;name[]=b</c>); null when absent.</summary>
    public static List<string>? StringArray(JsonObject parameters, string name)
    {
        var array = Array(parameters, name);
        if (array is null)
        {
            return null;
        }

        var values = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            values.Add(array[i] is JsonValue value ? value.GetValue<string>() : throw StripeErrors.InvalidRequest("Invalid string: hash", null, $"{name}[{i}]"));
        }

        return values;
    }

    /// <summary>Applies <c>metadata</c> updates: an empty value removes the key; <c>metadata=</c> clears all.</summary>
    public static void ApplyMetadata(JsonObject target, JsonObject parameters)
    {
        var hash = Hash(parameters, "metadata");
        if (hash is null)
        {
            return;
        }

        var metadata = target["metadata"] as JsonObject ?? [];
        if (hash.Count == 0)
        {
            metadata.Clear();
        }

        foreach (var (key, value) in hash)
        {
            if (value is not JsonValue)
            {
                throw StripeErrors.InvalidRequest("Invalid value for metadata: values must be strings.", null, $"metadata[{key}]");
            }

            if (key.Length > 40)
            {
                throw StripeErrors.InvalidRequest($"Metadata keys can have up to 40 characters; '{key}' has {key.Length}.", null, $"metadata[{key}]");
            }

            var text = value.GetValue<string>();
            if (text.Length > 500)
            {
                throw StripeErrors.InvalidRequest("Metadata values can have up to 500 characters.", null, $"metadata[{key}]");
            }

            if (text.Length == 0)
            {
                metadata.Remove(key);
            }
            else
            {
                metadata[key] = text;
            }
        }

        target["metadata"] = metadata;
    }

    /// <summary>Validates metadata without applying it (so validation errors come before any change).</summary>
    public static void ValidateMetadata(JsonObject parameters) => ApplyMetadata(new JsonObject(), parameters);

    private static JsonObject ArrayAsHash(JsonArray array)
    {
        var hash = new JsonObject();
        for (var i = 0; i < array.Count; i++)
        {
            hash[i.ToString(CultureInfo.InvariantCulture)] = array[i]?.DeepClone();
        }

        return hash;
    }

    private static string Describe(JsonNode node) => node is JsonArray ? "array" : "hash";
}
