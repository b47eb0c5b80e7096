using Archal.Testing.ControlPlane;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Archal.Testing.Runtime;

/// <summary>
/// Applies a session's fault rules to one runtime call. The rules are data (<see cref="SessionFaults"/>); the error is
/// the clone's own (<c>CloneDefinition.WriteFaultAsync</c>). Polly.Core's chaos strategies (fault, latency and outcome
/// injection) are built to wrap a caller's pipeline and raise exceptions or synthetic results inside it; here the fault
/// must be the service's HTTP answer, counted per rule in call order and recorded in the trace, so the runtime applies
/// the rules itself (see docs/faults-and-snapshots.md).
/// </summary>
internal static class FaultInjection
{
    /// <summary>
    /// Waits out a rule's latency: on the session's clock when the caller is in-process (it ends when the host clock gets
    /// there — a fake host clock must be advanced — or as soon as the session clock is moved past it), in real time over
    /// Kestrel, where a real client is waiting on a socket.
    /// </summary>
    public static Task DelayAsync(HttpContext http, SessionRecord session, FaultHit fault)
    {
        var latency = TimeSpan.FromMilliseconds(fault.LatencyMs);
        return http.RequestServices.GetService<IServer>() is Microsoft.AspNetCore.TestHost.TestServer
            ? session.Clock.DelayAsync(latency, http.RequestAborted)
            : Task.Delay(latency, TimeProvider.System, http.RequestAborted);
    }
}
