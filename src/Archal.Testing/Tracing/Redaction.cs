using System.Text.RegularExpressions;

namespace Archal.Testing.Tracing;

/// <summary>Removes secrets from everything a trace records: headers, query strings and bodies.</summary>
public static partial class Redaction
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Marker = "[REDACTED]";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "x-route-authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
    };

    /// <summary>Whether a header's value is a secret as a whole.</summary>
    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name);

    /// <summary>The header value as the trace keeps it: the scheme survives, the credential does not.</summary>
    public static string Header(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsSecretHeader(name))
        {
            return Text(value);
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && name.Contains("authorization", StringComparison.OrdinalIgnoreCase)
            ? $"{value[..space]} {Marker}"
            : Marker;
    }

    /// <summary>A copy of <paramref name="node"/> with every string value passed through <see cref="Text"/>.</summary>
    public static System.Text.Json.Nodes.JsonNode? Json(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        null => null,
        System.Text.Json.Nodes.JsonValue value when value.TryGetValue<string>(out var text) => System.Text.Json.Nodes.JsonValue.Create(Text(text)),
        System.Text.Json.Nodes.JsonObject obj => new System.Text.Json.Nodes.JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Json(p.Value)))),
        System.Text.Json.Nodes.JsonArray array => new System.Text.Json.Nodes.JsonArray([.. array.Select(Json)]),
        _ => node.DeepClone(),
    };

    /// <summary>A copy of a state mutation with secrets removed from every value.</summary>
    public static Clones.Abstractions.StateMutation Mutation(Clones.Abstractions.StateMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        return mutation with { Changes = [.. mutation.Changes.Select(c => c with { Before = Json(c.Before), After = Json(c.After) })] };
    }

    /// <summary>Replaces known credential shapes and <c>token=</c>/<c>"token":</c> values in any text.</summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = TokenShapes().Replace(value, Marker);
        value = TokenParameter().Replace(value, m => m.Groups[1].Value + Marker);
        return TokenJsonField().Replace(value, m => m.Groups[1].Value + Marker);
    }

    // Archal tokens, GitHub tokens, Slack tokens, Stripe secret/restricted keys, and JWT-like bearer blobs.
    [GeneratedRegex(@"\b(?:arc_[A-Za-z0-9]{8,}|archal_ws_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{8,}|[sr]k_(?:test|live)_[A-Za-z0-9]{8,}|whsec_[A-Za-z0-9]{8,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})")]
    private static partial Regex TokenShapes();

    // token=..., access_token=..., client_secret=... in query strings and form bodies.
    [GeneratedRegex(@"((?:^|[?&])(?:token|access_token|refresh_token|client_secret|api_key|password)=)[^&\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenParameter();

    // "token": "..." and similar in JSON bodies, also inside JSON-encoded strings (\"token\": \"...\").
    [GeneratedRegex(@"(\\?""(?:token|access_token|refresh_token|client_secret|api_key|password)\\?""\s*:\s*\\?"")[^""\\]*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenJsonField();
}
