using System.Text.Json.Nodes;
using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

/// <summary>Runs Fixtures/notebooks/features.ipynb once (quick, with overrides) for the tests below.</summary>
public sealed class FeaturesRun : IAsyncLifetime
{
    public string Source { get; } = Fixture("features.ipynb");
    public byte[] SourceBefore { get; private set; } = [];
    public NotebookResult Result { get; private set; } = null!;
    public JsonNode Executed { get; private set; } = null!;
    public string Html { get; private set; } = "";
    public List<NotebookProgress> Progress { get; } = [];

    public async Task InitializeAsync()
    {
        SourceBefore = File.ReadAllBytes(Source);
        var run = await NotebookRunner.RunAsync(new NotebookRunOptions
        {
            Notebooks = [Source],
            OutputDirectory = TempDirectory(),
            Quick = true,
            Parameters = [new("label", "from \"cli\""), new("rate", "0.25")],
        }, new SynchronousProgress(Progress));
        Result = Assert.Single(run.Notebooks);
        Executed = JsonNode.Parse(File.ReadAllText(Result.ExecutedNotebook!))!;
        Html = File.ReadAllText(Result.Html!);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(Result.ExecutedNotebook!)!, recursive: true); // 7 MB of plotly.js
        return Task.CompletedTask;
    }

    sealed class SynchronousProgress(List<NotebookProgress> list) : IProgress<NotebookProgress>
    {
        public void Report(NotebookProgress value) => list.Add(value);
    }
}

[Collection(EngineCollection.Name)]
public class FeaturesNotebookTests(FeaturesRun run) : IClassFixture<FeaturesRun>
{
    // Cell positions in the executed notebook: the injected parameters cell is number 4.
    JsonArray Outputs(int number) => WrittenOutputs(run.Executed, number);

    static Dictionary<string, string> Data(JsonNode output) =>
        output["data"]!.AsObject().ToDictionary(p => p.Key, p => Text(p.Value));

    [Fact]
    public void EveryCellRunsInOrderWithExecutionCounts()
    {
        Assert.True(run.Result.Status == NotebookStatus.Succeeded, run.Result.Failure);
        Assert.Equal(14, run.Result.CellCount); // 13 code cells and the injected one
        Assert.Equal(14, run.Result.CellsRun);
        var counts = run.Executed["cells"]!.AsArray().Where(c => (string)c!["cell_type"]! == "code").Select(c => (int?)c!["execution_count"]).ToList();
        Assert.Equal(Enumerable.Range(1, 14).Select(i => (int?)i), counts);
    }

    [Fact]
    public void ParametersAreInjectedAfterTheTaggedCellWithTypedLiterals()
    {
        var injected = run.Executed["cells"]![3]!;
        Assert.Equal("injected-parameters", (string)injected["metadata"]!["tags"]![0]!);
        Assert.Equal("// Parameters injected by the notebook engine\nquick = true;\nlabel = \"from \\\"cli\\\"\";\nrate = 0.25;", Text(injected["source"]));
        Assert.Equal("epochs=1 label=from \"cli\" rate=0.25\n", Text(Outputs(5)[0]!["text"]));
    }

    [Fact]
    public void UsingsAndDeclarationsCarryToLaterCellsAndTheLastExpressionIsTheResult()
    {
        var path = Assert.Single(Outputs(8));
        Assert.Equal("execute_result", (string)path!["output_type"]!);
        Assert.Equal(Path.Combine("a", "b"), Data(path)["text/plain"]);
        var square = Assert.Single(Outputs(9));
        Assert.Equal("49", Data(square!)["text/plain"]);
        Assert.Contains("<pre>49</pre>", Data(square!)["text/html"]); // the kernel's HTML formatter
    }

    [Fact]
    public void SequencesOfRecordsBecomeTables()
    {
        string html = Data(Assert.Single(Outputs(10))!)["text/html"];
        Assert.Contains("<th>Number</th><th>Loss</th>", html);
        Assert.Contains("<tr><td>1</td><td>0.75</td></tr><tr><td>2</td><td>0.5</td></tr>", html);
    }

