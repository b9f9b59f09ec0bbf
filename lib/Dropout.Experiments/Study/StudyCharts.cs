using Dropout.Charts;
using Dropout.Statistics;
using Dropout.Study;
using Dropout.Training;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Experiments.Study;

/// <summary>The study's charts, diverged runs left out (one would stretch an axis); "†" marks a pair that had one.</summary>
public static class StudyCharts
{
    /// <summary>Final test accuracy per pair: mean over seeds, ± one sample standard deviation as error bars.</summary>
    public static GenericChart TestAccuracy(StudyResults results) =>
        ErrorBars(results, TrainingMetric.TestAcc, "Final test accuracy per (p1, p2), mean ± std over seeds");

    /// <summary>Final train loss per pair: mean over seeds, ± one sample standard deviation as error bars.</summary>
    public static GenericChart TrainLoss(StudyResults results) =>
        ErrorBars(results, TrainingMetric.TrainLoss, "Final train loss per (p1, p2), mean ± std over seeds");

    /// <summary>One line per pair: its mean train loss over the kept seeds, by epoch.</summary>
    public static GenericChart TrainLossCurves(StudyResults results)
    {
        var lines = results.Pairs.Where(p => results[p].Kept.Count > 0).Select(pair =>
        {
            var kept = results[pair].Kept;
            var epochs = Enumerable.Range(1, kept.Min(r => r.Result.Count)).ToList();
            var means = epochs.Select(e => kept.Average(r => r.Result[e - 1].TrainLoss));
            return Chart.Line<int, double, string>(epochs, means, ShowMarkers: true, Name: Label(results, pair));
        });
        return Chart.Combine(lines)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "train loss (mean over seeds)")
            .WithSize(760, 460)
            .WithTitleText("Train loss per epoch, per (p1, p2)");
    }

    /// <summary>Mean final test accuracy over the (p1, p2) grid: p1 across, p2 up, cells without results empty.</summary>
    public static GenericChart TestAccuracyHeatmap(StudyResults results)
    {
        var p1s = results.Pairs.Select(p => p.P1).Distinct().Order().ToList();
        var p2s = results.Pairs.Select(p => p.P2).Distinct().Order().ToList();
        // A cell without results is NaN, which Plotly.NET writes as "NaN" and plotly.js leaves empty.
        var z = p2s.Select(p2 => p1s.Select(p1 => results.Has(new(p1, p2)) ? results.Mean(new(p1, p2), TrainingMetric.TestAcc) : double.NaN).ToArray()).ToArray();
        return Chart.Heatmap<double, string, string, string>(
                zData: z, X: p1s.Select(DropoutPair.Format).ToArray(), Y: p2s.Select(DropoutPair.Format).ToArray(), Name: "mean test acc")
            .WithXAxisStyle<string, string, string>(TitleText: "p1 (after the first hidden layer)")
            .WithYAxisStyle<string, string, string>(TitleText: "p2 (after the second hidden layer)")
            .WithSize(640, 560)
            .WithTitleText("Mean final test accuracy over the (p1, p2) grid");
    }

    static GenericChart ErrorBars(StudyResults results, TrainingMetric metric, string title)
    {
        var shown = results.Pairs.Select(p => (Pair: p, Sample: results[p].Of(h => metric.Of(h)))).Where(x => x.Sample is not null).ToList();
        var points = Chart.Point<string, double, string>(shown.Select(x => Label(results, x.Pair)), shown.Select(x => x.Sample!.Mean), Name: metric.Name);
        return Plotly.NET.Chart.withYErrorStyle<double, double>(
                FSharpOption<bool>.Some(true), FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data), FSharpOption<bool>.Some(true),
                FSharpOption<IEnumerable<double>>.Some(shown.Select(x => x.Sample!.Std ?? 0).ToArray()), null, null, null, null, null, null, null, null, null).Invoke(points)
            .WithXAxisStyle<string, string, string>(TitleText: "(p1, p2); † = a run diverged and is left out")
            .WithYAxisStyle<double, double, string>(TitleText: metric.Name)
            .WithSize(760, 420)
            .WithTitleText(title);
    }

    /// <summary>"(0.2, 0.5)", or "(0.2, 0.5)†" when a run of the pair diverged.</summary>
    static string Label(StudyResults results, DropoutPair pair) => results[pair].Diverged.Count > 0 ? $"{pair}†" : pair.ToString();
}
