using Archal.Testing.Cli;
using Archal.Testing.Examples.Agents;

// The `run` command with the example agents registered in-process (picked by scenario id, or --agent NAME).
return await RunCommand.RunAsync(args, ExampleAgents.All);
