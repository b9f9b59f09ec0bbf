using Dropout.Exercises;
using Dropout.Statistics;
using Plotly.NET;

namespace Dropout.Tests.Exercises;

public class ExerciseChartsTests
{
    [Fact]
    public void CurvesCarryMeansAndStandardErrorsAndLeaveGapsWhereNoRunIsLeft()
    {
        var a = new Sample?[] { Sample.Of([0.1, 0.3]), null, Sample.Of([0.5, 0.7]) };
        string json = GenericChart.toFigureJson(ExerciseCharts.Curves("t", "gap", ("with dropout", a)));
        Assert.Contains("\"name\":\"with dropout\"", json);
        Assert.Contains("0.2", json);
        Assert.Contains("NaN", json);
        double se = Sample.Of([0.1, 0.3]).StdError!.Value;
        Assert.Contains(se.ToString(System.Globalization.CultureInfo.InvariantCulture)[..6], json);
        Assert.Contains("\"error_y\"", json);
        Assert.Throws<ArgumentException>(() => ExerciseCharts.Curves("t", "y"));
        Assert.Throws<ArgumentException>(() => ExerciseCharts.Curves("t", "y", ("empty", new Sample?[] { null })));
    }

    [Fact]
    public void PointsNeedOneValuePerCategory()
    {
        var values = new Sample?[] { Sample.Of([0.8, 0.82]), Sample.Of([0.7, 0.74]) };
        string json = GenericChart.toFigureJson(ExerciseCharts.Points("t", "weight decay", "test acc", ["0", "1e-3"], ("dropout", values)));
        Assert.Contains("\"1e-3\"", json);
        Assert.Contains("\"error_y\"", json);
        Assert.Throws<ArgumentException>(() => ExerciseCharts.Points("t", "x", "y", ["0"], ("dropout", values)));
    }
}
