using System.CommandLine;

namespace Dropout.Cli;

/// <summary>
/// Runs the command line with the project's error policy: a user mistake (<see cref="UserError"/>, bad
/// data, a diverged run) prints one clear message and exits 2; Ctrl+C cancels the token the commands
/// get, so they stop between units of work and keep what they finished (exit 130).
/// </summary>
public static class CliRunner
{
    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        try
        {
            // System.CommandLine's own handler would print a stack trace and exit 1; the policy below is ours.
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Interrupted; work finished before the interruption was kept.");
            return 130;
        }
        catch (Exception e) when (e is UserError or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or TrainingDivergedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}

/// <summary>A mistake in what the user asked for; its message says what was wrong and how to fix it.</summary>
public sealed class UserError(string message) : Exception(message);
