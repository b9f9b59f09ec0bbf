using System.Diagnostics;
using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

/// <summary>
/// Opens the engine's HTML in a real browser (Debian's headless Chromium, network unused) and checks
/// that Plotly actually drew the chart: its SVG layer (<c>main-svg</c>) exists only once plotly.js ran.
/// </summary>
[Collection(EngineCollection.Name)]
[Trait("Category", "Slow")]
public class BrowserRenderingTests
{
    const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task APlotlyChartIsDrawnOfflineAndAPageWithoutPlotlyJsDrawsNothing()
    {
        string notebook = WriteNotebook(TempDirectory(), "chart.ipynb",
            "#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
            "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 3 })");
        var result = await RunOne(notebook);
        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);

        string drawn = DumpDom(result.Html!);
        Assert.Contains("class=\"main-svg\"", drawn);

        // The same page without plotly.js: the chart's div stays empty, so the check above can fail.
        string withoutPlotly = Path.Combine(Path.GetDirectoryName(result.Html!)!, "without-plotly.html");
        File.WriteAllText(withoutPlotly, File.ReadAllText(result.Html!).Replace(PlotlyCharts.PlotlyJsScriptTag, ""));
        string blank = DumpDom(withoutPlotly);
        Assert.Contains("Plotly chart will be drawn inside this DIV", blank);
        Assert.DoesNotContain("main-svg", blank);
    }

    static string DumpDom(string htmlFile)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing; run `bash .ci/setup` (it installs Debian's chromium).");
        string profile = TempDirectory();
        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--virtual-time-budget=5000",
                     "--dump-dom", new Uri(htmlFile).AbsoluteUri,
                 })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string dom = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within 60 s on {htmlFile}");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {stderr.Result}");
        return dom;
    }
}
