using Archal.Testing.Clones.Abstractions;
using Archal.Testing.ControlPlane;

namespace Archal.Testing.Runtime;

/// <summary>
/// Marks a runtime call the host sends to itself on behalf of an MCP tool call (an HttpContext feature, so no caller
/// can forge it). The route hop already checked the MCP request's route token, so the internal call skips that check
/// but is admitted (clone in session, session running, <c>rateLimit</c>) and traced like any REST call, with its
/// transport and tool.
/// </summary>
/// <param name="Session">The session the MCP request was authorized for.</param>
/// <param name="Transport">The transport recorded in the trace (<c>mcp</c>).</param>
/// <param name="Tool">The tool being called.</param>
internal sealed record RuntimeCallOrigin(SessionRecord Session, string Transport, string Tool);

/// <summary>
/// What the route hop hands the MCP endpoint of <c>/runtime/{sessionId}/{cloneId}/mcp</c> after authorizing it: the
/// session, the clone, and the clone's api base URL as the caller reached it.
/// </summary>
/// <param name="Session">The session.</param>
/// <param name="Definition">The clone.</param>
/// <param name="ApiBaseUrl">The clone's api base URL (path form or subdomain form, as the caller used).</param>
internal sealed record RuntimeMcpHop(SessionRecord Session, CloneDefinition Definition, string ApiBaseUrl);
