using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// A session's clone states, by clone id. Each starts as a shared template (the named seed, or a snapshot) and becomes
/// the session's own copy the first time it is read through this dictionary (<see cref="CloneStateSlot"/>): counting,
/// <see cref="ContainsKey"/> and <see cref="Keys"/> copy nothing.
/// </summary>
internal sealed class SessionStates : IReadOnlyDictionary<string, CloneState>
{
    private readonly Dictionary<string, CloneStateSlot> _slots;

    public SessionStates(Dictionary<string, CloneStateSlot> slots) => _slots = slots;

    /// <summary>No states (a preflight session, or one the host released).</summary>
    public static SessionStates None { get; } = new(new Dictionary<string, CloneStateSlot>(StringComparer.Ordinal));

    public IReadOnlyList<CloneStateSlot> Slots => [.. _slots.Values];

    public CloneStateSlot Slot(string cloneId) => _slots[cloneId];

    /// <summary>The clone's state if the session has copied it from its template, else null (nothing changed yet).</summary>
    public CloneState? IfCopied(string cloneId) => _slots.TryGetValue(cloneId, out var slot) ? slot.IfCopied : null;

    public CloneState this[string key] => _slots[key].State;

    public IEnumerable<string> Keys => _slots.Keys;

    public IEnumerable<CloneState> Values => _slots.Values.Select(s => s.State);

    public int Count => _slots.Count;

    public bool ContainsKey(string key) => _slots.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CloneState value)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            value = slot.State;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, CloneState>> GetEnumerator() =>
        _slots.Select(s => KeyValuePair.Create(s.Key, s.Value.State)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
