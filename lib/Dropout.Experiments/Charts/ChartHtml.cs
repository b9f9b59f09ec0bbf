using Dropout.Experiments.Platform;
using Dropout.Platform;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Experiments.Charts;

/// <summary>Saves Plotly.NET charts as self-contained HTML pages that work offline.</summary>
public static class ChartHtml
{
    /// <summary>A whole HTML page for <paramref name="chart"/>, with plotly.js inline (no network needed).</summary>
    public static string ToStandaloneHtml(GenericChart chart)
    {
        var options = DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        string html = GenericChart.toEmbeddedHTML(Plotly.NET.Chart.withDisplayOptions(options).Invoke(chart));
        // Plotly.NET's page declares no character set; a browser opening the file then guesses one and
        // garbles plotly's own non-ASCII (the minus sign on negative ticks). The file is written as UTF-8.
        int head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head < 0 ? html : html.Insert(head + "<head>".Length, "<meta charset=\"utf-8\">");
    }

    /// <summary>Writes <see cref="ToStandaloneHtml"/> to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Save(GenericChart chart, string path) => AtomicFile.WriteAllText(path, ToStandaloneHtml(chart));
}
