using System.Text.RegularExpressions;
using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Html;
using static Dropout.Tests.Runner.RunnerTestSupport;

namespace Dropout.Tests.Runner;

/// <summary>
/// The HTML page's math: KaTeX embedded once, offline (fonts inlined, no network URL), only when the
/// notebook has math, and the TeX kept as the elements' text. The browser test that KaTeX actually
/// typesets it is in <see cref="BrowserRenderingTests"/>.
/// </summary>
public class KatexPageTests
{
    /// <summary>d2l's dropout formulas, as the notebooks write them.</summary>
    public const string DropoutMath = """
        # Dropout

        Noise $\epsilon \sim \mathcal{N}(0, \sigma^2)$ keeps the expectation: $E[h'] = h$.

        $$
        h' = \begin{cases} 0 & \text{with probability } p \\ \dfrac{h}{1-p} & \text{otherwise} \end{cases}
        $$
        """;

    [Fact]
    public void APageWithMathEmbedsKatexOnceWithItsWoff2FontsInlinedAndNoNetworkUrl()
    {
        string page = Page("[markdown]" + DropoutMath, "[markdown]More: $\\frac{1}{1-p}$.", "1 + 1");

        Assert.Equal(1, Count(page, KatexMath.StyleTag));
        Assert.Equal(1, Count(page, KatexMath.ScriptTag));
        Assert.Equal(1, Count(page, $"version:\"{KatexMath.Version}\""));
        Assert.Equal(1, Count(page, "katex.render("));
        int headEnd = page.IndexOf("</head>", StringComparison.Ordinal);
        Assert.True(page.IndexOf(KatexMath.ScriptTag, StringComparison.Ordinal) < headEnd, "KaTeX belongs in <head>");

        string[] urls = Regex.Matches(KatexMath.StyleTag, @"url\(([^)]*)\)").Select(m => m.Groups[1].Value).ToArray();
        int fontFaces = Count(KatexMath.StyleTag, "@font-face");
        Assert.Equal(20, fontFaces);
        Assert.Equal(fontFaces, urls.Length);
        Assert.All(urls, url => Assert.StartsWith("data:font/woff2;base64,", url));
        Assert.DoesNotMatch(@"url\(\s*[""']?https?:", page);
        Assert.DoesNotContain("url(fonts/", page);

        // What one page carries for KaTeX: under the ~700 KB budget.
        int added = page.Length - Page("[markdown]" + DropoutMath.Replace("$", ""), "1 + 1").Length;
        Assert.InRange(added, 300_000, 700_000);
    }

    [Fact]
    public void TheTexStaysTheTextOfItsElementsSoAPageWithoutJavaScriptStillShowsIt()
    {
        string page = Page("[markdown]" + DropoutMath);

        Assert.Contains("<span class=\"math\">$E[h'] = h$</span>", page);
        Assert.Contains("<span class=\"math\">$\\epsilon \\sim \\mathcal{N}(0, \\sigma^2)$</span>", page);
        Assert.Matches(@"<div class=""math"">\$\$\s*h' = \\begin\{cases\} 0 &amp; \\text\{with probability \} p \\\\ \\dfrac\{h\}\{1-p\} &amp; \\text\{otherwise\} \\end\{cases\}\s*\$\$</div>",
            page);
    }

    [Fact]
    public void APageWithoutMathCarriesNoKatex()
    {
        string page = Page("[markdown]# No math here\n\nIt costs *$5*? No: 5 dollars.", "1 + 1");
        Assert.DoesNotContain("katex", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheVendoredVersionIsTheOneItsReadmeNames()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot, "lib", "Dropout.Notebooks.Runner", "Html", "Assets", "katex", "README.md"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", KatexMath.Version);
        Assert.Contains($"KaTeX **{KatexMath.Version}**", readme);
        Assert.Contains($"npm pack katex@{KatexMath.Version}", readme);
    }

    /// <summary>The HTML page of a notebook with these cells, none of them run (math rendering needs no run).</summary>
    static string Page(params string[] cells)
    {
        var document = NotebookDocument.Load(WriteNotebook(TempDirectory(), "math.ipynb", cells));
        return NotebookHtml.Render(document, document.Cells.Select(c => new ExecutedCell(c, c.CellType, c.Source, null, [])).ToList());
    }

    static int Count(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