    [Fact]
    public void DisplayAndConsoleOutputsKeepTheirOrder()
    {
        var outputs = Outputs(11);
        Assert.Equal(["display_data", "display_data", "stream", "stream"], outputs.Select(o => (string)o!["output_type"]!));
        Assert.Equal("shown by display", Data(outputs[0]!)["text/plain"]);
        Assert.Equal("shown by Display", Data(outputs[1]!)["text/plain"]);
        Assert.Equal(("stdout", "to stdout\n"), ((string)outputs[2]!["name"]!, Text(outputs[2]!["text"])));
        Assert.Equal(("stderr", "to stderr\n"), ((string)outputs[3]!["name"]!, Text(outputs[3]!["text"])));
    }

    [Fact]
    public void ChartsAreInteractiveHtmlSharingTheEnginesPlotlyAndPlotlyJsIsEmbeddedOnce()
    {
        var shown = Outputs(12);
        string first = Data(shown[0]!)["text/html"];
        Assert.StartsWith("<script type=\"text/javascript\">", first);
        Assert.Contains("Plotly.newPlot", first);
        Assert.Equal("True", Data(shown[1]!)["text/plain"]); // the cell's chart type is the engine's GenericChart
        string second = Data(Assert.Single(Outputs(13))!)["text/html"];
        Assert.Contains("Plotly.newPlot", second);
        Assert.DoesNotContain("plotly.js v", second);

        string file = File.ReadAllText(run.Result.ExecutedNotebook!);
        Assert.Equal(1, Occurrences(file, $"plotly.js v{PlotlyCharts.PlotlyJsVersion}"));
        Assert.Equal(1, Occurrences(run.Html, $"plotly.js v{PlotlyCharts.PlotlyJsVersion}"));
        Assert.True(run.Html.IndexOf("plotly.js v", StringComparison.Ordinal) < run.Html.IndexOf("</head>", StringComparison.Ordinal));
        Assert.Equal(2, Occurrences(run.Html, "<!-- Plotly chart will be drawn inside this DIV -->"));
    }

    [Fact]
    public void TensorsAreTextAndANotebooksOwnFormatterTakesEffect()
    {
        Assert.Equal("[2x3], type = Float32, device = cpu\n 1 1 1\n 1 1 1\n", Data(Assert.Single(Outputs(14))!)["text/plain"]);
        Assert.Equal("custom tensor 2x3", Data(Assert.Single(Outputs(15))!)["text/plain"]);
        Assert.Equal("async works", Data(Assert.Single(Outputs(16))!)["text/plain"]);
    }

    [Fact]
    public void ExecutedCopyIsValidNbformatKeepsMetadataAndTheSourceIsUntouched()
    {
        Assert.Equal("", NbformatComplaints(run.Result.ExecutedNotebook!));
        var source = JsonNode.Parse(File.ReadAllText(run.Source))!;
        Assert.True(JsonNode.DeepEquals(source["metadata"], run.Executed["metadata"]));
        Assert.True(JsonNode.DeepEquals(source["cells"]![0], run.Executed["cells"]![0]));
        Assert.Equal(run.SourceBefore, File.ReadAllBytes(run.Source));
        Assert.StartsWith("{\n \"cells\": [\n  {\n", File.ReadAllText(run.Result.ExecutedNotebook!));
    }

    [Fact]
    public void HtmlRendersMarkdownCodeAndOutputs()
    {
        Assert.Contains("<title>Engine features</title>", run.Html);
        Assert.Contains("<h1 id=\"engine-features\">Engine features</h1>", run.Html);
        Assert.Contains("<span class=\"math\">$x_i \\cdot w_i$</span>", run.Html);
        Assert.Contains("<th>feature</th>", run.Html);
        Assert.Contains("<strong>bold</strong>", run.Html);
        Assert.Contains("int Square(int x) =&gt; x * x;", run.Html);
        Assert.Contains("<pre class=\"stream stderr\">to stderr\n</pre>", run.Html);
        Assert.Contains("Parameters injected for this run", run.Html);
        Assert.DoesNotContain("src=\"http", run.Html);
    }

    [Fact]
    public void ProgressNamesTheNotebookAndEachCell()
    {
        var started = run.Progress.Where(p => p.Stage == NotebookStage.CellStarted).ToList();
        Assert.Equal(Enumerable.Range(1, 14), started.Select(p => p.Cell));
        Assert.All(run.Progress, p => Assert.Equal(("features.ipynb", 14), (p.Notebook, p.CellCount)));
        Assert.Equal(14, run.Progress.Count(p => p.Stage == NotebookStage.CellSucceeded));
    }

    static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
