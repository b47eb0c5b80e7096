using System.Collections.Concurrent;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>Every session on a host, keyed by id.</summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Owner, string Key), IdempotentCreate> _idempotency = new();
    private readonly DeterministicRandom _ids;
    private readonly Lock _idLock = new();

    public SessionStore(int seed) => _ids = new DeterministicRandom(StableHash.Combine(seed, "archal-sessions"));

    public SessionRecord? Find(string id) => _sessions.GetValueOrDefault(id);

    public IEnumerable<SessionRecord> All => _sessions.Values;

    public IEnumerable<SessionRecord> OwnedBy(string ownerId) =>
        _sessions.Values.Where(s => s.OwnerId == ownerId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal);

    public string NewId()
    {
        lock (_idLock)
        {
            while (true)
            {
                var id = "ses-" + _ids.NextString(20);
                if (!_sessions.ContainsKey(id))
                {
                    return id;
                }
            }
        }
    }

    public void Add(SessionRecord session)
    {
        if (!_sessions.TryAdd(session.Id, session))
        {
            throw new InvalidOperationException($"Session '{session.Id}' already exists.");
        }
    }

    /// <summary>
    /// Reserves an idempotency key. Returns the earlier create when the key was used before
    /// (callers compare fingerprints), or null when this caller now owns the key.
    /// </summary>
    public IdempotentCreate? Reserve(string owner, string key, string fingerprint, out IdempotentCreate reservation)
    {
        var fresh = new IdempotentCreate(fingerprint);
        reservation = _idempotency.GetOrAdd((owner, key), fresh);
        return ReferenceEquals(reservation, fresh) ? null : reservation;
    }

    public void Release(string owner, string key, IdempotentCreate reservation) =>
        _idempotency.TryRemove(new KeyValuePair<(string, string), IdempotentCreate>((owner, key), reservation));
}

/// <summary>A create-session call made under an Idempotency-Key; completes with the created session.</summary>
internal sealed class IdempotentCreate(string fingerprint)
{
    public string Fingerprint { get; } = fingerprint;

    public TaskCompletionSource<SessionRecord> Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
