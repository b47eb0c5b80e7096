using System.Diagnostics;
using Archal.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Cold start, one per fresh process: milliseconds from process start to the first 200 from the GitHub clone
/// (<c>archal</c>), or from a bare in-memory TestServer app answering one endpoint (<c>bare</c>).
/// Run each several times and compare medians (bench/coldstart.sh).
/// </summary>
internal static class ColdStart
{
    public static async Task<string> MeasureAsync(string which)
    {
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        int status;
        if (which == "archal")
        {
            await using var host = new ArchalHost();
            await host.StartAsync();
            await using var session = await host.CreateSessionAsync(new SessionRequest("github"));
            using var github = session.CreateClient("github");
            using var response = await github.GetAsync("user");
            status = (int)response.StatusCode;
        }
        else
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseTestServer();
            await using var app = builder.Build();
            app.MapGet("/user", (HttpContext _) => Results.Json(new { login = "octocat", id = 1 }));
            await app.StartAsync();
            using var client = app.GetTestClient();
            using var response = await client.GetAsync("/user");
            status = (int)response.StatusCode;
        }

        var elapsed = DateTime.UtcNow - started;
        return FormattableString.Invariant($"{which} {elapsed.TotalMilliseconds:F0} ms (status {status})");
    }
}
