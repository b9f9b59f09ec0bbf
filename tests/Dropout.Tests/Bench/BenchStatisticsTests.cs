using Dropout.Benchmarks;

namespace Dropout.Tests.Bench;

public class BenchStatisticsTests
{
    [Fact]
    public void MedianOfAnOddCountIsTheMiddleValue() => Assert.Equal(2.0, BenchStatistics.Median([3.0, 1.0, 2.0]));

    [Fact]
    public void MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() => Assert.Equal(2.5, BenchStatistics.Median([4.0, 1.0, 3.0, 2.0]));

    [Fact]
    public void MedianIgnoresOneSlowOutlier() => Assert.Equal(1.0, BenchStatistics.Median([1.0, 0.9, 1.1, 1.0, 50.0]));

    [Fact]
    public void MedianOfNothingOrNaNIsRejected()
    {
        Assert.Contains("no values", Assert.Throws<ArgumentException>(() => BenchStatistics.Median([])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => BenchStatistics.Median([1.0, double.NaN])).Message);
    }
}
