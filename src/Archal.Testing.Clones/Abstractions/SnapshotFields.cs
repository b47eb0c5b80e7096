using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Tolerant readers of snapshot rows, shared by every clone's vocabulary and seed-file checks.</summary>
public static class SnapshotFields
{
    /// <summary>The first present, non-null value among <paramref name="names"/>.</summary>
    public static JsonNode? Get(JsonObject? o, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (o is null)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (o.TryGetPropertyValue(name, out var value) && value is not null)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The first present value as text (an object reads as its full_name, login, name or id); empty when none.</summary>
    public static string Str(JsonObject? o, params string[] names) => Get(o, names) switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        JsonObject obj => Str(obj, "full_name", "login", "name", "id"),
        var other => other.ToJsonString(),
    };

    /// <summary>Whether the field is JSON <c>true</c>.</summary>
    public static bool Bool(JsonObject? o, string name) =>
        Get(o, name) is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>The field as a number; 0 when it is not one.</summary>
    public static double Num(JsonObject? o, string name) =>
        Get(o, name) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Whether the field is present, non-null and not <c>false</c>.</summary>
    public static bool Present(JsonObject? o, string name) => Get(o, name) is { } node && node.GetValueKind() != JsonValueKind.False;

    /// <summary>Whether the field's text equals <paramref name="value"/>, ignoring case.</summary>
    public static bool Is(JsonObject o, string name, string value) => string.Equals(Str(o, name), value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names from an array of strings or of objects with <c>name</c>/<c>login</c>.</summary>
    public static IEnumerable<string> Names(JsonObject o, string name) =>
        Get(o, name) is JsonArray array
            ? array.Select(item => item switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonObject obj => Str(obj, "name", "login"),
                _ => "",
            }).Where(s => s.Length > 0)
            : [];

    /// <summary>Text cut to 60 characters for evidence.</summary>
    public static string Clip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    /// <summary>The rows of a seed-file or snapshot table; none when it is absent or not a list.</summary>
    public static IEnumerable<JsonObject> Rows(JsonObject? data, string table) =>
        data?[table] is JsonArray rows ? rows.OfType<JsonObject>() : [];
}
