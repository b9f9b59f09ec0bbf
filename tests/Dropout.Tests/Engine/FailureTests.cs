using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Dropout.Cli;
using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

[Collection(EngineCollection.Name)]
public class FailureTests
{
    [Fact]
    public async Task AThrowingCellStopsTheNotebookAndIsRecordedWithItsNumberExceptionAndMessage()
    {
        var result = await RunOne(Fixture("fails.ipynb"));

        Assert.Equal(NotebookStatus.Failed, result.Status);
        Assert.Equal(1, result.CellsRun);
        Assert.Equal($"{Fixture("fails.ipynb")}: cell 3 (code cell 2 of 3) failed: System.InvalidOperationException: boom in cell three", result.Failure);

        var executed = JsonNode.Parse(File.ReadAllText(result.ExecutedNotebook!))!;
        Assert.Equal("cell two ran\n", Text(WrittenOutputs(executed, 2)[0]!["text"]));
        var error = Assert.Single(WrittenOutputs(executed, 3))!;
        Assert.Equal("error", (string)error["output_type"]!);
        Assert.Equal("System.InvalidOperationException", (string)error["ename"]!);
        Assert.Equal("boom in cell three", (string)error["evalue"]!);
        Assert.Equal("cell 3 (code cell 2 of 3) failed: System.InvalidOperationException: boom in cell three", (string)error["traceback"]![0]!);
        Assert.Null((int?)executed["cells"]![3]!["execution_count"]);
        Assert.Empty(WrittenOutputs(executed, 4));
        Assert.Equal("", NbformatComplaints(result.ExecutedNotebook!));
        Assert.Contains("boom in cell three", File.ReadAllText(result.Html!));
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
    public async Task ACellRunningPastTheTimeoutStopsTheNotebookWithAClearMessage()
    {
        // The timeout counts compilation too: warm Roslyn up first, so that on a busy machine the quick
        // first cell of the fixture stays well under it and only the 20 s cell runs past it.
        await RunOne(WriteNotebook(TempDirectory(), "warm-up.ipynb", "Console.WriteLine(\"warm\");"));
        var clock = Stopwatch.StartNew();
        var result = await RunOne(Fixture("slow-cell.ipynb"), o => o with { CellTimeout = TimeSpan.FromSeconds(3) });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: the 20 s cell was waited for");

        Assert.Equal(NotebookStatus.Failed, result.Status);
        Assert.True(result.Failure?.Contains("cell 2 (code cell 2 of 3) failed: CellTimeout: the cell ran longer than --cell-timeout 3 s", StringComparison.Ordinal) == true, result.Failure);
        var cells = result.Cells;
        Assert.Equal("before the slow cell\n", Assert.IsType<StreamOutput>(Assert.Single(cells[0].Outputs)).Text);
        Assert.Equal("CellTimeout", Assert.IsType<ErrorOutput>(Assert.Single(cells[1].Outputs)).Name);
        Assert.Null(cells[2].ExecutionCount);
    }

    [Fact]
    public async Task CancellingStopsCleanlyAndKeepsWhatWasWritten()
    {
        // Cancel once the slow cell has started, however long the machine took to get there.
        using var cancel = new CancellationTokenSource();
        var cancelInSlowCell = new CancelWhenCellStarts(2, cancel);
        var clock = Stopwatch.StartNew();
        var run = await NotebookRunner.RunAsync(
            new NotebookRunOptions { Notebooks = [Fixture("slow-cell.ipynb")], OutputDirectory = TempDirectory() }, cancelInSlowCell, cancel.Token);
        var result = Assert.Single(run.Notebooks);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: the 20 s cell was waited for");

        Assert.True(run.Interrupted);
        Assert.Equal(NotebookStatus.Interrupted, result.Status);
        var executed = JsonNode.Parse(File.ReadAllText(result.ExecutedNotebook!))!;
        Assert.Equal("before the slow cell\n", Text(WrittenOutputs(executed, 1)[0]!["text"]));
        Assert.Equal("Interrupted", (string)WrittenOutputs(executed, 2)[0]!["ename"]!);
        Assert.Empty(WrittenOutputs(executed, 3));
    }

    sealed class CancelWhenCellStarts(int cell, CancellationTokenSource cancel) : IProgress<NotebookProgress>
    {
        public void Report(NotebookProgress value)
        {
            if (value.Stage == NotebookStage.CellStarted && value.Cell == cell) cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        }
    }

    [Fact]
    public async Task CompilationErrorsNameTheCellAndTheCompilerMessage()
    {
        string notebook = WriteNotebook(TempDirectory(), "compile.ipynb", "int x = 1;", "int y = \"text\";");
        var result = await RunOne(notebook);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(result.Cells[1].Outputs));
        Assert.Equal("CompilationError", error.Name);
        Assert.Contains("error CS0029: Cannot implicitly convert type 'string' to 'int'", error.Value);
        Assert.StartsWith("cell 2 (code cell 2 of 2) failed: CompilationError:", error.Traceback[0]);
    }

    [Theory]
    [InlineData("#r \"nuget: TorchSharp-cpu, 0.105.0\"", "the project pins TorchSharp-cpu 0.107.0, but the line asks for version 0.105.0")]
    [InlineData("#r \"nuget: Plotly.NET\"", "the project pins Plotly.NET 6.0.0, but the line asks for no version")]
    [InlineData("#r \"nuget: Plotly.NET.Interactive, 5.0.0\"", "the project pins Plotly.NET.Interactive 6.0.0, but the line asks for version 5.0.0")]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"", "the package Newtonsoft.Json is not one the project pins")]
    [InlineData("#r \"lib/Nowhere.dll\"", "Nowhere.dll does not exist. Build the project first")]
    [InlineData("#!fsharp\nlet x = 1", "the magic command #!fsharp is not supported by the headless engine")]
    [InlineData("#!time\n1", "the magic command #!time is not supported")]
    public async Task DirectivesTheEngineCannotHonourFailTheCellClearly(string cell, string message)
    {
        var result = await RunOne(WriteNotebook(TempDirectory(), "directive.ipynb", cell));
        Assert.Equal(NotebookStatus.Failed, result.Status);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(result.Cells[0].Outputs));
        Assert.Equal("DirectiveError", error.Name);
        Assert.Contains(message, error.Value);
    }
}
