using System.CommandLine;
using Archal.Testing.Hosting;

namespace Archal.Testing.Cli;

/// <summary>The <c>archal-testing</c> command line.</summary>
public static class ArchalCli
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        var root = new RootCommand("Archal.Testing: faithful, stateful clones of GitHub, Slack and Stripe for agent tests.");
        root.Subcommands.Add(ServeCommand(output));
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output }, cancellationToken).ConfigureAwait(false);
    }

    private static Command ServeCommand(TextWriter output)
    {
        var port = new Option<int>("--port") { Description = "Loopback port (0 picks a free one).", DefaultValueFactory = _ => 4390 };
        var token = new Option<string?>("--token") { Description = "Use this Archal token (arc_… or archal_ws_…) instead of minting one." };
        var command = new Command("serve", "Run the host on 127.0.0.1 until stopped; prints the base URL and the route token.") { port, token };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ArchalHostOptions { UseKestrel = true, Port = parse.GetValue(port), Token = parse.GetValue(token) };
            await using var host = new ArchalHost(options);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Archal.Testing listening on {host.BaseAddress}").ConfigureAwait(false);
            await output.WriteLineAsync($"Token: {host.Token}").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C / SIGTERM: stop cleanly.
            }

            return 0;
        });
        return command;
    }
}
