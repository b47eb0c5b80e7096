using System.Text.Json.Nodes;

namespace Archal.Testing.Hosting;

/// <summary>
/// An immutable snapshot of a session (<see cref="ArchalSession.SnapshotAsync"/>): every clone's state and the fault
/// rules. Fork it with <c>host.CreateSessionAsync(request.FromSnapshot(snapshot))</c>.
/// </summary>
public sealed class ArchalSnapshot
{
    private readonly ArchalSession _session;

    internal ArchalSnapshot(JsonObject json, ArchalSession session)
    {
        _session = session;
        Json = json;
        Id = json["snapshotId"]!.GetValue<string>();
        SessionId = json["sessionId"]!.GetValue<string>();
        CloneIds = [.. json["clones"]!.AsArray().Select(c => c!.GetValue<string>())];
    }

    /// <summary>The snapshot id (<c>snap-…</c>), for <c>"source": {"snapshotId": …}</c>.</summary>
    public string Id { get; }

    /// <summary>The session it was taken from.</summary>
    public string SessionId { get; }

    /// <summary>The clones it holds.</summary>
    public IReadOnlyList<string> CloneIds { get; }

    /// <summary>The control plane's answer to <c>POST /api/sessions/{id}/snapshots</c>.</summary>
    public JsonObject Json { get; }

    /// <summary>
    /// Exports the snapshot as a seed file (<c>GET /api/snapshots/{id}/seed-file</c>): <c>{"github": {"seed": "empty",
    /// "state": {…}}, …}</c>. Save it (<c>seedFile.ToJsonString()</c>) and load it with <c>SeedFile.Load</c>, or start a session
    /// from it with <see cref="SessionRequest.WithSeedFile"/>: the new session starts with the same entities. What does not
    /// carry over (secrets, the random source's position, the clock's offset) is in docs/faults-and-snapshots.md.
    /// </summary>
    /// <exception cref="ArchalApiException">The control plane refused (the snapshot was deleted, a clone cannot export).</exception>
    public Task<JsonObject> ExportSeedFileAsync(CancellationToken cancellationToken = default) =>
        _session.GetJsonAsync($"/api/snapshots/{Id}/seed-file", cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Id} (of {SessionId}: {string.Join(", ", CloneIds)})";
}
