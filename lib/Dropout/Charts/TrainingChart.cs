using Dropout.Training;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Charts;

/// <summary>Charts of training runs, drawn with Plotly.NET (interactive in a notebook, offline in HTML).</summary>
public static class TrainingChart
{
    /// <summary>Legend names, as d2l's Animator labels its three series.</summary>
    public static readonly IReadOnlyList<string> SeriesNames = ["train loss", "train acc", "test acc"];

    /// <summary>
    /// d2l's Animator picture: train loss, train acc and test acc against epoch, y 0.3–0.9. With <paramref name="numEpochs"/>
    /// the x axis spans 1..numEpochs whatever the epochs so far (none: the empty axes a training starts with).
    /// </summary>
    /// <exception cref="ArgumentException">No epoch and no <paramref name="numEpochs"/>.</exception>
    public static GenericChart Create(IEnumerable<EpochMetrics> history, string? title = null, int? numEpochs = null)
    {
        var epochs = history.ToList();
        if (epochs.Count == 0 && numEpochs is null) throw new ArgumentException("there is no epoch to plot.", nameof(history));
        var x = epochs.Select(e => e.Epoch).ToArray();
        var series = new[]
        {
            epochs.Select(e => e.TrainLoss).ToArray(),
            epochs.Select(e => e.TrainAcc).ToArray(),
            epochs.Select(e => e.TestAcc).ToArray(),
        };
        var lines = series.Select((y, i) => Chart.Line<int, double, string>(x, y, ShowMarkers: true, Name: SeriesNames[i]));
        var chart = Chart.Combine(lines)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch", MinMax: Tuple.Create(1, Math.Max(2, numEpochs ?? epochs[^1].Epoch)))
            .WithYAxisStyle<double, double, string>(MinMax: Tuple.Create(0.3, 0.9))
            .WithSize(640, 400);
        return chart.WithTitleText(title ?? "Training on Fashion-MNIST");
    }
}
