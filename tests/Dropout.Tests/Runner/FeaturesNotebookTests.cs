using Dropout.Notebooks.Runner.Execution;
using Dropout.Notebooks.Runner.Html;
using static Dropout.Tests.Runner.ExecutedNotebook;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>Runs Fixtures/notebooks/features.ipynb once (quick, with overrides) in the runner's kernel for the tests below.</summary>
public sealed class FeaturesRun : IAsyncLifetime
{
    public string Source { get; } = Fixture("features.ipynb");
    public byte[] SourceBefore { get; private set; } = [];
    public NotebookResult Result { get; private set; } = null!;
    public ExecutedNotebook Executed { get; private set; } = null!;
    public string Html { get; private set; } = "";

    public async Task InitializeAsync()
    {
        SourceBefore = File.ReadAllBytes(Source);
        Result = await RunOne(Source, o => o with { Quick = true, Parameters = [new("label", "from \"cli\""), new("rate", "0.25")] });
        Executed = ExecutedNotebook.Load(Result.ExecutedNotebook!);
        Html = File.ReadAllText(Result.Html!);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(Result.ExecutedNotebook!)!, recursive: true); // 7 MB of plotly.js
        return Task.CompletedTask;
    }
}

/// <summary>What the real kernel does with each kind of cell, as the runner records it.</summary>
[Collection(KernelCollection.Name)]
public class FeaturesNotebookTests(FeaturesRun run) : IClassFixture<FeaturesRun>
{
    [Fact]
    public void EveryCellRunsInOrderWithExecutionCounts()
    {
        Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);
        Assert.Equal(19, run.Result.CellCount); // 18 code cells and the injected one
        Assert.Equal(19, run.Result.CellsRun);
        Assert.Equal(Enumerable.Range(1, 19).Select(i => (int?)i), run.Executed.CodeCells.Select(c => (int?)c["execution_count"]));
        Assert.Equal("", NbformatComplaints(run.Result.ExecutedNotebook!));
        Assert.Equal(run.SourceBefore, File.ReadAllBytes(run.Source)); // the source notebook is untouched without --inplace
    }

    [Fact]
    public void ParametersAreInjectedAfterTheTaggedCellWithTypedLiterals()
    {
        var injected = run.Executed.At(4);
        Assert.Equal("injected-parameters", (string)injected["metadata"]!["tags"]![0]!);
        Assert.Equal("// Parameters injected by the runner (-p, --quick)\nquick = true;\nlabel = \"from \\\"cli\\\"\";\nrate = 0.25;", Text(injected["source"]));
        Assert.Equal("epochs=1 label=from \"cli\" rate=0.25\n", run.Executed.Stdout("effectiveEpochs"));
    }

    [Fact]
    public void DeclarationsCarryOverAndTheLastExpressionIsTheResultFormattedByTheKernel()
    {
        var path = Assert.Single(KernelOutputs(run.Executed.Cell("Path.Combine(\"a\", \"b\")")));
        Assert.Equal("execute_result", (string)path["output_type"]!);
        Assert.Equal(Path.Combine("a", "b"), Text(path["data"]!["text/plain"]));
        var square = Assert.Single(Displays(run.Executed.Cell("Square(7)")));
        Assert.Contains("<pre>49</pre>", square["text/html"]); // the kernel's own HTML formatter
    }

    [Fact]
    public void ATabularDataResourceIsATableWithCsv()
    {
        var rows = run.Executed.Table("ToTabularDataResource()");
        Assert.Equal(["Number", "Loss"], rows[0]);
        Assert.Equal(["1", "0.75"], rows[1]);
        Assert.Equal(["2", "0.5"], rows[2]);
        Assert.StartsWith("<table>", Displays(run.Executed.Cell("ToTabularDataResource()"))[0]["text/html"]);
    }

    [Fact]
    public void DisplayAndTheConsoleBecomeOutputsInOrder()
    {
        var cell = run.Executed.Cell("shown by display");
        var outputs = KernelOutputs(cell);
        Assert.Equal(["display_data", "stream", "stream"], outputs.Select(o => (string)o["output_type"]!));
        Assert.Equal("shown by display", Text(outputs[0]["data"]!["text/plain"]));
        Assert.Equal("to stdout\n", Stream(cell, "stdout"));
        Assert.Equal("to stderr\n", Stream(cell, "stderr"));
    }

    [Fact]
    public void ChartsArePlotlyNetInteractivesOutputAndPlotlyJsTravelsOnceBeforeTheFirst()
    {
        var first = run.Executed.Cell("var chart =");
        var outputs = Outputs(first);
        Assert.NotNull(outputs[0]["metadata"]![OfflinePlotly.MetadataKey]); // the loader, just before the first chart
        Assert.Contains("Plotly.newPlot", Text(outputs[0]["data"]!["text/html"]) + Text(outputs[1]["data"]!["text/html"]));
        Assert.Equal(1, ChartCount(first));
        Assert.Contains("requirejs.config({context:'fsharp-plotly'", Displays(first)[0]["text/html"]); // as the kernel wrote it
        Assert.Equal(1, ChartCount(run.Executed.Cell("Chart.Point")));
        int loaders = run.Executed.CodeCells.SelectMany(Outputs).Count(o => o["metadata"]?[OfflinePlotly.MetadataKey] is not null);
        Assert.Equal(1, loaders);
        Assert.Equal(1, CountOf(run.Html, "plotly.js " + OfflinePlotly.PlotlyJsVersion));
    }

    [Fact]
    public void TorchSharpAndTheProjectLibraryLoadInTheKernel()
    {
        Assert.Contains("<pre>6</pre>", Displays(run.Executed.Cell("torch.ones(2, 3)"))[0]["text/html"]);
        Assert.Contains("<pre>True</pre>", Displays(run.Executed.Cell("DropoutLayer(t, 0.0)"))[0]["text/html"]);
    }

    [Fact]
    public void TheKernelsMagicCommandsWork()
    {
        Assert.Matches(@"^Wall time: \d+(\.\d+)?ms$", Displays(run.Executed.Cell("#!time"))[0]["text/plain"]);
        Assert.Contains(".NET Interactive", Displays(run.Executed.Cell("#!about"))[0]["text/plain"]);
        Assert.Contains("<pre>42</pre>", Displays(run.Executed.Cell("#!set --name shared"))[0]["text/html"]);
        Assert.Equal(".NET / csharp", Displays(run.Executed.Cell("Kernel.Root.Name"))[0]["text/plain"]);
        Assert.Equal("<b>from the html kernel</b>", Displays(run.Executed.Cell("from the html kernel"))[0]["text/html"]);
        Assert.Equal("async works", Displays(run.Executed.Cell("async works"))[0]["text/plain"]);
    }

    [Fact]
    public void ThePageRendersMarkdownCodeAndOutputs()
    {
        Assert.Contains("<h1", run.Html);
        Assert.Contains("<table>", run.Html); // the markdown table and the kernel's table
        Assert.Contains("Parameters injected for this run", run.Html);
        Assert.Contains("to stderr", run.Html);
        Assert.Contains("<span class=\"math\">$x_i \\cdot w_i$</span>", run.Html);
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
