using System.Diagnostics;
using System.Text;
using static Dropout.Tests.Runner.ExecutedNotebook;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// The built <c>notebooks</c> command as a user runs it, in a session of its own: what a long cell prints reaches
/// the terminal while it runs; Ctrl+C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM to the
/// command stops it (exit 130, or 143 for SIGTERM), the interrupted cell recorded and everything before it kept; a
/// user mistake is one <c>error: ...</c> line and exit 2.
/// </summary>
[Collection(KernelCollection.Name)]
[Trait("Category", "Slow")]
public class CliProcessTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(180); // the machine may be busy

    [Theory]
    [InlineData("INT", true, 130)]   // Ctrl+C in a terminal: the whole foreground process group gets SIGINT
    [InlineData("TERM", false, 143)] // kill PID: only the notebooks command gets SIGTERM, and passes it on
    public async Task ASignalWhileACellRunsStopsTheRunAndKeepsTheEarlierOutputsAndAnInterruptedCell(string signal, bool wholeGroup, int exitCode)
    {
        string output = TempDirectory();
        var slowCellRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cli = StartCli(["notebooks", Fixture("slow-cell.ipynb"), "--out", output], out var stdout, out var stderr,
            line => { if (line.Contains("slow-cell.ipynb: cell 2/3 running", StringComparison.Ordinal)) slowCellRunning.TrySetResult(); });

        // The signal may come before the kernel has the slow cell or while it runs it: that cell records the interruption either way.
        await WaitOrFail(slowCellRunning.Task, cli, stderr, "the progress line 'cell 2/3 running'");
        var kill = Run("/bin/kill", ["-s", signal, "--", wholeGroup ? $"-{cli.Id}" : cli.Id.ToString()]);
        Assert.True(kill.ExitCode == 0, kill.Stderr);
        await WaitOrFail(cli.WaitForExitAsync(), cli, stderr, $"the CLI to exit after SIG{signal}");
        cli.WaitForExit(); // flushes the redirected streams

        Assert.True(cli.ExitCode == exitCode, $"exit code {cli.ExitCode}; stderr:\n{stderr}");
        Assert.Contains("Interrupted; work finished before the interruption was kept.", stderr.ToString());
        Assert.DoesNotContain("cell 3/3", stderr.ToString());
        Assert.Matches(@"slow-cell\.ipynb\s+Interrupted\s+1/3", stdout.ToString()); // the summary table still printed

        var executed = ExecutedNotebook.Load(Path.Combine(output, "slow-cell.ipynb"));
        Assert.Equal("before the slow cell\n", Stream(executed.At(1)));
        Assert.Equal("Interrupted", (string)Assert.Single(Errors(executed.At(2)))["ename"]!);
        Assert.Empty(Outputs(executed.At(3)));
        Assert.Equal("", NbformatComplaints(Path.Combine(output, "slow-cell.ipynb")));
        Assert.Contains("before the slow cell", File.ReadAllText(Path.Combine(output, "slow-cell.html")));
    }

    [Fact]
    public async Task WhatALongCellPrintsReachesTheTerminalWhileItRuns()
    {
        // The cell prints three ticks, then waits until the test has seen the third on the terminal: if the output reached
        // it only when the cell ended, the cell would never end (and the test would fail at its patience). No clock decides.
        string seen = Path.Combine(TempDirectory(), "tick-3-seen");
        string notebook = WriteNotebook(TempDirectory(), "ticks.ipynb",
            "for (int i = 1; i <= 3; i++) Console.WriteLine($\"tick {i}\");\n" +
            $"while (!System.IO.File.Exists(@\"{seen}\")) System.Threading.Thread.Sleep(50);");
        using var cli = StartCli(["notebooks", notebook, "--out", TempDirectory()], out _, out var stderr, line =>
        {
            if (line.Contains("│ tick 3", StringComparison.Ordinal)) File.WriteAllText(seen, "");
        });
        await WaitOrFail(cli.WaitForExitAsync(), cli, stderr, "the CLI to finish (its cell waits until 'tick 3' has reached the terminal)");
        cli.WaitForExit();
        Assert.True(cli.ExitCode == 0, stderr.ToString());
        Assert.Contains("ticks.ipynb: cell 1/1 done", stderr.ToString());
    }

    [Fact]
    public async Task AMissingNotebookIsOneErrorLineAndExitCode2()
    {
        string output = TempDirectory();
        string missing = Path.Combine(output, "missing.ipynb");
        using var cli = StartCli(["notebooks", missing, "--out", output], out _, out var stderr);
        await WaitOrFail(cli.WaitForExitAsync(), cli, stderr, "the CLI to exit");
        cli.WaitForExit();

        Assert.True(cli.ExitCode == 2, $"exit code {cli.ExitCode}; stderr:\n{stderr}");
        Assert.Equal($"error: Notebook not found: {missing}\nrun 'Dropout.Cli notebooks --help' for usage", stderr.ToString().Trim().ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// Starts the built CLI as the leader of a session (and process group) of its own, as a terminal would, with SIGINT
    /// at its default disposition: a parent that ignores SIGINT (a background job of a non-interactive shell does)
    /// passes that on across exec, and the CLI would then never see Ctrl+C.
    /// </summary>
    static Process StartCli(string[] args, out StringBuilder stdout, out StringBuilder stderr, Action<string>? onErrorLine = null)
    {
        var start = new ProcessStartInfo("/usr/bin/setsid")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = TempDirectory(),
        };
        foreach (string a in new[] { "/usr/bin/env", "--default-signal=INT", "dotnet", CliDll() }.Concat(args)) start.ArgumentList.Add(a);
        var process = new Process { StartInfo = start };
        var outText = new StringBuilder();
        var errText = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (outText) outText.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errText) errText.AppendLine(e.Data);
            onErrorLine?.Invoke(e.Data);
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stdout = outText;
        stderr = errText;
        return process;
    }

    static async Task WaitOrFail(Task task, Process cli, StringBuilder stderr, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(Patience)) == task) return;
        if (!cli.HasExited) cli.Kill(entireProcessTree: true);
        Assert.Fail($"waited {Patience.TotalSeconds} s for {what}; stderr so far:\n{stderr}");
    }
}
