using System.Diagnostics;

namespace Archal.Testing.Cli.Tests.Support;

/// <summary>Runs <c>archal-testing</c> as its own process (the build copies the CLI next to the tests), as a CI job would.</summary>
internal static class CliProcess
{
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "Archal.Testing.Cli.dll");

    public static async Task<(int Exit, string Output, string Error)> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A judge key in the environment must not reach the network from a test.
        start.Environment["OPENAI_API_KEY"] = "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"archal-testing {string.Join(' ', args)} did not finish in 5 minutes. Output so far:\n{await output}");
        }

        return (process.ExitCode, await output, await error);
    }
}
