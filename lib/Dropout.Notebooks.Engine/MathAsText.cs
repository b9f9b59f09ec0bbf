using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// Markdown to HTML with TeX math kept exactly as written (<c>$...$</c>, <c>$$...$$</c>) inside a
/// <c>span.math</c> / <c>div.math</c>: the math extension still protects it from emphasis parsing
/// (<c>$x_i$</c> stays intact), and no TeX renderer is needed offline.
/// </summary>
static class MathAsText
{
    public static string Render(string markdown, MarkdownPipeline pipeline)
    {
        var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        renderer.ObjectRenderers.RemoveAll(r => r is HtmlMathInlineRenderer or HtmlMathBlockRenderer);
        renderer.ObjectRenderers.Insert(0, new InlineRenderer());
        renderer.ObjectRenderers.Insert(0, new BlockRenderer());
        renderer.Render(Markdig.Markdown.Parse(markdown, pipeline));
        writer.Flush();
        return writer.ToString();
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
