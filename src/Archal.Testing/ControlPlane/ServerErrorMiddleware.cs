using Microsoft.AspNetCore.Http;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// The outermost handler: whatever fails below it and has not started its response gets a JSON body
/// (<c>{ error, code, message, detail }</c>) instead of the server's empty one. Requests the server rejects
/// before the app sees them (a request line over 8 KB, headers over 32/64 KB, malformed HTTP) are answered by
/// Kestrel itself and cannot carry a body from here; docs/control-plane-errors.md lists them.
/// </summary>
internal sealed class ServerErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
        {
            // Raised while the app reads the request (Kestrel's MaxRequestBodySize, a truncated body, a bad chunk).
            http.Response.Clear();
            await Rejected(ex).ExecuteAsync(http).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nobody is left to answer.
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            http.Response.Clear();
            await ControlPlaneError.Internal(ex).ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    private static ControlPlaneError Rejected(BadHttpRequestException ex) => ex.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => new(StatusCodes.Status413PayloadTooLarge, "invalid_request", "payload_too_large",
            "The request body is larger than the server accepts.", ex.Message),
        StatusCodes.Status408RequestTimeout => new(StatusCodes.Status408RequestTimeout, "invalid_request", "request_timeout",
            "The request body did not arrive in time.", ex.Message),
        _ => new(ex.StatusCode, "invalid_request", "bad_request", "The request could not be read.", ex.Message),
    };
}
