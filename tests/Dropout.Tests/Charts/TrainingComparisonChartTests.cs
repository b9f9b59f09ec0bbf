using Dropout.Charts;
using Dropout.Training;
using Plotly.NET;

namespace Dropout.Tests.Charts;

public class TrainingComparisonChartTests
{
    static readonly EpochMetrics[] WithDropout = [new(1, 0.8, 0.7, 0.75, 1), new(2, 0.5, 0.81, 0.8, 1)];
    static readonly EpochMetrics[] Without = [new(1, 0.6, 0.78, 0.77, 1), new(2, 0.41, 0.85, 0.82, 1)];

    [Fact]
    public void EachRunGetsTheThreeSeriesUnderItsLabelInItsOwnLineStyle()
    {
        var json = GenericChart.toJson(TrainingComparisonChart.Create("with vs without", ("dropout 0.2/0.5", WithDropout), ("no dropout", Without)));
        foreach (var name in TrainingChart.SeriesNames)
        {
            Assert.Contains($"\"name\":\"{name} (dropout 0.2/0.5)\"", json);
            Assert.Contains($"\"name\":\"{name} (no dropout)\"", json);
        }
        Assert.Contains("\"y\":[0.6,0.41]", json);
        Assert.Contains("\"y\":[0.75,0.8]", json);
        Assert.Contains("\"dash\":\"solid\"", json);
        Assert.Contains("\"dash\":\"dash\"", json);
        Assert.Contains("\"range\":[0.3,0.9]", json);
        Assert.Contains("with vs without", json);
    }

    [Fact]
    public void BadRunListsAreRejectedWithTheReason()
    {
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => TrainingComparisonChart.Create("t")).Message);
        Assert.Contains("labelled 'a'", Assert.Throws<ArgumentException>(() => TrainingComparisonChart.Create("t", ("a", WithDropout), ("a", Without))).Message);
        Assert.Contains("'b' has no epoch", Assert.Throws<ArgumentException>(() => TrainingComparisonChart.Create("t", ("a", WithDropout), ("b", []))).Message);
        var five = Enumerable.Range(0, 5).Select(i => ($"r{i}", (IEnumerable<EpochMetrics>)WithDropout)).ToArray();
        Assert.Contains("at most 4", Assert.Throws<ArgumentException>(() => TrainingComparisonChart.Create("t", five)).Message);
    }
}
