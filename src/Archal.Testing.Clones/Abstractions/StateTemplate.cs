namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// A clone state that many sessions start from and none changes: a named seed built once (per clone, seed, random seed,
/// seed data and second) or a snapshot's copy. Sessions copy it on first use (<see cref="CloneStateSlot"/>); until then
/// they share it, so a session nobody has called yet costs almost nothing.
/// </summary>
internal sealed class StateTemplate
{
    // Copies and reads walk the template's JSON nodes, which may build their members on first read: one at a time.
    private readonly Lock _lock = new();
    private readonly CloneState _state;
    private byte[]? _packed;

    public StateTemplate(CloneState state, Func<CloneState, byte[]> pack)
    {
        _state = state;
        Pack = pack;
        NextDueAt = state.NextDueAt;
        state.Freeze();
    }

    /// <summary>The template's due work (it never changes, so neither does this).</summary>
    public DateTimeOffset? NextDueAt { get; }

    /// <summary>The template's seed context (its data is shared by every copy and never changed).</summary>
    public CloneSeedContext Seed => _state.Seed;

    private Func<CloneState, byte[]> Pack { get; }

    /// <summary>The template's keyed snapshot, packed once (the "initial state" every session diffs against).</summary>
    public byte[] Packed
    {
        get
        {
            lock (_lock)
            {
                return _packed ??= Pack(_state);
            }
        }
    }

    /// <summary>A fresh, independent copy for a session, reading <paramref name="seed"/>'s clock.</summary>
    public CloneState CopyFor(CloneSeedContext seed)
    {
        lock (_lock)
        {
            return _state.CopyFor(seed);
        }
    }

    /// <summary>Makes <paramref name="live"/> a copy of the template again (a reset), keeping its gate and seed. Call it under <paramref name="live"/>'s gate.</summary>
    public void ResetInto(CloneState live)
    {
        lock (_lock)
        {
            live.ResetFrom(_state);
        }
    }
}

/// <summary>
/// One session's state for one clone: the shared <see cref="StateTemplate"/> until something needs the state (a call, a
/// read, a snapshot, due work), then the session's own copy (copy on first use). The runtime never hands the template to
/// a handler, so nothing a session does reaches another session.
/// </summary>
internal sealed class CloneStateSlot
{
    private readonly Lock _lock = new();
    private readonly CloneSeedContext _seed;
    private CloneState? _state;
    private Action<CloneState>? _wire;

    /// <summary>A slot that starts as <paramref name="template"/>, copied on first use for session <paramref name="sessionId"/>, reading <paramref name="clock"/>.</summary>
    public CloneStateSlot(StateTemplate template, string sessionId, TimeProvider clock)
    {
        Template = template;
        _seed = template.Seed with { SessionId = sessionId, Time = clock };
    }

    /// <summary>What the session started from (and returns to on reset).</summary>
    public StateTemplate Template { get; }

    /// <summary>The session's own state, or null while it is still the template.</summary>
    public CloneState? IfCopied => Volatile.Read(ref _state);

    /// <summary>When the state next has work due: the template's until the session has its own copy.</summary>
    public DateTimeOffset? PendingDueAt => Template.NextDueAt;

    /// <summary>The session's own state, copied from the template the first time.</summary>
    public CloneState State
    {
        get
        {
            if (Volatile.Read(ref _state) is { } state)
            {
                return state;
            }

            lock (_lock)
            {
                if (_state is null)
                {
                    var copy = Template.CopyFor(_seed);
                    _wire?.Invoke(copy);
                    Volatile.Write(ref _state, copy);
                }

                return _state;
            }
        }
    }

    /// <summary>Runs <paramref name="wire"/> on the state once it exists (now, if it does): connects its callbacks.</summary>
    public void Wire(Action<CloneState> wire)
    {
        lock (_lock)
        {
            _wire = wire;
            if (_state is { } state)
            {
                wire(state);
            }
        }
    }
}
