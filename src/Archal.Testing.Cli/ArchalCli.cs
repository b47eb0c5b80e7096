using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;

namespace Archal.Testing.Cli;

/// <summary>The <c>archal-testing</c> command line.</summary>
public static class ArchalCli
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        var parse = CreateRoot(output).Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whole command tree (tests parse documented command lines against it).</summary>
    internal static RootCommand CreateRoot(TextWriter output)
    {
        var root = new RootCommand("Archal.Testing: faithful, stateful clones of GitHub, Slack and Stripe for agent tests.");
        root.Subcommands.Add(ServeCommand(output));
        root.Subcommands.Add(CloneCommand(output));
        root.Subcommands.Add(RunCommand.Create(output));
        root.Subcommands.Add(ReportCommand.Create(output));
        root.Subcommands.Add(ValidateCommand.Create(output));
        return root;
    }

    private static Option<string[]> ClonesOption(string description) =>
        new("--clones") { Description = description, AllowMultipleArgumentsPerToken = true };

    private static Command ServeCommand(TextWriter output)
    {
        var port = new Option<int>("--port") { Description = "Loopback port (0 picks a free one).", DefaultValueFactory = _ => 4390 };
        var token = new Option<string?>("--token") { Description = "Use this Archal token (arc_… or archal_ws_…) instead of minting one." };
        var clones = ClonesOption("Serve only these clones (default: all).");
        var retention = new Option<int>("--retention")
        {
            Description = "Seconds an ended session keeps its state and trace before only its summary stays (0 frees them on DELETE).",
            DefaultValueFactory = _ => 60,
        };
        var runRecords = new Option<string?>("--run-records") { Description = "Write each session's final run record here before it is released; GET /api/runs/{runId} then serves it." };
        var command = new Command("serve", "Run the host on 127.0.0.1 until stopped; prints the base URL and the route token.") { port, token, clones, retention, runRecords };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(retention) is < 0 or > 86400)
            {
                await output.WriteLineAsync($"--retention must be between 0 and 86400 seconds, got {parse.GetValue(retention)}.").ConfigureAwait(false);
                return 2;
            }

            var options = new ArchalHostOptions
            {
                UseKestrel = true,
                Port = parse.GetValue(port),
                Token = parse.GetValue(token),
                EndedSessionRetention = TimeSpan.FromSeconds(parse.GetValue(retention)),
                RunRecordDirectory = parse.GetValue(runRecords),
            };
            if (RestrictClones(options, parse.GetValue(clones), output) is { } error)
            {
                return error;
            }

            ArchalHost? running = null;
            options.MapAdditionalEndpoints = endpoints => RunPages.Map(endpoints, () => running!);
            if (await StartHostAsync(options, output, cancellationToken).ConfigureAwait(false) is not { } started)
            {
                return 2;
            }

            await using var host = started;
            running = host;
            await output.WriteLineAsync($"Archal.Testing listening on {host.BaseAddress.ToString().TrimEnd('/')}").ConfigureAwait(false);
            await output.WriteLineAsync($"Token: {host.Token}").ConfigureAwait(false);
            await output.WriteLineAsync($"Run pages: {host.BaseAddress.ToString().TrimEnd('/')}/runs/{{runId}}?token={host.Token}").ConfigureAwait(false);
            await output.WriteLineAsync($"Clones: {string.Join(", ", options.Clones.Select(c => c.Id))}").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await WaitUntilStoppedAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command CloneCommand(TextWriter output)
    {
        var clones = new Argument<string[]>("clones") { Description = "Clones to start, e.g. github slack.", Arity = ArgumentArity.OneOrMore };
        var server = new Option<string?>("--server") { Description = "A running 'archal-testing serve' to create the session on (default: start one here)." };
        var token = new Option<string?>("--token") { Description = "The Archal token for --server (or ARCHAL_TOKEN)." };
        var seeds = new Option<string[]>("--seed") { Description = "Named seed per clone: github=small-project.", AllowMultipleArgumentsPerToken = true };
        var start = new Command("start", "Start a clone session and print its id and clone URLs.") { clones, server, token, seeds };
        start.SetAction(async (parse, cancellationToken) =>
        {
            var body = new JsonObject { ["clones"] = new JsonArray([.. parse.GetValue(clones)!.Select(c => JsonValue.Create(c))]) };
            var seedMap = new JsonObject();
            foreach (var seed in parse.GetValue(seeds) ?? [])
            {
                var parts = seed.Split('=', 2);
                if (parts.Length != 2)
                {
                    await output.WriteLineAsync($"error: --seed expects clone=seed, got '{seed}'").ConfigureAwait(false);
                    return 2;
                }

                seedMap[parts[0]] = parts[1];
            }

            if (seedMap.Count > 0)
            {
                body["seeds"] = seedMap;
            }

            if (parse.GetValue(server) is { } serverText)
            {
                if (!Uri.TryCreate(serverText, UriKind.Absolute, out var serverUrl))
                {
                    await output.WriteLineAsync($"error: --server must be an absolute URL, got '{serverText}'").ConfigureAwait(false);
                    return 2;
                }

                var bearer = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("ARCHAL_TOKEN");
                using var client = new HttpClient { BaseAddress = serverUrl };
                client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
                return await CreateAndPrintAsync(client, body, output, cancellationToken).ConfigureAwait(false);
            }

            if (await StartHostAsync(new ArchalHostOptions { UseKestrel = true }, output, cancellationToken).ConfigureAwait(false) is not { } started)
            {
                return 2;
            }

            await using var host = started;
            using var local = host.CreateClient();
            var exit = await CreateAndPrintAsync(local, body, output, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                return exit;
            }

            await output.WriteLineAsync($"Token: {host.Token}").ConfigureAwait(false);
            await output.WriteLineAsync("Serving until stopped (Ctrl+C).").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await WaitUntilStoppedAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return new Command("clone", "Manage clone sessions.") { start, ToolsCommand(output) };
    }

    /// <summary><c>clone tools &lt;clone&gt; [--json]</c>: the clone's MCP tool catalog, without a host or a session.</summary>
    private static Command ToolsCommand(TextWriter output)
    {
        var clone = new Argument<string>("clone") { Description = "The clone, e.g. github." };
        var json = new Option<bool>("--json") { Description = "Print the catalog as JSON (as GET /api/clones/{clone}/tools returns it)." };
        var tools = new Command("tools", "List a clone's MCP tools: names, what they send, descriptions.") { clone, json };
        tools.SetAction(async (parse, cancellationToken) =>
        {
            var clones = new ArchalHostOptions().Clones;
            var id = parse.GetValue(clone)!;
            if (clones.FirstOrDefault(c => c.Id == id) is not { } definition)
            {
                await output.WriteLineAsync($"error: unknown clone '{id}'; known: {string.Join(", ", clones.Select(c => c.Id))}").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(ControlPlane.CloneToolsJson.Catalog(definition).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                return 0;
            }

            var width = definition.Tools.Select(t => t.Name.Length).DefaultIfEmpty(0).Max();
            await output.WriteLineAsync($"{definition.DisplayName} MCP tools ({definition.Tools.Count}), served per session at /runtime/{{sessionId}}/{definition.Id}/mcp").ConfigureAwait(false);
            foreach (var tool in definition.Tools)
            {
                var summary = tool.Description.Trim().Split('\n', 2)[0];
                await output.WriteLineAsync($"  {tool.Name.PadRight(width)}  {(tool.ReadOnly ? "read " : "write")}  {string.Join(", ", tool.Operations)}  {summary}").ConfigureAwait(false);
            }

            return 0;
        });
        return tools;
    }

    private static async Task<int> CreateAndPrintAsync(HttpClient client, JsonObject body, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync("/api/sessions", body, cancellationToken).ConfigureAwait(false);
        var summary = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await output.WriteLineAsync($"error: {(int)response.StatusCode} {summary?["code"]}: {summary?["message"]}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"Session: {summary!["sessionId"]}").ConfigureAwait(false);
        foreach (var (clone, url) in summary["apiBaseUrls"]!.AsObject())
        {
            await output.WriteLineAsync($"{clone} clone ready: {url}").ConfigureAwait(false);
            if (summary["mcp"]?[clone] is { } mcp)
            {
                await output.WriteLineAsync($"{clone} mcp: {mcp}").ConfigureAwait(false);
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static int? RestrictClones(ArchalHostOptions options, string[]? clones, TextWriter output)
    {
        if (clones is not { Length: > 0 })
        {
            return null;
        }

        var unknown = clones.Where(id => options.Clones.All(c => c.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            output.WriteLine($"error: unknown clone(s): {string.Join(", ", unknown)}; known: {string.Join(", ", options.Clones.Select(c => c.Id))}");
            return 2;
        }

        foreach (var clone in options.Clones.Where(c => !clones.Contains(c.Id)).ToList())
        {
            options.Clones.Remove(clone);
        }

        return null;
    }

    /// <summary>
    /// Starts a host, or writes why it could not start as one line (a bad <c>--token</c>, a busy port) and
    /// returns null: a user error is never a stack trace.
    /// </summary>
    private static async Task<ArchalHost?> StartHostAsync(ArchalHostOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArchalHost? host = null;
        try
        {
            host = new ArchalHost(options);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            var cause = ex is ArchalStartupException { InnerException: { } inner } ? inner : ex;
            var message = cause is IOException && options.UseKestrel
                ? $"cannot listen on 127.0.0.1:{options.Port}: {cause.Message} (pick another --port, or 0 for a free one)"
                : cause.Message;
            await output.WriteLineAsync($"error: {message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task WaitUntilStoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C / SIGTERM: stop cleanly.
        }
    }
}
