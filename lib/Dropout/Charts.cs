using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout;

/// <summary>Charts of training runs, drawn with Plotly.NET (interactive in a notebook, offline in HTML).</summary>
public static class TrainingChart
{
    /// <summary>Legend names, as d2l's Animator labels its three series.</summary>
    public static readonly IReadOnlyList<string> SeriesNames = ["train loss", "train acc", "test acc"];

    /// <summary>
    /// d2l's Animator picture after <c>train_ch3</c>: train loss, train acc and test acc against epoch
    /// 1..n, y axis 0.3–0.9.
    /// </summary>
    public static GenericChart Create(IEnumerable<EpochMetrics> history, string? title = null)
    {
        var epochs = history.ToList();
        if (epochs.Count == 0) throw new ArgumentException("there is no epoch to plot.", nameof(history));
        var x = epochs.Select(e => e.Epoch).ToArray();
        var series = new[]
        {
            epochs.Select(e => e.TrainLoss).ToArray(),
            epochs.Select(e => e.TrainAcc).ToArray(),
            epochs.Select(e => e.TestAcc).ToArray(),
        };
        var lines = series.Select((y, i) => Chart.Line<int, double, string>(x, y, ShowMarkers: true, Name: SeriesNames[i]));
        var chart = Chart.Combine(lines)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch", MinMax: Tuple.Create(1, Math.Max(2, epochs[^1].Epoch)))
            .WithYAxisStyle<double, double, string>(MinMax: Tuple.Create(0.3, 0.9))
            .WithSize(640, 400);
        return chart.WithTitleText(title ?? "Training on Fashion-MNIST");
    }
}

/// <summary>Small bridges over Plotly.NET's F# API where the C# one has no equivalent.</summary>
public static class ChartStyle
{
    /// <summary>Sets the chart's title (Plotly.NET 6 has no C# <c>WithTitle</c>, Plotly.NET issue 491).</summary>
    public static GenericChart WithTitleText(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(Title.init(FSharpOption<string>.Some(title), null, null, null, null, null, null, null, null, null, null, null)).Invoke(chart);
}

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
    public static void Save(GenericChart chart, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + $".{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(temp, ToStandaloneHtml(chart));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
