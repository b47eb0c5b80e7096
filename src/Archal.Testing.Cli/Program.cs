return await Archal.Testing.Cli.ArchalCli.RunAsync(args);
