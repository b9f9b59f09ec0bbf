using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Dropout.Notebooks.Runner.Execution;

/// <summary>
/// How the <c>notebooks</c> command starts a notebook's kernel process: a program and the arguments before the job file
/// (for the CLI: <c>dotnet Dropout.Cli.dll notebook-kernel</c>). It inherits the console, so cells print as they run. Its
/// standard input is a pipe this process keeps open and never writes to: when this process dies, however it dies, the
/// kernel process sees its input end and ends too (<see cref="ParentWatch"/>).
/// </summary>
public sealed record KernelProcess(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>How long a kernel process may take to write its outputs and exit after being interrupted.</summary>
    static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The .NET app <paramref name="assemblyPath"/> (beside its runtimeconfig.json), run by this process's <c>dotnet</c>
    /// host with <paramref name="command"/> as its first argument.
    /// </summary>
    public static KernelProcess DotnetApp(string assemblyPath, string command)
    {
        string? process = Environment.ProcessPath;
        string host = process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process : "dotnet";
        return new KernelProcess(host, [assemblyPath, command]);
    }

    /// <summary>
    /// Runs the kernel process for <paramref name="jobPath"/>; returns its exit code. On cancellation it gets SIGINT (as
    /// Ctrl+C), <see cref="InterruptGrace"/> to write what it has, then is killed.
    /// </summary>
    public async Task<int> RunAsync(string jobPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(FileName) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (string argument in Arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add(jobPath);
        start.Environment[ParentWatch.Variable] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {FileName}.");
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Interrupt(process);
            using var grace = new CancellationTokenSource(InterruptGrace);
            try { await process.WaitForExitAsync(grace.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false); }
        }
        return process.ExitCode;
    }

    /// <summary>Sends SIGINT (a terminal's Ctrl+C may already have: the process handles it once).</summary>
    static void Interrupt(Process process)
    {
        if (process.HasExited) return;
        if (OperatingSystem.IsWindows()) { process.Kill(entireProcessTree: true); return; }
        _ = kill(process.Id, SigInt);
    }

    const int SigInt = 2;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
