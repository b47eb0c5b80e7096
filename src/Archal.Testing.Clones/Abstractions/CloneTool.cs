using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Runs one MCP tool call: reads the arguments and sends the clone's own operations through <see cref="CloneToolCall.SendAsync"/>.</summary>
/// <param name="call">The call: its arguments and the way to reach the clone's operations.</param>
/// <returns>The tool's result (serialized as the text content of the MCP result).</returns>
public delegate ValueTask<JsonNode?> CloneToolHandler(CloneToolCall call);

/// <summary>
/// One MCP tool of a clone, named and shaped as the vendor's own MCP server declares it (name, description, input
/// JSON schema, annotations), mapped onto the clone's operations. A call runs the operations through the same
/// endpoint pipeline as REST (same state, validation, errors and trace), so a tool is only the translation between
/// the MCP arguments and the operation's request and answer.
/// </summary>
public sealed class CloneTool
{
    /// <summary>Creates a tool.</summary>
    /// <param name="name">The tool name (<c>issue_write</c>, <c>slack_post_message</c>, <c>create_customer</c>).</param>
    /// <param name="description">The description agents read.</param>
    /// <param name="inputSchema">The JSON schema of the arguments (an object schema).</param>
    /// <param name="handler">Runs a call.</param>
    public CloneTool(string name, string description, JsonObject inputSchema, CloneToolHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(handler);
        Name = name;
        Description = description;
        InputSchemaJson = inputSchema.ToJsonString();
        Handler = handler;
    }

    /// <summary>The tool name.</summary>
    public string Name { get; }

    /// <summary>The description agents read.</summary>
    public string Description { get; }

    /// <summary>A display title (the vendor's <c>annotations.title</c>), or null.</summary>
    public string? Title { get; init; }

    /// <summary>Whether the tool only reads (<c>annotations.readOnlyHint</c>). The default is false.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The operation ids the tool may send (for the catalog and docs).</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];

    /// <summary>The JSON schema of the arguments, as a fresh copy.</summary>
    public JsonObject InputSchema => JsonNode.Parse(InputSchemaJson)!.AsObject();

    /// <summary>The JSON schema of the arguments, serialized.</summary>
    public string InputSchemaJson { get; }

    /// <summary>Runs a call.</summary>
    public CloneToolHandler Handler { get; }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>
    /// Builds a clone's tool table from the vendor's tool definitions (an embedded JSON array of
    /// <c>{name, description, inputSchema, annotations}</c>, as the vendor's server lists them) and one handler per
    /// tool name. Every definition needs a handler and every handler a definition.
    /// </summary>
    /// <param name="assembly">The assembly holding the resource.</param>
    /// <param name="resourceName">The manifest resource name.</param>
    /// <param name="handlers">Handler and operation ids per tool name.</param>
    /// <exception cref="InvalidOperationException">A definition has no handler, or a handler no definition.</exception>
    public static IReadOnlyList<CloneTool> Load(Assembly assembly, string resourceName, IReadOnlyDictionary<string, (CloneToolHandler Handler, string[] Operations)> handlers)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(handlers);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"No embedded resource '{resourceName}' in {assembly.GetName().Name}.");
        var definitions = JsonNode.Parse(stream)!.AsArray();
        var tools = new List<CloneTool>(definitions.Count);
        foreach (var node in definitions)
        {
            var definition = node!.AsObject();
            var name = definition["name"]!.GetValue<string>();
            if (!handlers.TryGetValue(name, out var handler))
            {
                throw new InvalidOperationException($"The MCP tool '{name}' in {resourceName} has no handler.");
            }

            var annotations = definition["annotations"] as JsonObject;
            tools.Add(new CloneTool(name, definition["description"]!.GetValue<string>(), definition["inputSchema"]!.AsObject(), handler.Handler)
            {
                Title = annotations?["title"]?.GetValue<string>(),
                ReadOnly = annotations?["readOnlyHint"]?.GetValue<bool>() ?? false,
                Operations = handler.Operations,
            });
        }

        if (handlers.Keys.Except(tools.Select(t => t.Name), StringComparer.Ordinal).FirstOrDefault() is { } orphan)
        {
            throw new InvalidOperationException($"The MCP tool handler '{orphan}' has no definition in {resourceName}.");
        }

        return tools;
    }
}

/// <summary>A tool failure the agent sees as an MCP tool error (<c>isError: true</c>) with this message.</summary>
public sealed class CloneToolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The text of the tool error.</param>
    public CloneToolException(string message) : base(message)
    {
    }
}

/// <summary>One MCP tool call: its arguments, and the way to reach the clone's operations.</summary>
public sealed class CloneToolCall
{
    private readonly Func<CloneToolRequest, CancellationToken, Task<CloneToolResponse>> _send;

