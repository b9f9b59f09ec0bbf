using System.CommandLine;
using Dropout.Cli;
using Dropout.Cli.Commands;

// The project's command line. Each command lives in Commands/<Name>Command.cs.
var root = new RootCommand("Dropout.Notebooks: train, run the notebooks headlessly, study dropout probabilities, benchmark.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(NotebooksCommand.Create());
root.Subcommands.Add(NotebookKernelCommand.Create());
root.Subcommands.Add(KernelPrepareCommand.Create());
root.Subcommands.Add(KernelInstallCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(StudyCommand.Create());
root.Subcommands.Add(StudyMergeCommand.Create());
return await CliRunner.InvokeAsync(root, args);
