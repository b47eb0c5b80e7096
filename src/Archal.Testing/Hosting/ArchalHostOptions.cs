using Archal.Testing.Clones;
using Archal.Testing.Clones.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace Archal.Testing.Hosting;

/// <summary>Options of an <see cref="ArchalHost"/>. Validated once, when the host starts.</summary>
public sealed class ArchalHostOptions
{
    /// <summary>The clock for sessions, tokens, expiry and every clone timestamp.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The clones the host serves.</summary>
    /// <value>The default value is the built-in GitHub, Slack and Stripe clones.</value>
    public IList<CloneDefinition> Clones { get; } = [.. BuiltInClones.Create()];

    /// <summary>
    /// Whether to listen on a real loopback port (Kestrel) so subprocess agents can reach the host.
    /// When false, the host is an in-memory TestServer with no socket.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool UseKestrel { get; set; }

    /// <summary>The loopback port for Kestrel; 0 picks a free port.</summary>
    /// <value>The default value is 0.</value>
    public int Port { get; set; }

    /// <summary>The random seed sessions use unless a session sets <c>runConfig.seed</c>.</summary>
    /// <value>The default value is 1337.</value>
    public int RandomSeed { get; set; } = 1337;

    /// <summary>How long a session lives when <c>ttlSeconds</c> is not given.</summary>
    /// <value>The default value is 30 minutes, as the hosted service.</value>
    public TimeSpan DefaultSessionTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The owner of the host's default token (<see cref="ArchalHost.Token"/>).</summary>
    /// <value>The default value is <c>local-user</c>.</value>
    public string DefaultOwner { get; set; } = "local-user";

    /// <summary>
    /// A fixed value for the default token (for example from <c>serve --token</c>); must start with
    /// <c>arc_</c> or <c>archal_ws_</c>. When null the host mints one.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? Token { get; set; }

    /// <summary>Whether runtime calls are recorded into each session's trace.</summary>
    /// <value>The default value is true.</value>
    public bool RecordTraces { get; set; } = true;

    /// <summary>How many calls a session's trace keeps; later calls are counted as dropped.</summary>
    /// <value>The default value is 10,000.</value>
    public int MaxTraceEntriesPerSession { get; set; } = 10_000;

    /// <summary>
    /// How many bytes a session's trace may hold in all (bodies, headers, mutations and the entries themselves, as
    /// the recorder counts them); later calls are counted as dropped, like calls past <see cref="MaxTraceEntriesPerSession"/>.
    /// </summary>
    /// <value>The default value is 32 MiB.</value>
    public long MaxTraceBytesPerSession { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// How long an ended session (deleted, or expired) keeps its clone state and trace. Afterwards the host keeps only
    /// its summary (<c>GET /api/sessions/{id}</c> still answers); its run record is served from
    /// <see cref="RunRecordDirectory"/> when that is set, and is gone (410) otherwise. <see cref="TimeSpan.Zero"/>
    /// releases a session the moment it ends, so <c>DELETE /api/sessions/{id}</c> frees its memory at once.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan EndedSessionRetention { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A directory the host writes each session's final run record to (<c>{runId}.json</c>) before it releases the
    /// session; <c>GET /api/runs/{runId}</c> then serves that file. Null writes nothing.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? RunRecordDirectory { get; set; }

    /// <summary>How many bytes of each request and response body a trace keeps; the rest is cut with a marker.</summary>
    /// <value>The default value is 64 KiB.</value>
    public int MaxTraceBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The largest request body a clone accepts. The runtime reads each body once, into pooled memory, up to this
    /// limit; a larger one gets the clone's own "too large" answer (GitHub 413, Slack <c>request_too_large</c>, …).
    /// </summary>
    /// <value>The default value is 10 MiB.</value>
    public int MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Extra endpoints to map on the host (diagnostics, benchmarks, custom control routes).</summary>
    /// <value>The default value is null.</value>
    public Action<IEndpointRouteBuilder>? MapAdditionalEndpoints { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 and 65535.");
        }

        if (DefaultSessionTtl <= TimeSpan.Zero || DefaultSessionTtl > TimeSpan.FromSeconds(86400))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultSessionTtl), DefaultSessionTtl, "The session TTL must be between 1 second and 24 hours.");
        }

        if (MaxTraceEntriesPerSession < 1 || MaxTraceBodyBytes < 1 || MaxRequestBodyBytes < 1 || MaxTraceBytesPerSession < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTraceEntriesPerSession), "Trace caps and the request body limit must be positive.");
        }

        if (EndedSessionRetention < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EndedSessionRetention), EndedSessionRetention, "The retention of ended sessions must not be negative.");
        }

        if (string.IsNullOrWhiteSpace(DefaultOwner))
        {
            throw new ArgumentException("DefaultOwner must not be empty.", nameof(DefaultOwner));
        }

        if (Token is not null && !ControlPlane.ArchalTokenStore.HasTokenShape(Token))
        {
            throw new ArgumentException("Token must start with 'arc_' or 'archal_ws_' and have at least 8 more characters.", nameof(Token));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clone in Clones)
        {
            if (string.IsNullOrWhiteSpace(clone.Id) || !ids.Add(clone.Id))
            {
                throw new ArgumentException($"Clone ids must be unique and non-empty; '{clone.Id}' is not.", nameof(Clones));
            }

            if (!clone.SeedNames.Contains(clone.DefaultSeed))
            {
                throw new ArgumentException($"Clone '{clone.Id}' does not list its default seed '{clone.DefaultSeed}'.", nameof(Clones));
            }
        }
    }
}
