using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Archal.Testing.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Archal.Testing.Mcp;

/// <summary>
/// The Streamable HTTP MCP endpoint of every clone in every session, <c>/runtime/{sessionId}/{cloneId}/mcp</c>, on the
/// official C# SDK (ModelContextProtocol.AspNetCore). One MCP server configuration serves all clones: the route hop
/// authorizes each request and hands over the session and clone (<see cref="RuntimeMcpHop"/>); <c>tools/list</c> reads
/// the clone's <see cref="CloneDefinition.Tools"/>, and <c>tools/call</c> runs the tool, whose operations go through
/// <see cref="CloneToolDispatcher"/>.
/// </summary>
internal static class CloneMcpEndpoints
{
    public const string Route = "/runtime/{sessionId}/{cloneId}/mcp";

    public static void AddServices(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<CloneToolDispatcher>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "archal-testing", Version = typeof(CloneMcpEndpoints).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" };
            })
            .WithHttpTransport(transport =>
            {
                // Clients of the 2025 revisions (initialize handshake) get a session with its GET event stream;
                // clients of later revisions are served per request on the same URL.
                transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                transport.ConfigureSessionOptions = (http, options, _) =>
                {
                    if (http.Features.Get<RuntimeMcpHop>() is { } hop)
                    {
                        options.ServerInfo = new Implementation { Name = $"archal-testing-{hop.Definition.Id}", Title = $"{hop.Definition.DisplayName} (Archal clone)", Version = options.ServerInfo?.Version ?? "1.0.0" };
                    }

                    return Task.CompletedTask;
                };
            })
            .WithListToolsHandler(ListToolsAsync)
            .WithCallToolHandler(CallToolAsync);
    }

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapMcp(Route);

    private static RuntimeMcpHop Hop(MessageContext context, out HttpContext http)
    {
        http = context.Services?.GetService<IHttpContextAccessor>()?.HttpContext
            ?? throw new McpProtocolException("This MCP request has no HTTP request.", McpErrorCode.InternalError);
        var hop = http.Features.Get<RuntimeMcpHop>()
            ?? throw new McpProtocolException("This MCP request did not come through the Archal route hop.", McpErrorCode.InternalError);
        // A stateful MCP session is bound to nothing but its id: the clone is the one of the URL this request used.
        return hop;
    }

    private static ValueTask<ListToolsResult> ListToolsAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken)
    {
        var hop = Hop(request, out _);
        return ValueTask.FromResult(new ListToolsResult { Tools = [.. hop.Definition.Tools.Select(ToProtocol)] });
    }

    internal static Tool ToProtocol(CloneTool tool) => new()
    {
        Name = tool.Name,
        Title = tool.Title,
        Description = tool.Description,
        InputSchema = JsonDocument.Parse(tool.InputSchemaJson).RootElement.Clone(),
        Annotations = new ToolAnnotations { Title = tool.Title, ReadOnlyHint = tool.ReadOnly },
    };

    private static async ValueTask<CallToolResult> CallToolAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var hop = Hop(request, out var http);
        var name = request.Params?.Name ?? "";
        var tool = hop.Definition.Tools.FirstOrDefault(t => t.Name == name)
            ?? throw new McpProtocolException($"Unknown tool: '{name}'", McpErrorCode.InvalidParams);
        var arguments = new JsonObject();
        if (request.Params?.Arguments is { } given)
        {
            foreach (var (key, value) in given)
            {
                arguments[key] = JsonNode.Parse(value.GetRawText());
            }
        }

        var dispatcher = http.RequestServices.GetRequiredService<CloneToolDispatcher>();
        var call = new CloneToolCall(tool.Name, arguments, (operation, ct) => dispatcher.SendAsync(http, hop, tool.Name, operation, ct), cancellationToken);
        try
        {
            var result = await tool.Handler(call).ConfigureAwait(false);
            // A string result (a file's text) is sent as is; anything else as its JSON.
            var text = result is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : result?.ToJsonString() ?? "null";
            return new CallToolResult { Content = [new TextContentBlock { Text = text }] };
        }
        catch (CloneToolException e)
        {
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = e.Message }] };
        }
    }
}
