using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Events;

/// <summary>
/// Webhook retries on the session clock (<see cref="SessionClock.Schedule"/>): a retry due at the session's now plus its
/// delay runs when the host clock gets there, or as soon as the session clock is moved past it
/// (<c>session.Clock.AdvanceAsync</c>, <c>POST /api/sessions/{id}/clock</c>), whichever comes first — once.
/// </summary>
internal sealed class SessionClockScheduler(SessionClock clock) : IDeliveryScheduler
{
    public IDisposable Schedule(TimeSpan delay, Action callback) => clock.Schedule(delay, callback);
}
