using Dropout.Benchmarks;
using Dropout.Cli.Bench;

namespace Dropout.Tests.Bench;

public class BenchReportTests
{
    static BenchEpoch Epoch(int n, double train, double eval, double rssMiB, double peakMiB) =>
        new(n, train, eval, 235, 0.5, 0.8, 0.8, new ProcessMemory((long)(rssMiB * 1024 * 1024), (long)(peakMiB * 1024 * 1024)), 2 * (train + eval));

    static BenchSide Side(string name, double scale) => new(name, 2 * scale, 60_000,
        [Epoch(1, 9 * scale, 1 * scale, 500, 510), Epoch(2, 1.0 * scale, 0.1 * scale, 520, 530), Epoch(3, 0.8 * scale, 0.1 * scale, 521, 530),
         Epoch(4, 0.9 * scale, 0.2 * scale, 530, 540)],
        [150 / scale, 140 / scale, 160 / scale]);

    [Fact]
    public void MediansLeaveTheWarmUpOut()
    {
        var ts = Side("TorchSharp", 1);
        var report = new BenchReport(ts, null, warmup: 1, MlpTrainingFlops.D2l);
        Assert.Equal(0.9, report.TrainSeconds(ts), 12);
        Assert.Equal(0.1, report.EvalSeconds(ts), 12);
        Assert.Equal(1.1, report.EpochSeconds(ts), 12); // median of 1.1, 0.9, 1.1
        Assert.Equal(235 / 0.9, report.StepsPerSecond(ts), 9);
        Assert.Equal(2.2, report.CpuSeconds(ts), 12);
        // 60,000 samples × 1,211,392 FLOPs each over 0.9 s.
        Assert.Equal(60_000.0 * 1_211_392 / 0.9 / 1e9, report.TrainingGflops(ts), 9);
        Assert.Equal(150, BenchReport.CeilingGflops(ts));
        Assert.Equal(520, BenchReport.RssAfterEpoch2(ts), 6);
        Assert.Equal(540, BenchReport.PeakRss(ts), 6);
    }

    [Fact]
    public void RatiosAndTargetsComparePeerAndTorchSharp()
    {
        var report = new BenchReport(Side("TorchSharp", 1), Side("PyTorch", 3), warmup: 1, MlpTrainingFlops.D2l);
        string text = report.ToString();
        Assert.Contains("TorchSharp / PyTorch", text);
        Assert.Contains("0.33", report.SummaryTable()); // every time is a third of the peer's
        var targets = report.Targets().ToDictionary(t => t.Target, t => t.Met);
        Assert.True(targets["train + eval ≤ 1.2 s"]); // 1.1 s
        Assert.True(targets["≥ 2× faster per epoch than PyTorch"]);
        Assert.False(targets["training step ≥ 70 % of the matmul ceiling"]); // 80.8 GFLOP/s of 150
        Assert.True(targets["RSS growth epoch 2 → last < 50 MiB"]);
        Assert.Contains("1 (warm-up)", report.EpochTable());
    }

    [Fact]
    public void RatioOfZeroIsADash() => Assert.Equal("–", BenchReport.Ratio(1, 0));

    [Fact]
    public void NoMeasuredEpochIsRejected()
    {
        var side = new BenchSide("TorchSharp", 1, 60_000, [Epoch(1, 1, 0.1, 500, 500)], [100]);
        Assert.Contains("at least one after the 1 warm-up", Assert.Throws<ArgumentException>(() => BenchReport.Measured(side, 1)).Message);
    }
}