    /// <summary>Creates a call (the MCP endpoint does; tests of a tool table may too).</summary>
    /// <param name="tool">The tool name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="send">Sends one operation through the clone's endpoint pipeline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public CloneToolCall(string tool, JsonObject arguments, Func<CloneToolRequest, CancellationToken, Task<CloneToolResponse>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(send);
        Tool = tool;
        Arguments = arguments;
        _send = send;
        CancellationToken = cancellationToken;
    }

    /// <summary>The tool name.</summary>
    public string Tool { get; }

    /// <summary>The arguments as sent.</summary>
    public JsonObject Arguments { get; }

    /// <summary>Cancels the call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Sends one of the clone's operations, exactly as a REST call would reach it, and returns its answer.</summary>
    public Task<CloneToolResponse> SendAsync(CloneToolRequest request) => _send(request, CancellationToken);

    /// <summary>Sends an operation and fails the tool with <c>{failure}: {service message}</c> when it answers an HTTP error.</summary>
    /// <exception cref="CloneToolException">The operation answered 400 or above.</exception>
    public async Task<CloneToolResponse> SendOrFailAsync(CloneToolRequest request, string failure)
    {
        var response = await SendAsync(request).ConfigureAwait(false);
        return response.Status >= 400 ? throw new CloneToolException($"{failure}: {response.ErrorMessage}") : response;
    }

    /// <summary>Whether the argument was sent (and is not null).</summary>
    public bool Has(string name) => Arguments[name] is { } value && value.GetValueKind() != JsonValueKind.Null;

    /// <summary>A required string argument.</summary>
    /// <exception cref="CloneToolException">Missing or not a string.</exception>
    public string RequiredString(string name) =>
        OptionalString(name) is { Length: > 0 } value ? value : throw new CloneToolException($"missing required parameter: {name}");

    /// <summary>An optional string argument, or null.</summary>
    /// <exception cref="CloneToolException">Not a string.</exception>
    public string? OptionalString(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var node = Arguments[name]!;
        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw new CloneToolException($"parameter {name} is not of type string, is {Kind(node)}");
    }

    /// <summary>A required integer argument (a JSON number without fraction).</summary>
    /// <exception cref="CloneToolException">Missing or not an integer.</exception>
    public long RequiredInt(string name) =>
        OptionalInt(name) ?? throw new CloneToolException($"missing required parameter: {name}");

    /// <summary>An optional integer argument, or null.</summary>
    /// <exception cref="CloneToolException">Not an integer.</exception>
    public long? OptionalInt(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var node = Arguments[name]!;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<double>(out var number)
            && number == Math.Floor(number) && Math.Abs(number) < 1e15)
        {
            return (long)number;
        }

        throw new CloneToolException($"parameter {name} is not of type number, is {Kind(node)}");
    }

    /// <summary>An optional boolean argument, or null.</summary>
    /// <exception cref="CloneToolException">Not a boolean.</exception>
    public bool? OptionalBool(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var kind = Arguments[name]!.GetValueKind();
        return kind is JsonValueKind.True or JsonValueKind.False
            ? kind == JsonValueKind.True
            : throw new CloneToolException($"parameter {name} is not of type bool, is {Kind(Arguments[name]!)}");
    }

    /// <summary>An optional array of strings, or null.</summary>
    /// <exception cref="CloneToolException">Not an array of strings.</exception>
    public IReadOnlyList<string>? OptionalStrings(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        if (Arguments[name] is not JsonArray array || array.Any(i => i?.GetValueKind() != JsonValueKind.String))
        {
            throw new CloneToolException($"parameter {name} is not of type []string");
        }

        return [.. array.Select(i => i!.GetValue<string>())];
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}

/// <summary>A request for one of the clone's operations, as a tool sends it: route values, query and body.</summary>
/// <param name="OperationId">The operation id in the clone's table.</param>
public sealed record CloneToolRequest(string OperationId)
{
    /// <summary>
    /// The HTTP method to send, when the vendor's server uses another of the route's methods than the documented one
    /// (Slack's reference server reads with GET); null sends <see cref="CloneOperation.Method"/>.
    /// </summary>
    public string? Method { get; init; }

    /// <summary>Values for the operation's route template parameters.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Query parameters, in order; null values are left out.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Query { get; init; } = [];

    /// <summary>A JSON body, or null.</summary>
    public JsonNode? Json { get; init; }

    /// <summary>A form-encoded body (<c>application/x-www-form-urlencoded</c>), or null; null values are left out.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>>? Form { get; init; }

    /// <summary>The path relative to the api base URL: the operation's template with the route values filled in.</summary>
    /// <exception cref="InvalidOperationException">A route value is missing.</exception>
    public string ResolvePath(CloneOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var pattern = RoutePatternFactory.Parse(operation.Template);
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        path.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        if (!RouteValues.TryGetValue(parameter.Name, out var value))
                        {
                            throw new InvalidOperationException($"The tool request for {operation.Id} has no value for '{parameter.Name}'.");
                        }

                        // A catch-all keeps its slashes (file paths, refs); anything else is one segment.
                        path.Append(parameter.IsCatchAll
                            ? string.Join('/', value.Split('/').Select(Uri.EscapeDataString))
                            : Uri.EscapeDataString(value));
                        break;
                }
            }
        }

        return path.ToString();
    }

    /// <summary>The query string including <c>?</c>, or empty.</summary>
    public string QueryString() => Encode(Query) is { Length: > 0 } query ? "?" + query : "";

    /// <summary>Form-encodes pairs, leaving out null values.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string?>> pairs) =>
        string.Join('&', pairs.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}"));

    /// <summary>A query or form value for an integer, or null.</summary>
    public static string? Value(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What an operation answered a tool.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Text">The response body as text.</param>
/// <param name="Headers">The response headers.</param>
public sealed record CloneToolResponse(int Status, string Text, IReadOnlyDictionary<string, string> Headers)
{
    private JsonNode? _json;
    private bool _parsed;

    /// <summary>The response body as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            if (!_parsed)
            {
                try
                {
                    _json = Text.Length == 0 ? null : JsonNode.Parse(Text);
                }
                catch (JsonException)
                {
                    _json = null;
                }

                _parsed = true;
            }

            return _json;
        }
    }

    /// <summary>
    /// The service's error message: <c>message</c> (GitHub, the Archal route hop), <c>error.message</c> (Stripe) or
    /// <c>error</c> (Slack), prefixed with the status; the body text when none of those is there.
    /// </summary>
    public string ErrorMessage
    {
        get
        {
            var json = Json as JsonObject;
            var message = Str(json?["message"]) ?? Str((json?["error"] as JsonObject)?["message"]) ?? Str(json?["error"]) ?? Text;
            return $"{Status} {message}";

            static string? Str(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        }
    }
}
