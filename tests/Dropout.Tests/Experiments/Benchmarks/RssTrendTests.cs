using Dropout.Experiments.Benchmarks;

namespace Dropout.Tests.Experiments.Benchmarks;

public class RssTrendTests
{
    [Fact]
    public void TheHalvesSplitAtTheMiddleEpoch()
    {
        var trend = RssTrend.From([500, 520, 540, 545, 546, 546, 546, 547, 547, 547]);
        Assert.Equal((500.0, 546.0, 547.0), (trend.FirstMiB, trend.MiddleMiB, trend.LastMiB)); // epochs 1, 5, 10
        Assert.Equal((4, 5), (trend.FirstHalfEpochs, trend.LastHalfEpochs));
        Assert.Equal(46, trend.WarmupRiseMiB, 9);
        Assert.Equal(0.2, trend.LastHalfMiBPerEpoch, 9);
    }

    [Fact]
    public void ARiseThatLevelsOffIsAPlateauNotALeak()
    {
        // What the issue measured: about 450 MiB over the first 40 epochs, then flat (here over 100 epochs, so that the
        // rise fits in the first half; a rise longer than half the run reads as "still growing", as it should).
        var rss = Enumerable.Range(0, 100).Select(i => i < 40 ? 520.0 + 450 * i / 40 : 970.0 + (i % 2)).ToList();
        var trend = RssTrend.From(rss);
        Assert.False(trend.Grows);
        Assert.StartsWith("plateau after a warm-up rise of", trend.Verdict);
    }

    [Fact]
    public void NoRiseIsFlat()
    {
        var trend = RssTrend.From([480, 481, 481, 480, 482, 481]);
        Assert.False(trend.Grows);
        Assert.StartsWith("flat:", trend.Verdict);
    }

    [Fact]
    public void SteadyGrowthIsCaughtHoweverItStarted()
    {
        // One leaked 256×256 float activation per step of d2l's setting: 235 × 256 KiB ≈ 59 MiB per epoch.
        var leak = RssTrend.From(Enumerable.Range(0, 10).Select(i => 500 + 58.75 * i).ToList());
        Assert.True(leak.Grows);
        Assert.StartsWith("still growing", leak.Verdict);
        // A slow leak just above the line, after a warm-up rise, is still a leak.
        var slow = RssTrend.From(Enumerable.Range(0, 20).Select(i => i < 5 ? 500.0 + 80 * i : 820 + 2.5 * (i - 5)).ToList());
        Assert.True(slow.Grows);
    }

    [Fact]
    public void GrowthJustUnderTheLineIsNotALeak()
    {
        var trend = RssTrend.From(Enumerable.Range(0, 9).Select(i => 500 + 1.9 * i).ToList());
        Assert.False(trend.Grows);
    }

    [Fact]
    public void TooFewEpochsCannotBeSplit() =>
        Assert.Contains("at least 3 epochs", Assert.Throws<ArgumentException>(() => RssTrend.From([500, 510])).Message);
}
