using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// Seed-file export: <c>GET /api/snapshots/{snapshotId}/seed-file</c> and <c>GET /api/sessions/{sessionId}/seed-file</c>
/// answer a seed file (<c>{"github": {"seed": "empty", "state": {…}}, …}</c>) that a new session loads as seed data, starting
/// with the same entities (each clone's <see cref="CloneDefinition.ExportSeedData"/>).
/// </summary>
internal static class SeedFileEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/snapshots/{snapshotId}/seed-file", FromSnapshot);
        routes.MapGet("/api/sessions/{sessionId}/seed-file", FromSession);
    }

    private static IResult FromSnapshot(HttpContext http, ArchalRuntime runtime, string snapshotId)
    {
        if (runtime.Authentication.Authenticate(http.Request, ArchalScopes.SessionsRead, out var token) is { } error)
        {
            return error;
        }

        if (runtime.Snapshots.Find(snapshotId) is not { } snapshot || snapshot.OwnerId != token.OwnerId)
        {
            return ControlPlaneError.NotFound("snapshot_not_found", $"Snapshot '{snapshotId}' does not exist.", $"snapshotId: {snapshotId}");
        }

        // A private copy per clone: the snapshot's templates are shared by its forks and only ever copied.
        var clock = new SessionClock(runtime.Time, snapshot.ClockOffset);
        return Export(snapshot.CloneIds, snapshot.Clones, cloneId => Copy(snapshot.Templates[cloneId], clock), (state, export) => export(state));
    }

    private static IResult FromSession(HttpContext http, ArchalRuntime runtime, string sessionId)
    {
        if (runtime.Authentication.Authenticate(http.Request, ArchalScopes.SessionsRead, out var token) is { } authError)
        {
            return authError;
        }

        if (runtime.Authentication.FindOwnedSession(sessionId, token, out var session) is { } error)
        {
            return error;
        }

        if (session.ReleasedAt is { } released)
        {
            return ControlPlaneError.Gone("session_released", $"Session '{session.Id}' ended and its state was released at {SessionSummary.Timestamp(released)}.",
                "export a seed file before the session ends, or from a snapshot");
        }

        if (session.States.Count == 0)
        {
            return ControlPlaneError.Conflict("session_preflight", $"Session '{session.Id}' is a preflight session and has no state to export.", "create a running session");
        }

        // A clone the session has not used is still its shared template: export a private copy and leave the session as it is.
        return Export(session.CloneIds, session.Clones, cloneId => cloneId, (cloneId, export) => session.States.IfCopied(cloneId) is null
            ? export(Copy(session.States.Slot(cloneId).Template, session.Clock))
            : session.Read(cloneId, export));
    }

    private static CloneState Copy(StateTemplate template, TimeProvider clock) => template.CopyFor(template.Seed with { Time = clock });

    /// <summary>Each clone's block: its default seed (which the exported state replaces) and its exported state.</summary>
    private static IResult Export<TSource>(IReadOnlyList<string> cloneIds, IReadOnlyDictionary<string, CloneDefinition> clones,
        Func<string, TSource> source, Func<TSource, Func<CloneState, JsonObject>, JsonObject> read)
    {
        var file = new JsonObject();
        foreach (var cloneId in cloneIds)
        {
            var clone = clones[cloneId];
            JsonObject data;
            try
            {
                data = read(source(cloneId), clone.ExportSeedData);
            }
            catch (NotSupportedException ex)
            {
                return new ControlPlaneError(StatusCodes.Status501NotImplemented, "not_implemented", "seed_export_unsupported", ex.Message, $"clone: {cloneId}");
            }

            var block = new JsonObject { ["seed"] = clone.DefaultSeed };
            foreach (var (name, value) in data.ToList())
            {
                data.Remove(name);
                block[name] = value;
            }

            file[cloneId] = block;
        }

        return ControlPlaneJson.Result(file);
    }
}
