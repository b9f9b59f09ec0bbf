using System.Diagnostics;
using System.Text.RegularExpressions;
using Dropout.Notebooks.Engine;
using static Dropout.Tests.Engine.EngineTestSupport;

namespace Dropout.Tests.Engine;

/// <summary>
/// Opens the engine's HTML in a real browser (Debian's headless Chromium, network unused) and checks
/// that Plotly actually drew the chart (its SVG layer, <c>main-svg</c>, exists only once plotly.js ran)
/// and that KaTeX typeset the math (its <c>katex</c> elements exist only once katex.js ran).
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

    [Fact]
    public async Task TheMarkdownMathIsTypesetOfflineByKatexAndAPageWithoutKatexJsKeepsTheRawTex()
    {
        string notebook = WriteNotebook(TempDirectory(), "math.ipynb", "[markdown]" + KatexPageTests.DropoutMath, "1 + 1");
        var result = await RunOne(notebook);
        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);

        string typeset = DumpDom(result.Html!);
        // Two inline formulas and one display formula, each a .katex element; none failed to parse.
        Assert.Equal(3, Regex.Count(typeset, "class=\"katex\""));
        Assert.Equal(1, Regex.Count(typeset, "class=\"katex-display\""));
        Assert.DoesNotContain("class=\"katex-error\"", typeset);
        Assert.Contains("mathcal", typeset); // KaTeX keeps the TeX as a MathML annotation
        Assert.Contains("class=\"mord mathcal\"", typeset);
        Assert.Contains("class=\"mfrac\"", typeset);

        // The same page without katex.js: no .katex element, the TeX is shown as written.
        string withoutKatex = Path.Combine(Path.GetDirectoryName(result.Html!)!, "without-katex.html");
        File.WriteAllText(withoutKatex, File.ReadAllText(result.Html!).Replace(KatexMath.ScriptTag, ""));
        string raw = DumpDom(withoutKatex);
        Assert.DoesNotContain("class=\"katex", raw);
        Assert.Contains("<span class=\"math\">$E[h'] = h$</span>", raw);
        Assert.Contains("\\begin{cases}", raw);
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
