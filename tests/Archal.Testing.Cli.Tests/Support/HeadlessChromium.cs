using System.Diagnostics;

namespace Archal.Testing.Cli.Tests.Support;

/// <summary>
/// Debian's <c>chromium</c> in headless mode (installed by <c>.ci/run</c>), driven from the command line: <c>--dump-dom</c>
/// gives the DOM after the page's script ran, <c>--screenshot</c> a picture of it.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>The browser: <c>$CHROMIUM</c>, else the first of chromium, chromium-browser, google-chrome on the PATH.</summary>
    /// <exception cref="InvalidOperationException">No browser is installed; the message says how to install one.</exception>
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => path.Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "Headless Chromium is needed to check the HTML report as a person sees it, and none was found (chromium, chromium-browser, google-chrome " +
                "on PATH, or $CHROMIUM). Install it: apt-get update && apt-get install -y chromium (.ci/run does this).");
    }

    public static async Task<string> DumpDomAsync(string htmlFile) => (await RunAsync("--dump-dom", new Uri(htmlFile).AbsoluteUri)).Output;

    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width = 1280, int height = 2400)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pngFile)!);
        var (exit, output) = await RunAsync($"--screenshot={pngFile}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri);
        if (!File.Exists(pngFile))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot (exit {exit}):\n{output}");
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "archal-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Find())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var flag in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
        })
        {
            start.ArgumentList.Add(flag);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium {string.Join(' ', args)} did not finish in 2 minutes:\n{await error}");
            }

            var text = await output;
            return (process.ExitCode, text.Length > 0 ? text : await error);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // The browser may still be releasing its profile; a temp folder left behind is harmless.
            }
        }
    }
}
