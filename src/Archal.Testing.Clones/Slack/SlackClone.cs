using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// A stateful emulator of Slack's Web API (<c>https://slack.com/api/{method}</c>): conversations,
/// messages, threads, reactions, pins, scheduled messages and users, answered in Slack's shapes
/// (HTTP 200 with <c>{"ok":false,"error":...}</c> for method errors).
/// </summary>
public sealed class SlackClone : CloneDefinition
{
    internal const string BotToken = "xoxb-1000000000-1000000000000-AbCdEfGhIjKlMnOpQrStUvWx";

    /// <inheritdoc />
    public override string Id => "slack";

    /// <inheritdoc />
    public override string DisplayName => "Slack";

    /// <inheritdoc />
    public override string Description => "Slack Web API: conversations, messages, threads, reactions, pins and users.";

    /// <inheritdoc />
    public override IReadOnlyList<string> SeedNames { get; } = SlackSeeds.Names;

    /// <inheritdoc />
    /// <remarks>A bot token (<c>xoxb-</c>) that authenticates as the seed's bot user in every seed.</remarks>
    public override string DefaultServiceToken => BotToken;

    /// <inheritdoc />
    public override IReadOnlyList<string> ServiceTokenVariables { get; } = ["SLACK_BOT_TOKEN", "SLACK_TOKEN"];

    /// <inheritdoc />
    public override IReadOnlyList<Uri> ProductionBaseUrls { get; } = [new("https://slack.com/api/")];

    /// <inheritdoc />
    public override CloneState CreateState(CloneSeedContext context) => SlackSeeds.Create(context);

    /// <inheritdoc />
    /// <remarks>Every table, the registered tokens and the ts counters; see docs/faults-and-snapshots.md for what does not carry over.</remarks>
    public override System.Text.Json.Nodes.JsonObject ExportSeedData(CloneState state) =>
        SlackSeedExport.Export(state as SlackState ?? throw new ArgumentException($"Expected a SlackState, got {state?.GetType().Name ?? "null"}.", nameof(state)));

    /// <inheritdoc />
    /// <remarks>
    /// Slack's Events API: the request URL gets the <c>url_verification</c> challenge, then signed <c>event_callback</c>
    /// envelopes for <c>message.channels</c>, <c>message.groups</c>, <c>message.im</c>, <c>message.mpim</c>,
    /// <c>app_mention</c>, <c>reaction_added</c>, <c>reaction_removed</c>, <c>member_joined_channel</c> and
    /// <c>channel_created</c>.
    /// </remarks>
    public override void Subscribe(CloneState state, EventSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        SlackEvents.Subscribe((SlackState)state, subscription);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Operation ids are the Web API method names (<c>chat.postMessage</c>); each is its own route, <c>/{method}</c>,
    /// answering GET and POST as slack.com does. Summaries are the method descriptions of Slack's OpenAPI spec.
    /// </remarks>
    public override IReadOnlyList<CloneOperation> Operations => SlackDispatcher.Operations;

    /// <inheritdoc />
    public override IReadOnlyList<CloneTool> Tools => SlackMcpTools.Tools;

    /// <inheritdoc />
    public override Task HandleUnmatchedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return SlackDispatcher.UnknownMethodAsync(http, http.Request.RouteValues["path"] as string ?? "");
    }

    /// <inheritdoc />
    /// <remarks>Slack answers HTTP 200 with <c>{"ok": false, "error": "request_too_large"}</c>.</remarks>
    public override Task WriteRequestTooLargeAsync(HttpContext http, long limit) =>
        SlackDispatcher.WriteAsync(http, StatusCodes.Status200OK, SlackErrors.Body("request_too_large"));

    // ---- Clone knowledge for criteria, seed files and redaction (SlackVocabulary.cs) ----

