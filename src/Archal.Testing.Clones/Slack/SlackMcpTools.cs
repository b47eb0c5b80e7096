using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// Slack's MCP tools as the reference server declares them (modelcontextprotocol/servers <c>src/slack/index.ts</c> at
/// commit 1f705677, the last before it moved to servers-archived; MIT), mapped onto the clone's Web API methods as that
/// server calls them: writes as POSTs with JSON bodies, reads as GETs with query arguments. A result is the method's JSON answer; an answer
/// with <c>ok: false</c> (or an HTTP error) is an MCP tool error carrying that same JSON.
/// </summary>
internal static class SlackMcpTools
{
    public static IReadOnlyList<CloneTool> Tools { get; } = CloneTool.Load(typeof(SlackMcpTools).Assembly, "Archal.Testing.Clones.Slack.SlackMcpTools.json",
        new Dictionary<string, (CloneToolHandler, string[])>
        {
            ["slack_list_channels"] = (call => Read(call, "conversations.list",
                ("types", "public_channel"), ("exclude_archived", "true"), ("limit", Limit(call, "limit", 100)), ("cursor", call.OptionalString("cursor"))), ["conversations.list"]),
            ["slack_post_message"] = (call => Write(call, "chat.postMessage", new JsonObject
            {
                ["channel"] = call.RequiredString("channel_id"),
                ["text"] = call.RequiredString("text"),
            }), ["chat.postMessage"]),
            ["slack_reply_to_thread"] = (call => Write(call, "chat.postMessage", new JsonObject
            {
                ["channel"] = call.RequiredString("channel_id"),
                ["thread_ts"] = call.RequiredString("thread_ts"),
                ["text"] = call.RequiredString("text"),
            }), ["chat.postMessage"]),
            ["slack_add_reaction"] = (call => Write(call, "reactions.add", new JsonObject
            {
                ["channel"] = call.RequiredString("channel_id"),
                ["timestamp"] = call.RequiredString("timestamp"),
                ["name"] = call.RequiredString("reaction"),
            }), ["reactions.add"]),
            ["slack_get_channel_history"] = (call => Read(call, "conversations.history",
                ("channel", call.RequiredString("channel_id")), ("limit", CloneToolRequest.Value(call.OptionalInt("limit") ?? 10))), ["conversations.history"]),
            ["slack_get_thread_replies"] = (call => Read(call, "conversations.replies",
                ("channel", call.RequiredString("channel_id")), ("ts", call.RequiredString("thread_ts"))), ["conversations.replies"]),
            ["slack_get_users"] = (call => Read(call, "users.list", ("limit", Limit(call, "limit", 100)), ("cursor", call.OptionalString("cursor"))), ["users.list"]),
            ["slack_get_user_profile"] = (call => Read(call, "users.profile.get", ("user", call.RequiredString("user_id")), ("include_labels", "true")), ["users.profile.get"]),
        });

    private static string? Limit(CloneToolCall call, string name, long fallback) => CloneToolRequest.Value(Math.Min(call.OptionalInt(name) ?? fallback, 200));

    private static ValueTask<JsonNode?> Read(CloneToolCall call, string method, params (string Name, string? Value)[] arguments) =>
        SendAsync(call, new CloneToolRequest(method) { Method = "GET", Query = [.. arguments.Select(a => KeyValuePair.Create(a.Name, a.Value))] });

    private static ValueTask<JsonNode?> Write(CloneToolCall call, string method, JsonObject body) =>
        SendAsync(call, new CloneToolRequest(method) { Json = body });

    private static async ValueTask<JsonNode?> SendAsync(CloneToolCall call, CloneToolRequest request)
    {
        var response = await call.SendAsync(request).ConfigureAwait(false);
        if (response.Status >= 400 || response.Json?["ok"]?.GetValue<bool>() != true)
        {
            throw new CloneToolException(response.Text);
        }

        return response.Json;
    }
}
