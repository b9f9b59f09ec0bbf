using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Dropout.Notebooks.Runner.Html;

/// <summary>
/// Markdown to HTML with TeX math kept as written (<c>$...$</c>, <c>$$...$$</c>) in a <c>span.math</c> / <c>div.math</c>
/// for <see cref="KatexMath"/>; the math extension still shields it from emphasis parsing (<c>$x_i$</c> stays intact).
/// </summary>
static class MathAsText
{
    /// <summary>The HTML of <paramref name="markdown"/>, and whether it has any math for KaTeX to typeset.</summary>
    public static (string Html, bool HasMath) Render(string markdown, MarkdownPipeline pipeline)
    {
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        renderer.ObjectRenderers.RemoveAll(r => r is HtmlMathInlineRenderer or HtmlMathBlockRenderer);
        renderer.ObjectRenderers.Insert(0, new InlineRenderer());
        renderer.ObjectRenderers.Insert(0, new BlockRenderer());
        var document = Markdig.Markdown.Parse(markdown, pipeline);
        renderer.Render(document);
        writer.Flush();
        return (writer.ToString(), document.Descendants<MathInline>().Any() || document.Descendants<MathBlock>().Any());
    }

    sealed class InlineRenderer : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math)
        {
            string delimiter = new(math.Delimiter, math.DelimiterCount);
            renderer.Write("<span class=\"math\">").WriteEscape(delimiter + math.Content.ToString() + delimiter).Write("</span>");
        }
    }

    sealed class BlockRenderer : HtmlObjectRenderer<MathBlock>
    {
        protected override void Write(HtmlRenderer renderer, MathBlock math)
        {
            renderer.EnsureLine();
            renderer.Write("<div class=\"math\">$$\n");
            renderer.WriteLeafRawLines(math, true, true);
            renderer.Write("$$</div>\n");
        }
    }
}
