using System.Text.Json.Nodes;

namespace Archal.Testing.Hosting;

/// <summary>
/// An immutable snapshot of a session (<see cref="ArchalSession.SnapshotAsync"/>): every clone's state and the fault
/// rules. Fork it with <c>host.CreateSessionAsync(request.FromSnapshot(snapshot))</c>.
/// </summary>
public sealed class ArchalSnapshot
{
    internal ArchalSnapshot(JsonObject json)
    {
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

    /// <inheritdoc />
    public override string ToString() => $"{Id} (of {SessionId}: {string.Join(", ", CloneIds)})";
}
