using System.Globalization;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Http;

namespace Archal.Testing.Clones.Slack;

/// <summary>
/// Injected Slack errors (https://api.slack.com/apis/rate-limits, https://api.slack.com/web#evaluating_responses):
/// a rate limit is HTTP 429 with <c>Retry-After</c> and <c>{"ok": false, "error": "ratelimited"}</c>; a method error
/// such as <c>internal_error</c> or <c>fatal_error</c> is HTTP 200 with <c>{"ok": false, "error": code}</c>.
/// </summary>
internal static class SlackFaults
{
    private const int DefaultRetryAfterSeconds = 30;

    public static string? Check(CloneFault fault)
    {
        if (fault.Code is { } code && (code.Length == 0 || !code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')))
        {
            return $"a Slack error code is lower-case letters, digits and underscores (for example internal_error), not '{code}'";
        }

        if (fault.Code == "ratelimited" && fault.Status is not (null or 429))
        {
            return $"Slack answers 'ratelimited' with status 429, not {fault.Status}";
        }

        return fault.Status is null or 200 or (>= 400 and <= 599) ? null : "status must be 200 (a method error) or an HTTP error status (400 to 599)";
    }

    public static Task WriteAsync(HttpContext http, CloneFault fault)
    {
        var status = fault.Status ?? (fault.Code is null or "ratelimited" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status200OK);
        var error = fault.Code ?? (status == StatusCodes.Status429TooManyRequests ? "ratelimited" : "internal_error");
        if (status == StatusCodes.Status429TooManyRequests)
        {
            http.Response.Headers.RetryAfter = (fault.RetryAfterSeconds ?? DefaultRetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return SlackDispatcher.WriteAsync(http, status, new JsonObject { ["ok"] = false, ["error"] = error });
    }
}
