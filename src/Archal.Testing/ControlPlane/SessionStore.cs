using System.Collections.Concurrent;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.ControlPlane;

/// <summary>Every session on a host, keyed by id.</summary>
internal sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Owner, string Key), IdempotentCreate> _idempotency = new();
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";


    public SessionRecord? Find(string id) => _sessions.GetValueOrDefault(id);

    public IEnumerable<SessionRecord> All => _sessions.Values;

    public IEnumerable<SessionRecord> OwnedBy(string ownerId) =>
        _sessions.Values.Where(s => s.OwnerId == ownerId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal);

    /// <summary>
    /// A new session id. Ids name a route that any local process could call, so they are unguessable (a
    /// cryptographic random source) and unique across hosts and runs; clone data stays seeded and deterministic.
    /// </summary>
    public string NewId()
    {
        while (true)
        {
            var id = "ses-" + System.Security.Cryptography.RandomNumberGenerator.GetString(IdAlphabet, 20);
            if (!_sessions.ContainsKey(id))
            {
                return id;
            }
        }
    }

    /// <summary>Puts the released summary of a session in place of the session (unless it was replaced meanwhile).</summary>
    public void Replace(SessionRecord session, SessionRecord summary) =>
        _sessions.TryUpdate(session.Id, summary, session);

    /// <summary>Forgets a session entirely (its summary too).</summary>
    public void Remove(string id) => _sessions.TryRemove(id, out _);

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

/// <summary>
/// A create-session call made under an Idempotency-Key; completes with the created session, or with the error its
/// first caller got, so that concurrent callers with the same key all get the same answer.
/// </summary>
internal sealed class IdempotentCreate(string fingerprint)
{
    public string Fingerprint { get; } = fingerprint;

    /// <summary>The created session's id (not the record: the key must not keep a released session's memory alive), or the error.</summary>
    public TaskCompletionSource<(string? SessionId, ControlPlaneError? Error)> Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
