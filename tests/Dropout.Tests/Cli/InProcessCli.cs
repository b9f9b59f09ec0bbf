using System.CommandLine;
using Dropout.Cli;
using Dropout.Cli.Commands;

namespace Dropout.Tests.Cli;

/// <summary>
/// The program's command tree run in this process (fast: no process start), its console captured, in a given folder;
/// and the error contract's shape. Tests using it redirect the console and change the current folder, so they belong
/// to <see cref="SerialCollection"/>.
/// </summary>
static class InProcessCli
{
    /// <summary>Runs <paramref name="args"/> in <paramref name="directory"/>; <paramref name="cancellationToken"/> counts as SIGINT.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string directory, string[] args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(NotebooksCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(StudyCommand.Create());
        root.Subcommands.Add(StudyMergeCommand.Create());
        var (oldOut, oldErr, oldDir) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        Environment.CurrentDirectory = directory;
        try
        {
            int exit = await CliRunner.InvokeAsync(root, args, cancellationToken);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = oldDir;
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <inheritdoc cref="RunAsync(string, string[], CancellationToken)"/>
    public static Task<(int Exit, string Out, string Err)> RunAsync(string directory, params string[] args) => RunAsync(directory, args, default);

    /// <summary>Exit 2, nothing on stdout, stderr = "error: ..." (containing <paramref name="expected"/>) + "run '... --help' for usage".</summary>
    public static void AssertUsageError((int Exit, string Out, string Err) result, string command, string expected) =>
        AssertUsageError(result.Exit, result.Err, result.Out, command, expected, RootCommand.ExecutableName);

    /// <summary>The same for the built program run as a process (<see cref="BuiltCli"/>), whose name is Dropout.Cli.</summary>
    public static void AssertUsageError(BuiltCli cli, string command, string expected) =>
        AssertUsageError(cli.Process.ExitCode, cli.Error, cli.Output, command, expected, "Dropout.Cli");

    static void AssertUsageError(int exit, string err, string output, string command, string expected, string program)
    {
        Assert.True(exit == 2, $"exit {exit}\nstdout: {output}\nstderr: {err}");
        var lines = err.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(lines.Length == 2, $"expected 2 lines on stderr, got:\n{err}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Equal($"run '{program}{(command.Length > 0 ? " " + command : "")} --help' for usage", lines[1]);
        Assert.DoesNotContain("Description:", err + output);
        Assert.DoesNotContain("Usage:", err + output);
    }
}
