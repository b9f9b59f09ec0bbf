using Dropout.Charts;
using Dropout.Experiments.Charts;
using Dropout.Training;
using Plotly.NET;

namespace Dropout.Tests.Charts;

public class ChartsTests
{
    static readonly EpochMetrics[] History =
    [
        new(1, 0.8, 0.7, 0.75, 1), new(2, 0.5, 0.81, 0.8, 1), new(3, 0.42, 0.84, 0.83, 1),
    ];

    [Fact]
    public void TrainingChartHasTheAnimatorsThreeSeriesAndAxes()
    {
        var json = GenericChart.toJson(TrainingChart.Create(History, "dropout 0.2/0.5"));
        foreach (var name in TrainingChart.SeriesNames) Assert.Contains($"\"name\":\"{name}\"", json);
        Assert.Contains("\"range\":[0.3,0.9]", json);
        Assert.Contains("dropout 0.2/0.5", json);
        Assert.Contains("\"y\":[0.8,0.5,0.42]", json);
        Assert.Contains("\"x\":[1,2,3]", json);
    }

    [Fact]
    public void EmptyHistoryIsRejected()
    {
        Assert.Throws<ArgumentException>(() => TrainingChart.Create([]));
    }

    [Fact]
    public void SavedHtmlIsSelfContained()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            string path = Path.Combine(dir, "sub", "curve.html");
            ChartHtml.Save(TrainingChart.Create(History), path);
            string html = File.ReadAllText(path);
            Assert.True(html.Length > 1_000_000, "plotly.js must be inline");
            Assert.DoesNotContain("<script src=\"http", html);
            Assert.Contains("Plotly.newPlot", html);
            // A browser must not have to guess the encoding (it garbled plotly's minus sign when it did).
            Assert.Matches("<head>\\s*<meta charset=\"utf-8\">", html);
            Assert.Equal(["curve.html"], Directory.GetFiles(Path.Combine(dir, "sub")).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, true); }
    }
}
