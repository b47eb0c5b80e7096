namespace Archal.Testing.Tracing;

/// <summary>
/// Removes secrets from everything a trace records: headers, query strings and bodies. These helpers know the
/// built-in clones' secrets (<see cref="Redactor.Default"/>); a host redacts with a <see cref="Redactor"/> for its own clones.
/// </summary>
public static class Redaction
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
    public static string Header(string name, string value) => Redactor.Default.Header(name, value);

    /// <summary>A copy of <paramref name="node"/> with values under secret names replaced and every other string passed through <see cref="Text"/>.</summary>
    public static System.Text.Json.Nodes.JsonNode? Json(System.Text.Json.Nodes.JsonNode? node) => Redactor.Default.Json(node);

    /// <summary>A copy of a state mutation with secrets removed from every value.</summary>
    public static Clones.Abstractions.StateMutation Mutation(Clones.Abstractions.StateMutation mutation) => Redactor.Default.Mutation(mutation);

    /// <summary>Redacts any text by structure (JSON, query strings, form bodies) and credential shapes; see <see cref="Redactor.Text"/>.</summary>
    public static string Text(string value) => Redactor.Default.Text(value);
}
