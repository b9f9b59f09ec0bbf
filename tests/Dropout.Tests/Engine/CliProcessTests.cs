using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Dropout.Cli;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

/// <summary>
/// The built <c>notebooks</c> command as a user runs it, in a process of its own: Ctrl+C (SIGINT) stops it
/// cleanly with exit 130 and keeps what was written; a user mistake is one <c>error: ...</c> line, exit 2.
/// </summary>
[Collection(EngineCollection.Name)]
[Trait("Category", "Slow")]
public class CliProcessTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(180); // the machine may be busy

    [Fact]
    public async Task SigintWhileACellRunsExits130AndKeepsTheEarlierOutputsAndAnInterruptedCell()
    {
        string output = TempDirectory();
        var slowCellRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cli = StartCli(["notebooks", Fixture("slow-cell.ipynb"), "--out", output], out var stdout, out var stderr,
            line =>
            {
                if (line.Contains("slow-cell.ipynb: cell 2/3 running", StringComparison.Ordinal)) slowCellRunning.TrySetResult();
            });

        await WaitOrFail(slowCellRunning.Task, cli, stderr, "the progress line 'cell 2/3 running'");
        using (var kill = Process.Start("kill", ["-INT", cli.Id.ToString()])) await kill.WaitForExitAsync();
        await WaitOrFail(cli.WaitForExitAsync(), cli, stderr, "the CLI to exit after SIGINT");
        cli.WaitForExit(); // flushes the redirected streams

        // A process killed by SIGINT also reports 130 (128 + 2): the summary, the message and the Interrupted
        // cell in the written copy are what show the command handled it and stopped cleanly.
        Assert.True(cli.ExitCode == 130, $"exit code {cli.ExitCode}; stderr:\n{stderr}");
        Assert.Contains("Interrupted; work finished before the interruption was kept.", stderr.ToString());
        Assert.DoesNotContain("cell 3/3", stderr.ToString());
        Assert.Matches(@"slow-cell\.ipynb\s+Interrupted\s+1/3", stdout.ToString()); // the summary table still printed

        var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "slow-cell.ipynb")))!;
        Assert.Equal("before the slow cell\n", Text(WrittenOutputs(executed, 1)[0]!["text"]));
        var interrupted = Assert.Single(WrittenOutputs(executed, 2))!;
        Assert.Equal("error", (string)interrupted["output_type"]!);
        Assert.Equal("Interrupted", (string)interrupted["ename"]!);
        Assert.Empty(WrittenOutputs(executed, 3));
        Assert.Equal("", NbformatComplaints(Path.Combine(output, "slow-cell.ipynb")));
        Assert.Contains("before the slow cell", File.ReadAllText(Path.Combine(output, "slow-cell.html")));
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

    /// <summary>The CLI the developer runs: lib/Dropout.Cli's own build, in this test build's configuration.</summary>
    static string CliDll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string root = NotebooksCommand.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"no {NotebooksCommand.SolutionFile} above {AppContext.BaseDirectory}");
        string dll = Path.Combine(root, "lib", "Dropout.Cli", "bin", framework.Parent!.Name, framework.Name, "Dropout.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build the solution first (dotnet build -c {framework.Parent.Name}).");
        return dll;
    }

    static Process StartCli(string[] args, out StringBuilder stdout, out StringBuilder stderr, Action<string>? onErrorLine = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = TempDirectory(),
        };
        start.ArgumentList.Add(CliDll());
        foreach (string a in args) start.ArgumentList.Add(a);
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
