using System.Reflection;
using Plotly.NET;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// Plotly charts as notebook outputs, offline: the chart becomes a <c>div</c> plus a script calling
/// <c>Plotly.newPlot</c> (Plotly.NET's own chart HTML, with no plotly.js reference), and plotly.js itself,
/// taken from the copy Plotly.NET embeds, is added once per page by the writers.
/// This is what Plotly.NET.Interactive does in VS Code, without its CDN download.
/// </summary>
public static class PlotlyCharts
{
    static readonly Lazy<string> Script = new(ReadPlotlyJs);

    /// <summary>The plotly.js version Plotly.NET embeds.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>plotly.js as one inline <c>&lt;script&gt;</c> element.</summary>
    public static string PlotlyJsScriptTag => Script.Value;

    /// <summary>The chart's HTML without plotly.js: a <c>div</c> and the script that draws into it.</summary>
    public static string ChartHtml(GenericChart chart)
    {
        var noReference = DisplayOptions.setPlotlyReference(PlotlyJSReference.NoReference).Invoke(new DisplayOptions());
        var options = DisplayOptions.combine(GenericChart.getDisplayOptions(chart), noReference);
        return GenericChart.toChartHTML(GenericChart.setDisplayOptions(options, chart));
    }

    static string ReadPlotlyJs()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        string resource = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = plotly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Plotly.NET {plotly.GetName().Version} does not embed {resource}; cannot write offline charts.");
        using var reader = new StreamReader(stream);
        string js = reader.ReadToEnd();
        // Inside an HTML <script> element, "</script" would end it early.
        return "<script type=\"text/javascript\">" + js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>";
    }
}
