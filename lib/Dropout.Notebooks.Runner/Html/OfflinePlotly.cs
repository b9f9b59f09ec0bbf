using System.Reflection;
using Plotly.NET;

namespace Dropout.Notebooks.Runner.Html;

/// <summary>
/// Makes the kernel's chart outputs, left untouched, draw with no network. Plotly.NET.Interactive writes each chart as a
/// <c>div</c> and a script asking require.js for plotly.js from a CDN (and require.js itself from a CDN when the page has
/// none). This loader carries Plotly.NET's embedded plotly.js inline plus a require.js stand-in that hands it to every
/// chart: with no require.js (VS Code, this project's HTML) it becomes <c>requirejs</c>; with one (Jupyter) only the
/// charts' <c>fsharp-plotly</c> context is answered locally.
/// </summary>
public static class OfflinePlotly
{
    /// <summary>The key in an output's metadata that marks the loader output.</summary>
    public const string MetadataKey = "dropout_notebooks_offline_plotly";

    static readonly Lazy<(string Version, string Js)> Embedded = new(ReadPlotlyJs);
    static readonly Lazy<string> Loader = new(BuildLoader);

    /// <summary>The plotly.js version embedded (and loaded by the charts).</summary>
    public static string PlotlyJsVersion => Embedded.Value.Version;

    /// <summary>The loader as one <c>&lt;script&gt;</c> element: plotly.js, then the require.js stand-in.</summary>
    public static string LoaderHtml => Loader.Value;

    /// <summary>True when <paramref name="html"/> is a Plotly.NET chart's output (a div and its renderPlotly script).</summary>
    public static bool IsChartHtml(string html) => html.Contains("renderPlotly_", StringComparison.Ordinal);

    static string BuildLoader()
    {
        var (version, js) = Embedded.Value;
        // Inside an HTML <script> element, "</script" would end it early.
        string safe = js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return $$"""
            <script type="text/javascript">
            /* plotly.js {{version}} (MIT License, Plotly, Inc.), inline so that the charts below draw offline */
            if (typeof window.Plotly === "undefined") {
            (function (define, module, exports) {
            {{safe}}
            })();
            }
            (function () {
              var offline = function (deps, callback) { callback(window.Plotly); };
              var existing = window.requirejs;
              if (typeof existing !== "function" || typeof existing.config !== "function") {
                window.requirejs = offline;
                window.requirejs.config = function () { return offline; };
              } else if (!existing.dropoutOfflinePlotly) {
                var config = existing.config;
                existing.config = function (options) {
                  return options && options.context === "fsharp-plotly" ? offline : config.apply(this, arguments);
                };
                existing.dropoutOfflinePlotly = true;
              }
            })();
            </script>
            """;
    }

    static (string, string) ReadPlotlyJs()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        string? resource = plotly.GetManifestResourceNames().SingleOrDefault(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Plotly.NET {plotly.GetName().Version} embeds no plotly-*.min.js; cannot make charts draw offline.");
        using var stream = plotly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return (resource["Plotly.NET.plotly-".Length..^".min.js".Length], reader.ReadToEnd());
    }
}
