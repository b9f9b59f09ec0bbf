using Dropout.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Charts;

/// <summary>Several runs on one d2l-style chart: one colour per series, as d2l draws them, and one line style per run.</summary>
public static class TrainingComparisonChart
{
    static readonly Color[] SeriesColors = [Color.fromHex("#1f77b4"), Color.fromHex("#c71585"), Color.fromHex("#2ca02c")];
    static readonly StyleParam.DrawingStyle[] RunStyles =
        [StyleParam.DrawingStyle.Solid, StyleParam.DrawingStyle.Dash, StyleParam.DrawingStyle.Dot, StyleParam.DrawingStyle.DashDot];

    /// <summary>The most runs one chart tells apart (one line style each).</summary>
    public static int MaxRuns => RunStyles.Length;

    /// <summary>One line per (run, series), named "series (label)", on the axes of <see cref="TrainingChart.Create"/>.</summary>
    /// <exception cref="ArgumentException">No run, more than <see cref="MaxRuns"/>, a run without epochs, or a repeated label.</exception>
    public static GenericChart Create(string title, params (string Label, IEnumerable<EpochMetrics> History)[] runs)
    {
        if (runs.Length == 0) throw new ArgumentException("give at least one run to plot.", nameof(runs));
        if (runs.Length > MaxRuns) throw new ArgumentException($"one chart tells at most {MaxRuns} runs apart; got {runs.Length}. Plot them in groups.", nameof(runs));
        var repeated = runs.GroupBy(r => r.Label).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"two runs are labelled '{repeated.Key}'; give each run its own label.", nameof(runs));

        var lines = new List<GenericChart>();
        int lastEpoch = 2;
        for (int r = 0; r < runs.Length; r++)
        {
            var epochs = runs[r].History.ToList();
            if (epochs.Count == 0) throw new ArgumentException($"run '{runs[r].Label}' has no epoch to plot.", nameof(runs));
            lastEpoch = Math.Max(lastEpoch, epochs[^1].Epoch);
            var x = epochs.Select(e => e.Epoch).ToArray();
            double[][] series =
            [
                epochs.Select(e => e.TrainLoss).ToArray(),
                epochs.Select(e => e.TrainAcc).ToArray(),
                epochs.Select(e => e.TestAcc).ToArray(),
            ];
            for (int s = 0; s < series.Length; s++)
                lines.Add(Chart.Line<int, double, string>(x, series[s], ShowMarkers: true,
                    Name: $"{TrainingChart.SeriesNames[s]} ({runs[r].Label})",
                    LineColor: SeriesColors[s], MarkerColor: SeriesColors[s], LineDash: RunStyles[r]));
        }
        return Chart.Combine(lines)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch", MinMax: Tuple.Create(1, lastEpoch))
            .WithYAxisStyle<double, double, string>(MinMax: Tuple.Create(0.3, 0.9))
            .WithSize(760, 460)
            .WithTitleText(title);
    }
}
