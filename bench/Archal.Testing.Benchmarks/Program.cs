using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Archal.Testing.Benchmarks.FoundationBenchmarks).Assembly).Run(args);
