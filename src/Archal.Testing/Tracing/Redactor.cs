using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Archal.Testing.Clones;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>
/// Removes secrets from what a trace records, for one set of clones: Archal's own token shapes, each clone's
/// <see cref="CloneDefinition.Secrets"/> (token patterns and secret fields), and the usual credential fields.
/// A host builds one from its clones; <see cref="Redaction"/> uses one built from the built-in clones.
/// </summary>
public sealed class Redactor
{
    private static readonly Lazy<Redactor> BuiltIn = new(() => new Redactor(BuiltInClones.Create()));

    // Archal tokens (arc_, archal_ws_) and JWT-like bearer blobs; the clones add their own shapes.
    private static readonly string[] HarnessTokenPatterns =
        [@"arc_[A-Za-z0-9]{8,}", @"archal_ws_[A-Za-z0-9]{8,}", @"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"];

    private static readonly string[] HarnessSecretFields = ["token", "access_token", "refresh_token", "client_secret", "api_key", "password"];

    private readonly Regex _tokenShapes;
    private readonly Regex _tokenParameter;
    private readonly Regex _tokenJsonField;

    /// <summary>Creates a redactor for <paramref name="clones"/>.</summary>
    /// <exception cref="ArgumentException">A clone's token pattern is not a valid regular expression.</exception>
    public Redactor(IEnumerable<CloneDefinition> clones)
    {
        ArgumentNullException.ThrowIfNull(clones);
        var tokens = new List<string>(HarnessTokenPatterns);
        var fields = new List<string>(HarnessSecretFields);
        foreach (var clone in clones)
        {
            var secrets = clone.Secrets;
            foreach (var pattern in secrets.TokenPatterns)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"Clone '{clone.Id}' declares a token pattern that is not a valid regular expression: {pattern}", nameof(clones), ex);
                }

                tokens.Add(pattern);
            }

            fields.AddRange(secrets.Fields);
        }

        var names = string.Join('|', fields.Distinct(StringComparer.OrdinalIgnoreCase).Select(Regex.Escape));
        const RegexOptions options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
        _tokenShapes = new Regex($@"\b(?:{string.Join('|', tokens.Distinct(StringComparer.Ordinal).Select(t => $"(?:{t})"))})", options);
        // token=..., access_token=..., client_secret=... in query strings and form bodies.
        _tokenParameter = new Regex($@"((?:^|[?&])(?:{names})=)[^&\s]*", options | RegexOptions.IgnoreCase);
        // "token": "..." and similar in JSON bodies, also inside JSON-encoded strings (\"token\": \"...\").
        _tokenJsonField = new Regex($@"(\\?""(?:{names})\\?""\s*:\s*\\?"")[^""\\]*", options | RegexOptions.IgnoreCase);
    }

    /// <summary>The redactor for the built-in clones (GitHub, Slack, Stripe).</summary>
    public static Redactor Default => BuiltIn.Value;

    /// <summary>The header value as the trace keeps it: the scheme survives, the credential does not.</summary>
    public string Header(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Redaction.IsSecretHeader(name))
        {
            return Text(value);
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && name.Contains("authorization", StringComparison.OrdinalIgnoreCase)
            ? $"{value[..space]} {Redaction.Marker}"
            : Redaction.Marker;
    }

    /// <summary>A copy of <paramref name="node"/> with every string value passed through <see cref="Text"/>.</summary>
    public JsonNode? Json(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Text(text)),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Json(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Json)]),
        _ => node.DeepClone(),
    };

    /// <summary>A copy of a state mutation with secrets removed from every value.</summary>
    public StateMutation Mutation(StateMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        return mutation with { Changes = [.. mutation.Changes.Select(c => c with { Before = Json(c.Before), After = Json(c.After) })] };
    }

    /// <summary>Replaces known credential shapes and secret <c>field=</c>/<c>"field":</c> values in any text.</summary>
    public string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = _tokenShapes.Replace(value, Redaction.Marker);
        value = _tokenParameter.Replace(value, m => m.Groups[1].Value + Redaction.Marker);
        return _tokenJsonField.Replace(value, m => m.Groups[1].Value + Redaction.Marker);
    }
}
