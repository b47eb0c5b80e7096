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
    /// Waits out a rule's latency: on the host's <see cref="TimeProvider"/> when the caller is in-process (a fake clock
    /// makes it instant and deterministic), in real time over Kestrel, where a real client is waiting on a socket.
    /// </summary>
    public static Task DelayAsync(HttpContext http, ArchalRuntime runtime, SessionRecord session, FaultHit fault)
    {
        // TODO(issue 14 part 1): wait on the session's virtual clock instead of the host's TimeProvider once sessions have one.
        _ = session;
        var clock = http.RequestServices.GetService<IServer>() is Microsoft.AspNetCore.TestHost.TestServer ? runtime.Time : TimeProvider.System;
        return Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), clock, http.RequestAborted);
    }
}
