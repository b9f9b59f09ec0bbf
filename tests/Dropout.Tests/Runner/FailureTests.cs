using System.CommandLine;
using System.Diagnostics;
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

    [Fact]
    public async Task ACellRunningPastTheTimeoutStopsTheNotebookAndItsKernelWithAClearMessage()
    {
        var clock = Stopwatch.StartNew();
        var result = await RunOne(Fixture("slow-cell.ipynb"), o => o with { CellTimeout = TimeSpan.FromSeconds(3) });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}: the 60 s cell was waited for");

        Assert.Equal(NotebookStatus.Failed, result.Status);
        Assert.Contains("cell 2 (code cell 2 of 3) failed: CellTimeout: the cell ran longer than --cell-timeout 3 s", result.Failure);
        var executed = ExecutedNotebook.Load(result.ExecutedNotebook!);
        Assert.Equal("before the slow cell\n", Stream(executed.At(1)));
        Assert.Equal("CellTimeout", (string)Assert.Single(Errors(executed.At(2)))["ename"]!);
        Assert.Null((int?)executed.At(3)["execution_count"]);
    }

    [Fact]
    public async Task CancellingInterruptsTheKernelProcessAndKeepsWhatWasWritten()
    {
        using var cancel = new CancellationTokenSource();
        string output = TempDirectory();
        var run = NotebookRunner.RunAsync(new NotebookRunOptions { Notebooks = [Fixture("slow-cell.ipynb")], OutputDirectory = output }, Kernel, cancel.Token);
        // Cancel once the slow cell has started: its predecessor's output is on disk by then.
        string executedPath = Path.Combine(output, "slow-cell.ipynb");
        var waiting = Stopwatch.StartNew();
        while (!(File.Exists(executedPath) && File.ReadAllText(executedPath).Contains("before the slow cell")) && waiting.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(100);
        cancel.Cancel();
        var clock = Stopwatch.StartNew();
        var result = Assert.Single((await run).Notebooks);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed} after the cancellation");

        Assert.Equal(NotebookStatus.Interrupted, result.Status);
        var executed = ExecutedNotebook.Load(executedPath);
        Assert.Equal("before the slow cell\n", Stream(executed.At(1)));
        Assert.Equal("Interrupted", (string)Assert.Single(Errors(executed.At(2)))["ename"]!);
        Assert.Empty(Outputs(executed.At(3)));
    }
}
