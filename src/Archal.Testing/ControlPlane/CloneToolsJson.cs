using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// A clone's MCP tool catalog as <c>GET /api/clones/{cloneId}/tools</c> and <c>archal-testing clone tools --json</c>
/// render it: each tool as MCP's <c>tools/list</c> describes it (name, title, description, inputSchema, annotations),
/// plus the clone operations it sends.
/// </summary>
internal static class CloneToolsJson
{
    public static JsonObject Catalog(CloneDefinition clone) => new()
    {
        ["cloneId"] = clone.Id,
        ["tools"] = new JsonArray([.. clone.Tools.Select(Tool)]),
    };

    public static JsonObject Tool(CloneTool tool) => new()
    {
        ["name"] = tool.Name,
        ["title"] = tool.Title,
        ["description"] = tool.Description,
        ["inputSchema"] = tool.InputSchema,
        ["annotations"] = new JsonObject { ["title"] = tool.Title, ["readOnlyHint"] = tool.ReadOnly },
        ["operations"] = new JsonArray([.. tool.Operations.Select(o => JsonValue.Create(o))]),
    };
}
