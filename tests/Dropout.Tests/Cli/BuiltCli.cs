using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Dropout.Cli;
using Dropout.Cli.Commands;

namespace Dropout.Tests.Cli;

/// <summary>
/// The command line the developer runs — lib/Dropout.Cli's own build, in this test build's configuration — started as a
/// separate process, optionally in a process group of its own (as a terminal starts a job), so that a signal can go to
/// the whole group the way Ctrl+C does.
/// </summary>
sealed class BuiltCli : IDisposable
{
    /// <summary>How long a test waits for the CLI before it fails (the shared machine may be busy).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    readonly StringBuilder _out = new(), _err = new();
    readonly Action<string>? _onOutLine, _onErrLine;

    BuiltCli(Process process, Action<string>? onOutLine, Action<string>? onErrLine)
    {
        Process = process;
        _onOutLine = onOutLine;
        _onErrLine = onErrLine;
    }

    public Process Process { get; }
    public int Id => Process.Id;
    public string Output { get { lock (_out) return _out.ToString(); } }
    public string Error { get { lock (_err) return _err.ToString(); } }

    /// <summary>lib/Dropout.Cli/bin/&lt;configuration&gt;/&lt;framework&gt;/Dropout.Cli.dll.</summary>
    public static string Dll() => Dropout.Tests.Runner.RunnerTestSupport.CliDll();

    /// <summary>Starts <c>dotnet Dropout.Cli.dll args...</c> in <paramref name="workingDirectory"/>, stdin closed.</summary>
    /// <param name="ownProcessGroup">Start it through setsid(1): its process id is then its process group id.</param>
    /// <param name="onOutLine">Sees each stdout line as it comes.</param>
    /// <param name="onErrLine">Sees each stderr line as it comes.</param>
    public static BuiltCli Start(string workingDirectory, IEnumerable<string> args, bool ownProcessGroup = false, Action<string>? onOutLine = null,
        Action<string>? onErrLine = null)
    {
        var info = new ProcessStartInfo(ownProcessGroup ? "setsid" : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        if (ownProcessGroup) info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Dll());
        foreach (string a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        var cli = new BuiltCli(process, onOutLine, onErrLine);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (cli._out) cli._out.AppendLine(e.Data);
            cli._onOutLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (cli._err) cli._err.AppendLine(e.Data);
            cli._onErrLine?.Invoke(e.Data);
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs the CLI to the end and returns it.</summary>
    public static async Task<BuiltCli> RunAsync(string workingDirectory, params string[] args)
    {
        var cli = Start(workingDirectory, args);
        await cli.ExitAsync();
        return cli;
    }

    /// <summary>Waits for the exit (and the end of its output); fails the test after <see cref="Patience"/>.</summary>
    public async Task<int> ExitAsync()
    {
        await WaitOrFail(Process.WaitForExitAsync(), "the CLI to exit");
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>Waits for <paramref name="task"/>; kills the CLI and fails the test after <see cref="Patience"/>.</summary>
    public async Task WaitOrFail(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Patience)) == task) return;
        Kill();
        Assert.Fail($"waited {Patience.TotalSeconds} s for {what}; stdout so far:\n{Output}\nstderr so far:\n{Error}");
    }

    /// <summary>Sends <paramref name="signal"/> to the CLI's whole process group (it must have been started with its own).</summary>
    public void SignalGroup(int signal) => Assert.Equal(0, kill(-Id, signal));

    /// <summary>Processes still in the group <paramref name="processGroup"/> (from /proc).</summary>
    public static IReadOnlyList<int> ProcessesInGroup(int processGroup) => LivingProcesses(fields => int.Parse(fields[2]) == processGroup);

    /// <summary>The living children of <paramref name="parent"/> (from /proc).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parent) => LivingProcesses(fields => int.Parse(fields[1]) == parent);

    /// <summary>Completes when process <paramref name="pid"/> has ended (looked for in /proc every tenth of a second).</summary>
    public static async Task EndOf(int pid)
    {
        while (LivingProcesses(_ => true).Contains(pid)) await Task.Delay(100);
    }

    /// <summary>Processes that are not zombies and whose /proc stat fields (after the command name: state, ppid, pgrp, ...) match.</summary>
    static IReadOnlyList<int> LivingProcesses(Func<string[], bool> match)
    {
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 2 && fields[0] != "Z" && match(fields)) found.Add(pid);
            }
            catch (IOException)
            {
                // it ended meanwhile
            }
        }
        return found;
    }

    void Kill()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    public const int Sigint = 2, Sigterm = 15;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
