using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Dropout.Notebooks.Runner.Html;

/// <summary>
/// KaTeX (vendored in <c>Assets/katex</c>, embedded) for a page's <c>&lt;head&gt;</c>: it typesets, offline and on load,
/// the <c>span.math</c> / <c>div.math</c> elements <see cref="MathAsText"/> writes. Without JavaScript the TeX still shows.
/// </summary>
public static partial class KatexMath
{
    const string ResourcePrefix = "katex/";
    static readonly Assembly Engine = typeof(KatexMath).Assembly;
    static readonly Lazy<string> Js = new(() => ReadText("katex.min.js"));
    static readonly Lazy<string> StyleElement = new(BuildStyleElement);
    static readonly Lazy<string> ScriptElement = new(() =>
        // Inside an HTML <script> element, "</script" would end it early.
        $"<script>/*! KaTeX {Version} | MIT License | Copyright (c) 2013-2020 Khan Academy and other contributors */\n"
        + Js.Value.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>");

    /// <summary>The vendored KaTeX version, as katex.min.js declares it.</summary>
    public static string Version => KatexVersion().Match(Js.Value) is { Success: true } m
        ? m.Groups[1].Value
        : throw new InvalidOperationException("The embedded katex.min.js declares no version; re-vendor it with Assets/katex/vendor-katex.sh.");

    /// <summary>katex.min.js as one inline <c>&lt;script&gt;</c> element.</summary>
    public static string ScriptTag => ScriptElement.Value;

    /// <summary>katex.min.css as one <c>&lt;style&gt;</c> element, its woff2 fonts inlined as <c>data:</c> URLs.</summary>
    public static string StyleTag => StyleElement.Value;

    /// <summary>What a page puts in its head: <see cref="StyleTag"/>, <see cref="ScriptTag"/>, and the script that renders its math.</summary>
    public static string HeadHtml => StyleTag + "\n" + PageStyle + "\n" + ScriptTag + "\n" + RenderScript + "\n";

    /// <summary>How typeset math sits in the page: a long display formula scrolls instead of overflowing.</summary>
    const string PageStyle = "<style>.katex { font-size: 1.1em; } .katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2em 0; }</style>";

    /// <summary>
    /// Renders each markdown <c>span.math</c> / <c>div.math</c> (TeX with its delimiters; <c>$$</c> or a <c>div</c> is
    /// display math). A formula KaTeX cannot parse shows in red, the error as its tooltip; the rest still render.
    /// </summary>
    const string RenderScript = """
        <script>
        document.addEventListener("DOMContentLoaded", function () {
          if (typeof katex === "undefined") return;
          document.querySelectorAll(".cell.markdown span.math, .cell.markdown div.math").forEach(function (el) {
            var m = /^(\${1,2})([\s\S]*)\1$/.exec(el.textContent.trim());
            if (!m) return;
            try {
              katex.render(m[2], el, { displayMode: el.tagName === "DIV" || m[1] === "$$", throwOnError: false });
            } catch (e) {
              el.title = String(e);
            }
          });
        });
        </script>
        """;

    static string BuildStyleElement()
    {
        string css = ReadText("katex.min.css");
        // Each @font-face lists woff2, woff and ttf files under fonts/: keep only the woff2, inlined.
        string inlined = FontSources().Replace(css, m =>
            $"src:url(data:font/woff2;base64,{Convert.ToBase64String(ReadBytes("fonts/" + m.Groups["file"].Value))}) format(\"woff2\")");
        if (inlined.Contains("url(fonts/", StringComparison.Ordinal))
            throw new InvalidOperationException("The embedded katex.min.css has a font reference the engine does not inline (expected each @font-face src to start with a woff2 url(fonts/...)); check Assets/katex after re-vendoring.");
        return "<style>" + inlined + "</style>";
    }

    static string ReadText(string name) => Encoding.UTF8.GetString(ReadBytes(name));

    static byte[] ReadBytes(string name)
    {
        using var stream = Engine.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"{Engine.GetName().Name} does not embed {ResourcePrefix}{name}; Assets/katex is incomplete (re-vendor it with Assets/katex/vendor-katex.sh).");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    [GeneratedRegex("""src:url\(fonts/(?<file>[^)]+\.woff2)\) format\("woff2"\)(?:,url\([^)]*\) format\("[^"]*"\))*""")]
    private static partial Regex FontSources();

    [GeneratedRegex("version:\"([^\"]+)\"")]
    private static partial Regex KatexVersion();
}
