using System.Diagnostics;
using System.Text.RegularExpressions;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Notebooks.Runner.Html;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// Opens what the runner wrote in a real browser (Debian's headless Chromium, every host name unresolvable, so
/// nothing can come from a CDN) and checks that Plotly drew the kernel's charts (its SVG layer, <c>main-svg</c>,
/// exists only once plotly.js ran) and that KaTeX typeset the math: in the runner's own page, and in the executed
/// notebook as Jupyter renders it (nbconvert's HTML, which loads require.js itself).
/// </summary>
[Collection(KernelCollection.Name)]
public class BrowserRenderingTests
{
    const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task TheKernelsChartsAreDrawnOfflineInThePageAndInTheExecutedNotebookAndNotWithoutTheLoader()
    {
        string notebook = WriteNotebook(TempDirectory(), "chart.ipynb",
            "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
            "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 3 })",
            "Plotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 3, 1, 2 })");
        var result = await RunOne(notebook);
        Assert.True(result.Status == NotebookStatus.Succeeded, result.Failure);

        Assert.Equal(2, DrawnCharts(DumpDom(result.Html!)));

        // Jupyter's own rendering of the executed notebook (nbconvert), offline.
        string jupyterHtml = Path.Combine(Path.GetDirectoryName(result.Html!)!, "nbconvert.html");
        var (code, _, error) = Run("/usr/bin/python3", ["-m", "nbconvert", "--to", "html", result.ExecutedNotebook!, "--output", jupyterHtml]);
        Assert.True(code == 0, error);
        Assert.Equal(2, DrawnCharts(DumpDom(jupyterHtml)));

        // The same page without the loader: the kernel's chart script looks for require.js and plotly.js online, and draws nothing.
        string withoutLoader = Path.Combine(Path.GetDirectoryName(result.Html!)!, "without-loader.html");
        File.WriteAllText(withoutLoader, File.ReadAllText(result.Html!).Replace(OfflinePlotly.LoaderHtml, ""));
        string blank = DumpDom(withoutLoader);
        Assert.Contains("Plotly chart will be drawn inside this DIV", blank);
        Assert.Equal(0, DrawnCharts(blank));
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
        Assert.Contains("class=\"mord mathcal\"", typeset);
        Assert.Contains("class=\"mfrac\"", typeset);

        string withoutKatex = Path.Combine(Path.GetDirectoryName(result.Html!)!, "without-katex.html");
        File.WriteAllText(withoutKatex, File.ReadAllText(result.Html!).Replace(KatexMath.ScriptTag, ""));
        string raw = DumpDom(withoutKatex);
        Assert.DoesNotContain("class=\"katex", raw);
        Assert.Contains("<span class=\"math\">$E[h'] = h$</span>", raw);
    }

    /// <summary>Charts plotly.js drew: each gets one <c>plot-container</c>.</summary>
    static int DrawnCharts(string dom) => Regex.Count(dom, "class=\"plot-container plotly\"");

    /// <summary>The page's DOM after its scripts ran, in headless Chromium that can resolve no host name.</summary>
    public static string DumpDom(string htmlFile)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing; run `bash .ci/setup` (it installs Debian's chromium).");
        var (code, dom, error) = Run(Chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
            $"--user-data-dir={TempDirectory()}", "--virtual-time-budget=8000", "--dump-dom", new Uri(htmlFile).AbsoluteUri,
        ], timeout: TimeSpan.FromSeconds(90));
        Assert.True(code == 0, $"chromium exited {code}: {error}");
        return dom;
    }
}
