using Dropout.Charts;
using Dropout.Experiments.Charts;
using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

public class StudyChartsTests
{
    static StudyResults Grid()
    {
        var rows = new List<StudyRow>();
        foreach (double p1 in new[] { 0.0, 0.5 })
            foreach (double p2 in new[] { 0.0, 0.5 })
                foreach (int seed in new[] { 0, 1 })
                    if (!(p1 == 0.5 && p2 == 0.5))
                        rows.Add(new("concise", p1, p2, seed, 1, 0.4 + p1, 0.8, 0.8 - p2 / 10 + seed / 100.0, 1));
        return StudySummary.Results(rows);
    }

    [Fact]
    public void FinalMetricChartsCarryTheStandardDeviationsAsErrorBars()
    {
        string html = ChartHtml.ToStandaloneHtml(StudyCharts.TestAccuracy(Grid()));
        Assert.Contains("\"error_y\"", html);
        Assert.Contains("(0.5, 0)", html);
        Assert.Contains("0.0070710678118654", html); // std of 0.8 and 0.81
        Assert.Contains("\"error_y\"", ChartHtml.ToStandaloneHtml(StudyCharts.TrainLoss(Grid())));
    }

    [Fact]
    public void TheHeatmapLeavesMissingCellsEmpty()
    {
        string html = ChartHtml.ToStandaloneHtml(StudyCharts.TestAccuracyHeatmap(Grid()));
        Assert.Contains("\"type\":\"heatmap\"", html);
        Assert.Contains("NaN", html);
        Assert.Contains("0.805", html);
    }

    [Fact]
    public void LossCurvesHaveOneLinePerPair()
    {
        string html = ChartHtml.ToStandaloneHtml(StudyCharts.TrainLossCurves(Grid()));
        foreach (string name in new[] { "(0, 0)", "(0, 0.5)", "(0.5, 0)" })
            Assert.Contains($"\"name\":\"{name}\"", html);
        Assert.DoesNotContain("\"name\":\"(0.5, 0.5)\"", html);
    }
}
