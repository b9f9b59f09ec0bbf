using System.Net;
using System.Text;
using Dropout.Notebooks.Runner.Documents;
using Markdig;

namespace Dropout.Notebooks.Runner.Html;

/// <summary>
/// A notebook as one standalone HTML page that opens offline: Markdig markdown with KaTeX math, code cells with the
/// kernel's outputs, plotly.js charts. KaTeX and plotly.js are embedded once in the head, only when needed.
/// </summary>
public static class NotebookHtml
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The page for <paramref name="document"/> with the outputs of <paramref name="cells"/>.</summary>
    public static string Render(NotebookDocument document, IReadOnlyList<ExecutedCell> cells)
    {
        bool hasChart = cells.Any(c => c.Outputs.OfType<DisplayOutput>().Any(d => d.IsChart));
        var markdown = cells.Select(c => c.CellType == "markdown" ? MathAsText.Render(c.Code, Markdown) : default).ToList();
        bool hasMath = markdown.Any(m => m.HasMath);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(Title(document, cells))).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n");
        if (hasMath) html.Append(KatexMath.HeadHtml);
        if (hasChart) html.Append(OfflinePlotly.LoaderHtml).Append('\n');
        html.Append("</head>\n<body>\n<main>\n");
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            switch (cell.CellType)
            {
                case "markdown":
                    html.Append("<section class=\"cell markdown\">\n").Append(markdown[i].Html).Append("</section>\n");
                    break;
                case "raw":
                    html.Append("<section class=\"cell raw\"><pre>").Append(Encode(cell.Code)).Append("</pre></section>\n");
                    break;
                default:
                    AppendCodeCell(html, cell);
                    break;
            }
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    static void AppendCodeCell(StringBuilder html, ExecutedCell cell)
    {
        html.Append("<section class=\"cell code").Append(cell.IsInjected ? " injected" : "").Append("\">\n");
        if (cell.IsInjected) html.Append("<div class=\"note\">Parameters injected for this run</div>\n");
        html.Append("<div class=\"input\"><div class=\"prompt\">[").Append(cell.ExecutionCount?.ToString() ?? " ").Append("]</div>")
            .Append("<pre class=\"source\"><code class=\"language-csharp\">").Append(Encode(cell.Code)).Append("</code></pre></div>\n");
        if (cell.Outputs.Count > 0)
        {
            html.Append("<div class=\"outputs\">\n");
            foreach (var output in cell.Outputs)
            {
                switch (output)
                {
                    case StreamOutput s:
                        html.Append("<pre class=\"stream ").Append(s.Name).Append("\">").Append(Encode(s.Text)).Append("</pre>\n");
                        break;
                    case ErrorOutput e:
                        html.Append("<pre class=\"error\">").Append(Encode(string.Join("\n", e.Traceback))).Append("</pre>\n");
                        break;
                    case DisplayOutput d when d.Data.TryGetValue("text/html", out string? h):
                        html.Append("<div class=\"display").Append(d.IsChart ? " chart" : "").Append("\">").Append(h).Append("</div>\n");
                        break;
                    case DisplayOutput d:
                        html.Append("<pre class=\"display\">").Append(Encode(d.Data.GetValueOrDefault("text/plain") ?? string.Join("\n", d.Data.Values))).Append("</pre>\n");
                        break;
                }
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    static string Title(NotebookDocument document, IReadOnlyList<ExecutedCell> cells)
    {
        foreach (var cell in cells.Where(c => c.CellType == "markdown"))
            foreach (string line in cell.Code.Split('\n'))
                if (line.StartsWith("# ", StringComparison.Ordinal))
                    return line[2..].Trim();
        return Path.GetFileNameWithoutExtension(document.Path);
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    const string Css = """

        body { margin: 0; background: #fafafa; color: #1f2328; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
        .cell { margin: 1rem 0; }
        .markdown h1, .markdown h2, .markdown h3 { line-height: 1.25; margin-top: 1.6em; }
        .markdown table, table.records { border-collapse: collapse; margin: 0.5em 0; }
        .markdown th, .markdown td, table.records th, table.records td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; }
        .markdown code { background: #eff1f3; padding: 0.1em 0.3em; border-radius: 4px; }
        .markdown pre code { background: none; padding: 0; }
        .markdown pre, pre.source, pre.stream, pre.error, pre.display { padding: 0.75em 1em; border-radius: 6px; overflow-x: auto; font: 13.5px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 0; }
        .markdown pre { background: #f3f4f6; }
        .input { display: flex; gap: 0.5em; align-items: flex-start; }
        .prompt { flex: 0 0 3.2em; text-align: right; color: #6e7781; font: 13px/2.4 ui-monospace, monospace; }
        pre.source { flex: 1; background: #f6f8fa; border: 1px solid #d8dee4; }
        .outputs { margin: 0.4em 0 0 3.7em; display: flex; flex-direction: column; gap: 0.4em; }
        pre.stream { background: #fff; border-left: 3px solid #d0d7de; }
        pre.stream.stderr { background: #fff8e6; border-left-color: #d4a72c; }
        pre.error { background: #ffebe9; border-left: 3px solid #cf222e; color: #82071e; white-space: pre-wrap; }
        .display { overflow-x: auto; }
        .injected pre.source { border-color: #54aeff; background: #ddf4ff; }
        .note { margin-left: 3.7em; font-size: 0.85em; color: #0969da; }
        .math { font-family: "Latin Modern Math", "STIX Two Math", serif; }

        """;
}
