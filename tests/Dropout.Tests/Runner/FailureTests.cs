using System.CommandLine;
using Dropout.Cli;
using Dropout.Cli.Commands;
using Dropout.Notebooks.Runner.Execution;
using static Dropout.Tests.Runner.ExecutedNotebook;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>How the runner records a notebook that fails, is cut short, or is not a notebook at all.</summary>
[Collection(KernelCollection.Name)]
public class FailureTests
{
    [Fact]
    public async Task AThrowingCellStopsTheNotebookAndIsRecordedWithTheKernelsMessage()
    {
        var result = await RunOne(Fixture("fails.ipynb"));

        Assert.Equal(NotebookStatus.Failed, result.Status);
        Assert.Equal(1, result.CellsRun);
        Assert.StartsWith($"{Fixture("fails.ipynb")}: cell 3 (code cell 2 of 3) failed: System.InvalidOperationException: boom in cell three", result.Failure);

        var executed = ExecutedNotebook.Load(result.ExecutedNotebook!);
        Assert.Equal("cell two ran\n", Stream(executed.At(2)));
        var error = Assert.Single(Errors(executed.At(3)));
        Assert.Equal("Error", (string)error["ename"]!); // what VS Code and Jupyter write for a kernel failure
        Assert.StartsWith("System.InvalidOperationException: boom in cell three", (string)error["evalue"]!);
        Assert.Null((int?)executed.At(4)["execution_count"]);
        Assert.Empty(Outputs(executed.At(4)));
        Assert.Equal("", NbformatComplaints(result.ExecutedNotebook!));
        Assert.Contains("boom in cell three", File.ReadAllText(result.Html!));
    }

    [Fact]
    public async Task CompilationErrorsAndUnknownMagicsAreTheKernelsOwnMessages()
    {
        string dir = TempDirectory();
        var compile = await RunOne(WriteNotebook(dir, "compile.ipynb", "int x = 1;", "int y = \"text\";"));
        Assert.Equal(NotebookStatus.Failed, compile.Status);
        var error = Assert.Single(Errors(ExecutedNotebook.Load(compile.ExecutedNotebook!).At(2)));
        Assert.Contains("error CS0029: Cannot implicitly convert type 'string' to 'int'", (string)error["evalue"]!);
        Assert.Contains("cell 2 (code cell 2 of 2) failed: (1,9): error CS0029", compile.Failure);

        var magic = await RunOne(WriteNotebook(dir, "magic.ipynb", "#!fsharp\nlet x = 1"));
        Assert.Equal(NotebookStatus.Failed, magic.Status);
        Assert.Contains("Unknown magic command '#!fsharp'", magic.Failure);
    }

    [Fact]
    public async Task TheCommandExits1WhenANotebookFailsAnd2WhenOneIsMissingOrGetsAnUnknownParameter()
    {
        var root = new RootCommand { NotebooksCommand.Create() };
        string output = TempDirectory();
        Assert.Equal(1, await CliRunner.InvokeAsync(root, ["notebooks", Fixture("fails.ipynb"), "--out", output]));
        Assert.True(File.Exists(Path.Combine(output, "fails.ipynb")));
        Assert.True(File.Exists(Path.Combine(output, "fails.html")));
        Assert.Equal(2, await CliRunner.InvokeAsync(root, ["notebooks", Path.Combine(output, "missing.ipynb"), "--out", output]));
        Assert.Equal(2, await CliRunner.InvokeAsync(root, ["notebooks", Fixture("features.ipynb"), "-p", "nosuch=1", "--out", output]));
        Assert.False(File.Exists(Path.Combine(output, "features.ipynb")), "a bad parameter must stop the run before anything is written");
    }

    [Fact]
    public async Task MissingAndMalformedNotebooksAreClearErrorsBeforeAnythingRuns()
    {
        string missing = Path.Combine(TempDirectory(), "nowhere.ipynb");
        var notFound = await Assert.ThrowsAsync<FileNotFoundException>(() => RunOne(missing));
        Assert.Equal($"Notebook not found: {missing}", notFound.Message);

        var malformed = await Assert.ThrowsAsync<InvalidDataException>(() => RunOne(Fixture("malformed.ipynb")));
        Assert.StartsWith($"{Fixture("malformed.ipynb")} is not a valid .ipynb: its JSON is malformed", malformed.Message);

        string dir = TempDirectory();
        File.WriteAllText(Path.Combine(dir, "v3.ipynb"), """{"nbformat": 3, "metadata": {}, "worksheets": []}""");
        var old = await Assert.ThrowsAsync<InvalidDataException>(() => RunOne(Path.Combine(dir, "v3.ipynb")));
        Assert.Contains("only nbformat 4 is supported (found 3)", old.Message);
    }

