using System.Text.Json;
using Dropout.Native;
using Dropout.Regression;
using Dropout.Training;
using Plotly.NET;
using static TorchSharp.torch;

namespace Dropout.Tests.Regression;

public class RegressionChartsTests
{
    public RegressionChartsTests() => TorchNative.Ensure();

    static RegressionPoints Points()
    {
        var x = unsqueeze(linspace(-1, 1, 5), 1);
        return RegressionPoints.Of(x, x * 2, x, x * 3);
    }

    static List<RegressionSnapshot> Snapshots(int count) => Enumerable.Range(1, count)
        .Select(i => new RegressionSnapshot(i * 50, [.. Enumerable.Repeat((float)i, 5)], [.. Enumerable.Repeat(-(float)i, 5)], 0.1 * i, 0.01 * i))
        .ToList();

    static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    [Fact]
    public void AnimationHasASliderStepPerSnapshotShowingOnlyItsPair()
    {
        var root = Json(RegressionChart.Animation(Snapshots(10), Points()));
        var traces = root.GetProperty("data");
        Assert.Equal(2 + 2 * 10, traces.GetArrayLength());
        var slider = root.GetProperty("layout").GetProperty("sliders")[0];
        Assert.Equal(9, slider.GetProperty("active").GetInt32());
        var steps = slider.GetProperty("steps");
        Assert.Equal(10, steps.GetArrayLength());
        for (int i = 0; i < 10; i++)
        {
            var step = steps[i];
            Assert.Equal("update", step.GetProperty("method").GetString());
            Assert.Equal(((i + 1) * 50).ToString(), step.GetProperty("label").GetString());
            var visible = step.GetProperty("args")[0].GetProperty("visible").EnumerateArray().Select(v => v.GetBoolean()).ToList();
            Assert.Equal(22, visible.Count);
            Assert.Equal([0, 1, 2 + 2 * i, 3 + 2 * i], visible.Select((v, k) => (v, k)).Where(p => p.v).Select(p => p.k));
            string title = step.GetProperty("args")[1].GetProperty("title.text").GetString()!;
            Assert.Equal($"after step {(i + 1) * 50}: overfitting loss={0.1 * (i + 1):F4}, dropout loss={0.01 * (i + 1):F4}", title);
        }
        // Only the last pair is visible at first, matching the slider's active step.
        var initiallyVisible = traces.EnumerateArray().Select(t => !t.TryGetProperty("visible", out var v) || v.ValueKind == JsonValueKind.True).ToList();
        Assert.Equal([0, 1, 20, 21], initiallyVisible.Select((v, k) => (v, k)).Where(p => p.v).Select(p => p.k));
    }

    [Fact]
    public void PredictionCurvesUseTheSourcesNamesAndStyles()
    {
        string json = GenericChart.toJson(RegressionChart.Animation(Snapshots(1), Points()));
        Assert.Contains("\"name\":\"overfitting\"", json);
        Assert.Contains("\"name\":\"dropout(50%)\"", json);
        Assert.Contains("\"dash\":\"dash\"", json);
        Assert.Contains("\"name\":\"train\"", json);
        Assert.Contains("\"range\":[-2.5,2.5]", json);
    }

    [Fact]
    public void PicturesAreAGridTitledWithTheSourcesLossTexts()
    {
        var snapshots = Snapshots(10);
        var root = Json(RegressionChart.Pictures(snapshots, [1, 4, 7, 10], Points()));
        var grid = root.GetProperty("layout").GetProperty("grid");
        Assert.Equal(2, grid.GetProperty("rows").GetInt32());
        Assert.Equal(2, grid.GetProperty("columns").GetInt32());
        var titles = root.GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToList();
        Assert.Equal(4, titles.Count);
        Assert.Equal("picture 4: after step 200<br>overfitting loss=0.4000, dropout loss=0.0400", titles[1]);
        Assert.Equal(4 * 4, root.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void PicturesOutsideTheSnapshotsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => RegressionChart.Pictures(Snapshots(3), [1, 4], Points()));
        Assert.Contains("picture 4 does not exist: there are 3 snapshots", e.Message);
        Assert.Throws<ArgumentException>(() => RegressionChart.Pictures(Snapshots(3), [], Points()));
        Assert.Throws<ArgumentException>(() => RegressionChart.Animation([], Points()));
    }

    [Fact]
    public void SnapshotsFromAnotherTestSetAreRejected()
    {
        var wrong = new RegressionSnapshot(50, new float[3], new float[3], 0.1, 0.1);
        var e = Assert.Throws<ArgumentException>(() => RegressionChart.Animation([wrong], Points()));
        Assert.Contains("3 predictions for 5 test points", e.Message);
    }

    [Fact]
    public void SeedComparisonHasABoxPerVariantWithEveryKeptSeed()
    {
        var plain = new RegressionVariant("no dropout", false, 0.01);
        var dropped = new RegressionVariant("dropout", true, 0.01);
        RegressionRunResult Run(long seed, RegressionVariant v, double loss, bool diverged = false) =>
            new(seed, v, 0.01, loss, loss, 0.02, diverged ? new Divergence(50, 9, 0.4, "step") : null);
        var summary = RegressionStudy.BySetting([Run(1, plain, 0.2), Run(1, dropped, 0.1), Run(2, plain, 0.12), Run(2, dropped, 8, diverged: true)]);
        var root = Json(RegressionChart.SeedComparison(summary, RegressionMetric.LargeTestLoss));
        var data = root.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        Assert.All(data.EnumerateArray(), t => Assert.Equal("box", t.GetProperty("type").GetString()));
        Assert.Equal([0.2, 0.12], data[0].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0.1], data[1].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));   // the diverged seed is left out...
        Assert.Contains("1 diverged runs not shown", root.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());   // ...and counted
        var onlyDropout = RegressionStudy.BySetting([Run(1, dropped, 8, diverged: true)]);
        Assert.Throws<ArgumentException>(() => RegressionChart.SeedComparison(onlyDropout, RegressionMetric.LargeTestLoss));
        var unknown = Assert.Throws<ArgumentException>(() => RegressionChart.SeedComparison(summary, RegressionMetric.LargeTestLoss, ["L7"]));
        Assert.Contains("no variant is named 'L7'", unknown.Message);
    }

    [Fact]
    public void DataChartHasBothSets()
    {
        string json = GenericChart.toJson(RegressionChart.Data(Points()));
        Assert.Contains("\"name\":\"train\"", json);
        Assert.Contains("\"name\":\"test\"", json);
        Assert.Contains("\"y\":[-3.0,-1.5,0.0,1.5,3.0]", json);
    }

    [Fact]
    public void PointsOfMismatchedLengthsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => RegressionPoints.Of(zeros(3, 1), zeros(4, 1), zeros(2, 1), zeros(2, 1)));
        Assert.Contains("3 x and 4 y", e.Message);
    }
}
