using Dropout.Charts;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Study;

/// <summary>
/// Charts of a study: final metrics per pair with error bars, train-loss curves, and a (p1, p2) heatmap. Every chart
/// is over the runs that did not diverge (<see cref="PairSummary.Kept"/>), so one blown-up run does not stretch an axis;
/// a pair with diverged runs is marked "†" in its label.
/// </summary>
public static class StudyCharts
{
    /// <summary>Final test accuracy per pair: mean over seeds with ± one sample standard deviation as error bars.</summary>
    public static GenericChart TestAccuracy(StudySummary summary) =>
        ErrorBars(summary, StudyMetric.TestAcc, "final test accuracy", "Final test accuracy per (p1, p2), mean ± std over seeds");

    /// <summary>Final train loss per pair: mean over seeds with ± one sample standard deviation as error bars.</summary>
    public static GenericChart TrainLoss(StudySummary summary) =>
        ErrorBars(summary, StudyMetric.TrainLoss, "final train loss", "Final train loss per (p1, p2), mean ± std over seeds");

    /// <summary>Per pair, the mean train loss (over seeds) against epoch; one line per pair.</summary>
    public static GenericChart TrainLossCurves(StudySummary summary, IEnumerable<DropoutPair>? pairs = null)
    {
        var chosen = (pairs ?? summary.Pairs.Select(p => p.Pair)).ToList();
        if (chosen.Count == 0) throw new ArgumentException("there is no pair to plot.", nameof(pairs));
        var lines = chosen.Select(pair =>
        {
            var curve = summary.TrainLossCurve(pair);
            if (curve.Count == 0) throw new ArgumentException($"{pair} is not in the results.", nameof(pairs));
            return Chart.Line<int, double, string>(curve.Select(c => c.Epoch), curve.Select(c => c.TrainLoss.Mean), ShowMarkers: true, Name: Label(summary, pair));
        });
        return Chart.Combine(lines)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "train loss (mean over seeds)")
            .WithSize(760, 460)
            .WithTitleText("Train loss per epoch, per (p1, p2)");
    }

    /// <summary>
    /// Mean final test accuracy over the (p1, p2) grid: p1 across, p2 up; cells without results are left empty.
    /// </summary>
    public static GenericChart TestAccuracyHeatmap(StudySummary summary)
    {
        var p1s = summary.Pairs.Select(p => p.Pair.P1).Distinct().Order().ToList();
        var p2s = summary.Pairs.Select(p => p.Pair.P2).Distinct().Order().ToList();
        // A cell without results is NaN, which Plotly.NET writes as "NaN" and plotly.js leaves empty.
        var z = p2s.Select(p2 => p1s.Select(p1 => summary.Find(new DropoutPair(p1, p2)) is { Kept.Count: > 0 } p ? p.TestAcc.Mean : double.NaN).ToArray()).ToArray();
        var heatmap = Chart.Heatmap<double, string, string, string>(
            zData: z, X: p1s.Select(DropoutPair.Format).ToArray(), Y: p2s.Select(DropoutPair.Format).ToArray(), Name: "mean test acc");
        return heatmap
            .WithXAxisStyle<string, string, string>(TitleText: "p1 (after the first hidden layer)")
            .WithYAxisStyle<string, string, string>(TitleText: "p2 (after the second hidden layer)")
            .WithSize(640, 560)
            .WithTitleText("Mean final test accuracy over the (p1, p2) grid");
    }

    static GenericChart ErrorBars(StudySummary summary, StudyMetric metric, string yTitle, string title)
    {
        var shown = summary.Pairs.Where(p => p.Kept.Count > 0).ToList();
        var labels = shown.Select(p => Label(summary, p.Pair)).ToArray();
        var values = shown.Select(p => p.Final(metric)).ToList();
        var points = Chart.Point<string, double, string>(labels, values.Select(v => v.Mean), Name: yTitle);
        var withErrors = Plotly.NET.Chart.withYErrorStyle<double, double>(
            FSharpOption<bool>.Some(true), FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data), FSharpOption<bool>.Some(true),
            FSharpOption<IEnumerable<double>>.Some(values.Select(v => v.Std ?? 0)), null, null, null, null, null, null, null, null, null).Invoke(points);
        return withErrors
            .WithXAxisStyle<string, string, string>(TitleText: "(p1, p2); † = a run diverged and is left out")
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(760, 420)
            .WithTitleText(title);
    }

    /// <summary>"(0.2, 0.5)", or "(0.2, 0.5)†" when a run of the pair diverged.</summary>
    static string Label(StudySummary summary, DropoutPair pair) => summary.Find(pair) is { Diverged.Count: > 0 } ? $"{pair}†" : pair.ToString();
}