    /// <inheritdoc />
    /// <remarks>Codes: <c>ratelimited</c> (HTTP 429, the default), or any Slack error code such as <c>internal_error</c> or <c>fatal_error</c> (HTTP 200 unless a status is given).</remarks>
    public override string? CheckFault(CloneFault fault) => SlackFaults.Check(fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <inheritdoc />
    public override Task WriteFaultAsync(HttpContext http, CloneFault fault) =>
        SlackFaults.WriteAsync(http ?? throw new ArgumentNullException(nameof(http)), fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <inheritdoc />
    public override CloneVocabulary Vocabulary => SlackVocabulary.Vocabulary;

    /// <inheritdoc />
    public override CloneSecrets Secrets => SlackVocabulary.Secrets;

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckSeedData(System.Text.Json.Nodes.JsonObject data, string baseSeed) => SlackVocabulary.CheckSeedData(data, baseSeed);
}

/// <summary>One Web API call being served.</summary>
internal sealed class SlackCall(SlackState state, SlackArgs args, SlackUser caller, string token, string apiBaseUrl)
{
    public SlackState State { get; } = state;

    public SlackArgs Args { get; } = args;

    public SlackUser Caller { get; } = caller;

    public string Token { get; } = token;

    public string ApiBaseUrl { get; } = apiBaseUrl;

    public bool IsBot => Caller.IsBot;

    /// <summary>Warnings to add to the response (<c>warning</c> and <c>response_metadata.warnings</c>).</summary>
    public List<string> Warnings => Args.Warnings;

    public static JsonObject Ok() => new() { ["ok"] = true };
}

/// <summary>A Web API method: its handler, rate-limit tier, required scope and one-line summary.</summary>
internal sealed record SlackMethod(string Name, int Tier, string? Scope, Func<SlackCall, JsonObject> Handler, bool Authenticated = true, string Summary = "")
{
    /// <summary>Whether the method changes state: it needs a write/manage/join scope and is not a listing.</summary>
    public bool Mutates => Scope is { } scope
        && (scope.EndsWith(":write", StringComparison.Ordinal) || scope.EndsWith(":manage", StringComparison.Ordinal) || scope.EndsWith(":join", StringComparison.Ordinal))
        && !Name.EndsWith(".list", StringComparison.Ordinal);
}

/// <summary>Routes <c>{base}/{method}</c> to handlers: argument reading, auth, scopes, rate limits, errors.</summary>
internal static class SlackDispatcher
{
    private static readonly Dictionary<string, SlackMethod> Methods = Build();

    private static Dictionary<string, SlackMethod> Build()
    {
        var methods = new List<SlackMethod>();
        methods.AddRange(SlackUsers.Methods);
        methods.AddRange(SlackConversations.Methods);
        methods.AddRange(SlackChat.Methods);
        methods.AddRange(SlackReactions.Methods);
        methods.AddRange(SlackBookmarks.Methods);
        methods.AddRange(SlackSearch.Methods);
        return methods.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    internal static IReadOnlyCollection<string> MethodNames => Methods.Keys;

    internal static readonly CloneOperation[] Operations =
    [
        .. Methods.Values.Select(method => new CloneOperation(method.Name, "POST", "/" + method.Name, method.Summary,
            (RequestDelegate)(http => DispatchAsync(http, method)))
        {
            Mutates = method.Mutates,
            DocUrl = new Uri("https://api.slack.com/methods/" + method.Name),
            RouteMethods = ["GET", "POST"],
        }),
    ];

    private static async Task DispatchAsync(HttpContext http, SlackMethod definition)
    {
        var context = http.GetCloneContext();
        var state = (SlackState)context.State;
        var args = SlackArgs.Read(http.Request, context.Body);
        JsonObject body;
        try
        {
            body = Invoke(http, definition, state, args, context.ApiBaseUrl);
        }
        catch (SlackException e)
        {
            body = SlackErrors.Body(e.Error, e.Extra);
        }
        catch (Exception e) when (e is not (SlackRateLimitedException or OperationCanceledException))
        {
            // A clone bug must not become an HTTP 500 the SDK retries: answer as Slack does for its own failures,
            // with the cause in response_metadata so the test author can see it.
            body = SlackErrors.Body("internal_error", new JsonObject
            {
                ["response_metadata"] = new JsonObject { ["messages"] = new JsonArray($"[ERROR] {e.GetType().Name}: {e.Message}") },
            });
        }
        catch (SlackRateLimitedException limited)
        {
            http.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(http, StatusCodes.Status429TooManyRequests, SlackErrors.Body("ratelimited")).ConfigureAwait(false);
            return;
        }

        if (args.Warnings.Count > 0)
        {
            body["warning"] = string.Join(',', args.Warnings);
            var metadata = body["response_metadata"] as JsonObject ?? new JsonObject();
            metadata["warnings"] = new JsonArray([.. args.Warnings.Select(w => (JsonNode?)JsonValue.Create(w))]);
            body["response_metadata"] = metadata;
        }

        await WriteAsync(http, StatusCodes.Status200OK, body).ConfigureAwait(false);
    }

    private static JsonObject Invoke(HttpContext http, SlackMethod method, SlackState state, SlackArgs args, string apiBaseUrl)
    {
        if (!method.Authenticated)
        {
            if (args.ReadError is not null)
            {
                throw args.ReadError;
            }

            return method.Handler(new SlackCall(state, args, state.Users.Find(state.BotUserId)!, "", apiBaseUrl));
        }

        var header = http.Request.Headers.Authorization.ToString();
        var token = header.Length > 0 ? http.Request.GetServiceToken() : null;
        if (token is null && !args.IsJson)
        {
            token = args.Token;
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new SlackException("not_authed");
        }

        var caller = state.UserForToken(token) ?? throw new SlackException("invalid_auth");
        if (caller.Deleted)
        {
            throw new SlackException(caller.IsBot ? "account_inactive" : "token_revoked");
        }

        var scopes = state.ScopesForToken(token);
        if (scopes is not null)
        {
            http.Response.Headers["x-oauth-scopes"] = string.Join(',', scopes);
        }

        if (method.Scope is not null)
        {
            http.Response.Headers["x-accepted-oauth-scopes"] = method.Scope;
            if (scopes is not null && !scopes.Contains(method.Scope, StringComparer.Ordinal))
            {
                throw new SlackException("missing_scope", new JsonObject
                {
                    ["needed"] = method.Scope,
                    ["provided"] = string.Join(',', scopes),
                });
            }
        }

        if (args.ReadError is not null)
        {
            throw args.ReadError;
        }

        SlackRateLimits.Check(state, method, args);
        SlackChat.DeliverDueScheduledMessages(state);
        return method.Handler(new SlackCall(state, args, caller, token, apiBaseUrl));
    }

    public static Task UnknownMethodAsync(HttpContext http, string method) =>
        // Slack answers an unknown method with HTTP 404 and its usual error body.
        WriteAsync(http, StatusCodes.Status404NotFound, new JsonObject
        {
            ["ok"] = false,
            ["error"] = "unknown_method",
            ["req_method"] = method,
        });

    internal static async Task WriteAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        if (http.Features.Get<CloneRequestContext>() is { } context)
        {
            http.Response.Headers["x-slack-req-id"] = context.RequestId;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, CloneJson.SnakeCase);
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }
}
