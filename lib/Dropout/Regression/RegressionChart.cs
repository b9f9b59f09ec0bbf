using System.Globalization;
using Dropout.Charts;
using Dropout.Statistics;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Regression;

/// <summary>Morvan's pictures: the data, the animation of both nets' test predictions, chosen snapshots, the seed study.</summary>
public static class RegressionChart
{
    /// <summary>The source's colours and names: train magenta, test cyan, overfitting red solid, dropout blue dashed.</summary>
    public const string TrainName = "train", TestName = "test", OverfittingName = "overfitting", DropoutName = "dropout(50%)";

    static readonly Tuple<double, double> YRange = Tuple.Create(-2.5, 2.5);

    /// <summary>The source's first picture: the training and test points, y in [-2.5, 2.5].</summary>
    public static GenericChart Data(RegressionPoints points) =>
        Chart.Combine(Scatters(points, showLegend: true))
            .WithXAxisStyle<double, double, string>(TitleText: "x")
            .WithYAxisStyle<double, double, string>(TitleText: "y", MinMax: YRange)
            .WithSize(640, 420)
            .WithTitleText("Morvan's data: y = x + 0.3·N(0, 1)");

    /// <summary>
    /// The animation as one chart: a slider over the snapshots, each step showing its two prediction curves and the source's
    /// two loss texts (Plotly.NET has no animation frames, so a step toggles trace visibility). Starts at the last snapshot.
    /// </summary>
    /// <exception cref="ArgumentException">No snapshot, or predictions that do not match the test points.</exception>
    public static GenericChart Animation(IReadOnlyList<RegressionSnapshot> snapshots, RegressionPoints points)
    {
        CheckSnapshots(snapshots, points);
        var traces = new List<GenericChart>(Scatters(points, showLegend: true));
        int active = snapshots.Count - 1;
        for (int i = 0; i < snapshots.Count; i++)
            traces.AddRange(Predictions(snapshots[i], points, showLegend: true,
                visible: i == active ? StyleParam.Visible.True : StyleParam.Visible.False));

        var steps = snapshots.Select((s, i) =>
        {
            // Points always visible; of the prediction curves only snapshot i's pair.
            var visible = Enumerable.Range(0, traces.Count).Select(t => t < 2 || (t - 2) / 2 == i).ToArray();
            return SliderStep.init(
                Args: Some<IEnumerable<Tuple<string, object>>>([Tuple.Create("visible", (object)visible), Tuple.Create("title.text", (object)Title(s))]),
                Execute: null, Label: Some(s.Step.ToString(CultureInfo.InvariantCulture)), Method: Some(StyleParam.Method.Update),
                Name: null, TemplateItemName: null, Value: null, Visible: null);
        }).ToList();
        var slider = Slider.init(
            Active: Some(active), ActiveBgColor: null, BgColor: null, BorderColor: null, BorderWidth: null,
            CurrentValue: Some(SliderCurrentValue.init(null, null, Some("after step "), null, null, null)),
            Font: null, Len: null, LenMode: null, MinorTickLen: null, Name: null, Padding: Some(Padding.init(null, null, null, Some(40))),
            Steps: Some<IEnumerable<SliderStep>>(steps), TemplateItemName: null, TickColor: null, TickLen: null, TickWidth: null,
            Transition: null, Visible: null, X: null, XAnchor: null, Y: null, YAnchor: null);

        var chart = Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "x")
            .WithYAxisStyle<double, double, string>(TitleText: "y", MinMax: YRange)
            .WithSize(720, 560)
            .WithTitleText(Title(snapshots[active]));
        return Plotly.NET.Chart.withSlider(slider, null).Invoke(chart);
    }

    /// <summary>The blog's pictures in a two-column grid; <paramref name="pictures"/> are 1-based (the blog's 1, 4, 7, 10).</summary>
    /// <exception cref="ArgumentException">No picture was asked for, or a number is outside 1..snapshots.</exception>
    public static GenericChart Pictures(IReadOnlyList<RegressionSnapshot> snapshots, IReadOnlyList<int> pictures, RegressionPoints points)
    {
        CheckSnapshots(snapshots, points);
        if (pictures.Count == 0) throw new ArgumentException("ask for at least one picture (1-based snapshot numbers, e.g. 1, 4, 7, 10).", nameof(pictures));
        foreach (int p in pictures)
            if (p < 1 || p > snapshots.Count)
                throw new ArgumentException($"picture {p} does not exist: there are {snapshots.Count} snapshots, numbered 1..{snapshots.Count}.", nameof(pictures));

        var cells = pictures.Select((p, k) =>
            Chart.Combine(Scatters(points, showLegend: k == 0).Concat(Predictions(snapshots[p - 1], points, showLegend: k == 0, StyleParam.Visible.True)))
                .WithYAxisStyle<double, double, string>(MinMax: YRange)).ToList();
        int cols = Math.Min(2, pictures.Count), rows = (pictures.Count + cols - 1) / cols;
        var titles = pictures.Select(p => $"picture {p}: after step {snapshots[p - 1].Step}<br>{snapshots[p - 1].OverfittingText}, {snapshots[p - 1].DropoutText}").ToArray();
        // Legend below the grid, so that two columns fit a notebook's width.
        return Chart.Grid(cells, rows, cols, SubPlotTitles: titles, YGap: 0.3)
            .WithLegendStyle(Orientation: StyleParam.Orientation.Horizontal, X: 0, Y: -0.08)
            .WithSize(360 * cols, 360 * rows + 40);
    }

    /// <summary>
    /// One box of <paramref name="metric"/> per variant over its kept runs, mean ± SD marked and each seed a labelled point;
    /// diverged runs are counted in the title. <paramref name="variants"/> picks and orders the boxes (default: all).
    /// </summary>
    /// <exception cref="ArgumentException">A variant is unknown, or no chosen variant has a kept run.</exception>
    public static GenericChart SeedComparison(IReadOnlyDictionary<string, SeedRuns<RegressionRunResult>> study, RegressionMetric metric,
        IReadOnlyList<string>? variants = null)
    {
        var names = variants ?? study.Keys.ToList();
        var unknown = names.FirstOrDefault(n => !study.ContainsKey(n));
        if (unknown is not null) throw new ArgumentException($"no variant is named '{unknown}'; the variants are: {string.Join(", ", study.Keys)}.", nameof(variants));
        var boxes = names.Select(name => (Name: name, Runs: study[name].Kept)).Where(b => b.Runs.Count > 0).Select(b =>
            Chart.BoxPlot<string, double, string>(
                X: b.Runs.Select(_ => b.Name).ToArray(), Y: b.Runs.Select(r => metric.Of(r.Result)).ToArray(), Name: b.Name,
                Text: null!, MultiText: b.Runs.Select(r => $"seed {r.Seed}").ToArray(),
                BoxPoints: StyleParam.BoxPoints.All, BoxMean: StyleParam.BoxMean.SD, Jitter: 0.3, PointPos: -1.8)).ToList();
        if (boxes.Count == 0) throw new ArgumentException("no chosen variant has a run that did not diverge: there is nothing to plot.", nameof(study));
        int diverged = names.Sum(n => study[n].Diverged.Count);
        int seeds = names.SelectMany(n => study[n].Runs.Select(r => r.Seed)).Distinct().Count();
        string title = $"{metric.Name} after training, {seeds} seeds" + (diverged > 0 ? $" ({diverged} diverged runs not shown)" : "");
        return Chart.Combine(boxes)
            .WithYAxisStyle<double, double, string>(TitleText: metric.Name)
            .WithLegendStyle(Orientation: StyleParam.Orientation.Horizontal, X: 0, Y: -0.25)
            .WithSize(820, 480)
            .WithTitleText(title);
    }

    static string Title(RegressionSnapshot s) => $"after step {s.Step}: {s.OverfittingText}, {s.DropoutText}";

    static GenericChart[] Scatters(RegressionPoints points, bool showLegend) =>
    [
        Chart.Point<float, float, string>(points.X, points.Y, Name: TrainName, ShowLegend: showLegend, Opacity: 0.5,
            MarkerColor: Color.fromString("magenta")),
        Chart.Point<float, float, string>(points.TestX, points.TestY, Name: TestName, ShowLegend: showLegend, Opacity: 0.5,
            MarkerColor: Color.fromString("cyan")),
    ];

    static GenericChart[] Predictions(RegressionSnapshot s, RegressionPoints points, bool showLegend, StyleParam.Visible visible) =>
    [
        Chart.Line<float, float, string>(points.TestX, s.TestPredOverfitting, Name: OverfittingName, ShowLegend: showLegend,
                LineColor: Color.fromString("red"), LineWidth: 3)
            .WithTraceInfo(Visible: visible),
        Chart.Line<float, float, string>(points.TestX, s.TestPredDropout, Name: DropoutName, ShowLegend: showLegend,
                LineColor: Color.fromString("blue"), LineWidth: 3, LineDash: StyleParam.DrawingStyle.Dash)
            .WithTraceInfo(Visible: visible),
    ];

    static void CheckSnapshots(IReadOnlyList<RegressionSnapshot> snapshots, RegressionPoints points)
    {
        if (snapshots.Count == 0) throw new ArgumentException("there is no snapshot to draw (train for at least one snapshot interval).", nameof(snapshots));
        foreach (var s in snapshots)
            if (s.TestPredOverfitting.Length != points.TestX.Length || s.TestPredDropout.Length != points.TestX.Length)
                throw new ArgumentException($"the snapshot after step {s.Step} has {s.TestPredOverfitting.Length} predictions for {points.TestX.Length} test points; were they taken on this test set?", nameof(snapshots));
    }

    static FSharpOption<T> Some<T>(T value) => FSharpOption<T>.Some(value);
}
