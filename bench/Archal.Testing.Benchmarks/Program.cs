using BenchmarkDotNet.Running;

if (args is ["coldstart", var which])
{
    // One measurement per process: from process start to the first answered request (run it several times).
    Console.WriteLine(await Archal.Testing.Benchmarks.ColdStart.MeasureAsync(which));
    return;
}

if (args is ["retained", "sessions"])
{
    // Only the live-session figures (memory per session created and used, 10,000 rich sessions).
    Console.WriteLine(await Archal.Testing.Benchmarks.RetainedMemory.SessionsAsync());
    return;
}

if (args is ["retained"])
{
    // Bytes a host keeps per recorded request after a full GC (not a BenchmarkDotNet metric).
    Console.WriteLine(await Archal.Testing.Benchmarks.RetainedMemory.MeasureAsync());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Archal.Testing.Benchmarks.FoundationBenchmarks).Assembly).Run(args);