    /// <summary>A notebook whose second cell never ends by itself: whatever stops it, stopping it is the only way the run ends.</summary>
    static string EndlessCellNotebook() =>
        WriteNotebook(TempDirectory(), "endless.ipynb",
            "Console.WriteLine(\"before the endless cell\");", "System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);", "Console.WriteLine(\"never runs\");");

    /// <summary>How long a test waits for a run that must end before it fails; a bound on a broken run, not a measure of speed.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ACellRunningPastTheTimeoutStopsTheNotebookAndItsKernelWithAClearMessage()
    {
        // The cell never ends: the run ends only because the timeout stopped it.
        var result = await RunOne(EndlessCellNotebook(), o => o with { CellTimeout = TimeSpan.FromSeconds(3) }).WaitAsync(Patience);

        Assert.Equal(NotebookStatus.Failed, result.Status);
        Assert.Contains("cell 2 (code cell 2 of 3) failed: CellTimeout: the cell ran longer than --cell-timeout 3 s", result.Failure);
        var executed = ExecutedNotebook.Load(result.ExecutedNotebook!);
        Assert.Equal("before the endless cell\n", Stream(executed.At(1)));
        Assert.Equal("CellTimeout", (string)Assert.Single(Errors(executed.At(2)))["ename"]!);
        Assert.Null((int?)executed.At(3)["execution_count"]);
    }

    [Fact]
    public async Task CancellingInterruptsTheKernelProcessAndKeepsWhatWasWritten()
    {
        using var cancel = new CancellationTokenSource();
        string output = TempDirectory();
        string notebook = EndlessCellNotebook();
        var run = NotebookRunner.RunAsync(new NotebookRunOptions { Notebooks = [notebook], OutputDirectory = output }, Kernel, cancel.Token);
        // Cancel once the first cell's output is on disk: the endless cell is about to start, or running. Whichever it is,
        // it is the cell that records the interruption (this used to depend on which came first).
        string executedPath = Path.Combine(output, "endless.ipynb");
        var waited = Task.Delay(Patience);
        while (!FirstCellWritten(executedPath))
        {
            Assert.False(run.IsCompleted, "the run ended before its first cell's output was written");
            Assert.False(waited.IsCompleted, "the first cell's output was never written");
            await Task.Delay(100);
        }
        cancel.Cancel();
        // The cell never ends by itself, and a kernel process killed after the grace period would leave no "Interrupted"
        // output: the assertions below tell whether the interruption worked, not a clock.
        var result = Assert.Single((await run.WaitAsync(Patience)).Notebooks);

        Assert.Equal(NotebookStatus.Interrupted, result.Status);
        var executed = ExecutedNotebook.Load(executedPath);
        Assert.Equal("before the endless cell\n", Stream(executed.At(1)));
        Assert.Equal("Interrupted", (string)Assert.Single(Errors(executed.At(2)))["ename"]!);
        Assert.Empty(Outputs(executed.At(3)));
    }

    static bool FirstCellWritten(string executedPath)
    {
        try
        {
            return File.Exists(executedPath) && File.ReadAllText(executedPath).Contains("before the endless cell");
        }
        catch (IOException)
        {
            return false; // replaced at this very moment
        }
    }

    [Fact]
    public async Task AKernelProcessEndedByACellIsSummarisedWithTheCellsItRanAndTheOneThatEndedIt()
    {
        string notebook = WriteNotebook(TempDirectory(), "exits.ipynb", "Console.WriteLine(\"one\");", "Environment.Exit(3);", "Console.WriteLine(\"never\");");
        var result = await RunOne(notebook).WaitAsync(Patience);

        Assert.Equal(NotebookStatus.Failed, result.Status);
        Assert.Equal((1, 3), (result.CellsRun, result.CellCount));
        Assert.Equal($"{notebook}: the kernel process ended (exit code 3) while cell 2 (code cell 2 of 3) ran, before it finished the notebook; its messages are above.", result.Failure);
        Assert.Equal("one\n", Stream(ExecutedNotebook.Load(result.ExecutedNotebook!).At(1)));
    }
}
