using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.LayoutObjects;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout;

/// <summary>The regression demo's training and test points as plain arrays, ready to plot.</summary>
/// <param name="X">Training inputs.</param>
/// <param name="Y">Training targets.</param>
/// <param name="TestX">Test inputs (the source's test_x; its predictions are drawn at these).</param>
/// <param name="TestY">Test targets.</param>
public sealed record RegressionPoints(float[] X, float[] Y, float[] TestX, float[] TestY)
{
    /// <summary>Copies four [n, 1] (or [n]) tensors.</summary>
    /// <exception cref="ArgumentException">A pair has different lengths.</exception>
    public static RegressionPoints Of(Tensor x, Tensor y, Tensor test_x, Tensor test_y)
    {
        var points = new RegressionPoints(Values(x), Values(y), Values(test_x), Values(test_y));
        if (points.X.Length != points.Y.Length || points.TestX.Length != points.TestY.Length)
            throw new ArgumentException($"x and y must have one value per point: got {points.X.Length} x and {points.Y.Length} y, {points.TestX.Length} test_x and {points.TestY.Length} test_y.");
        return points;
    }

    static float[] Values(Tensor t)
    {
        using var flat = t.detach().to_type(ScalarType.Float32).reshape(-1).cpu();
        return flat.data<float>().ToArray();
    }
}

/// <summary>
/// Morvan's pictures with Plotly.NET: the data scatter, the animation of the two nets' test predictions
/// (as a slider over the snapshots), a grid of chosen snapshots, and the multi-seed comparison.
/// </summary>
public static class RegressionChart
{
    /// <summary>The source's colours and names: train magenta, test cyan, overfitting red solid, dropout blue dashed.</summary>
    public const string TrainName = "train", TestName = "test", OverfittingName = "overfitting", DropoutName = "dropout(50%)";

    static readonly Tuple<double, double> YRange = Tuple.Create(-2.5, 2.5);

    /// <summary>The source's first picture: training points (magenta) and test points (cyan), y in [-2.5, 2.5].</summary>
    public static GenericChart Data(RegressionPoints points) =>
        Chart.Combine(Scatters(points, showLegend: true))
            .WithXAxisStyle<double, double, string>(TitleText: "x")
            .WithYAxisStyle<double, double, string>(TitleText: "y", MinMax: YRange)
            .WithSize(640, 420)
            .WithTitleText("Morvan's data: y = x + 0.3·N(0, 1)");

    /// <summary>
    /// The animation as one chart: the points, and for each snapshot the two prediction curves, of which a
    /// slider shows one pair at a time (Plotly.NET has no animation frames, so each slider step toggles
    /// trace visibility and sets the title to the source's two loss texts). Starts at the last snapshot.
    /// </summary>
    /// <exception cref="ArgumentException">There is no snapshot, or a snapshot's predictions do not match the test points.</exception>
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

    /// <summary>
    /// The pictures the blog prints, as a grid of subplots (two columns): snapshot numbers are 1-based
    /// (the blog's 1, 4, 7, 10), each subplot titled with its step and the source's two loss texts.
    /// </summary>
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
    /// The multi-seed study: one box per net (mean and ± one standard deviation marked, every seed's loss
    /// shown as a point).
    /// </summary>
    /// <exception cref="ArgumentException">There is no result.</exception>
    public static GenericChart SeedComparison(IReadOnlyList<RegressionSeedResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("there is no seed to plot (run at least one).", nameof(results));
        var nets = new (string Name, Func<RegressionSeedResult, double> Loss)[]
        {
            ("overfitting", r => r.Overfitting), ("dropout", r => r.Dropout), ("L2 (weight_decay)", r => r.L2), ("L1 (λ·Σ|w|)", r => r.L1),
        };
        var boxes = nets.Select(n => Chart.BoxPlot<string, double, string>(
            X: results.Select(_ => n.Name).ToArray(), Y: results.Select(n.Loss).ToArray(), Name: n.Name,
            Text: null!, MultiText: results.Select(r => $"seed {r.Seed}").ToArray(),
            BoxPoints: StyleParam.BoxPoints.All, BoxMean: StyleParam.BoxMean.SD, Jitter: 0.3, PointPos: -1.8));
        return Chart.Combine(boxes)
            .WithYAxisStyle<double, double, string>(TitleText: "test loss (MSE, eval mode)")
            .WithSize(720, 440)
            .WithTitleText($"Test loss after training, {results.Count} seeds");
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
