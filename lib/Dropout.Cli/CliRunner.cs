using System.CommandLine;
using System.Runtime.InteropServices;

namespace Dropout.Cli;

/// <summary>
/// Runs the command line with the project's error policy: a user mistake (<see cref="UserError"/>, a bad
/// argument, bad data, a diverged run) prints one clear message and exits 2; any other failure prints its
/// message (the stack trace only with <c>DROPOUT_TRACE=1</c>) and exits 1; Ctrl+C (SIGINT) or SIGTERM cancels the
/// token the commands get, so they stop between units of work and keep what they finished (exit 130 after SIGINT,
/// 143 after SIGTERM, as a shell reports a process those signals ended).
/// </summary>
public static class CliRunner
{
    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        int signalExitCode = 130;
        void Stop(PosixSignalContext context, int exitCode)
        {
            context.Cancel = true; // the command stops at its next safe point instead of the process dying now
            if (!interrupt.IsCancellationRequested) signalExitCode = exitCode;
            interrupt.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, 130));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, 143));
        try
        {
            // System.CommandLine's own exception handler would print a stack trace and exit 1; its own signal
            // handling is off (the registrations above cancel the command's token instead).
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            }, interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Interrupted; work finished before the interruption was kept.");
            return signalExitCode;
        }
        catch (Exception e) when (e is UserError or ArgumentException or InvalidDataException or FileNotFoundException
                                      or DirectoryNotFoundException or TrainingDivergedException or D2lAssertionException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("DROPOUT_TRACE") == "1") Console.Error.WriteLine(e);
            else Console.Error.WriteLine("(set DROPOUT_TRACE=1 to see where it happened)");
            return 1;
        }
    }
}

/// <summary>A mistake in what the user asked for; its message says what was wrong and how to fix it.</summary>
public sealed class UserError(string message) : Exception(message);
