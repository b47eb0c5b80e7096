using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// A Slack method error: the handler stops and the client gets HTTP 200 with
/// <c>{"ok":false,"error":code}</c> plus any extra fields (for example <c>needed</c>/<c>provided</c>).
/// </summary>
internal sealed class SlackException : Exception
{
    public SlackException(string error, JsonObject? extra = null) : base(error)
    {
        Error = error;
        Extra = extra;
    }

    public SlackException() : this("internal_error") { }

    public SlackException(string message, Exception innerException) : base(message, innerException) => Error = message;

    public string Error { get; } = "internal_error";

    public JsonObject? Extra { get; }
}

/// <summary>Slack's error bodies.</summary>
internal static class SlackErrors
{
    public static JsonObject Body(string error, JsonObject? extra = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = error };
        if (extra is not null)
        {
            foreach (var (name, value) in extra.ToList())
            {
                extra.Remove(name);
                body[name] = value;
            }
        }

        return body;
    }

    /// <summary><c>invalid_arguments</c> with Slack's <c>response_metadata.messages</c> detail.</summary>
    public static SlackException InvalidArguments(params string[] messages) =>
        new("invalid_arguments", new JsonObject
        {
            ["response_metadata"] = new JsonObject { ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode?)JsonValue.Create(m))]) },
        });

    /// <summary>A required argument is missing: Slack's generic newer-method form.</summary>
    public static SlackException MissingArgument(string name) => InvalidArguments($"[ERROR] missing required field: {name}");
}
