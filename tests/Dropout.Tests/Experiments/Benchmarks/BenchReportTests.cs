using Dropout.Cli.Bench;
using Dropout.Experiments.Benchmarks;

namespace Dropout.Tests.Experiments.Benchmarks;

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
        Assert.Equal(540, BenchReport.PeakRss(ts), 6);
        var rss = BenchReport.Rss(ts)!; // epochs 1, 2 | 2 → 4
        Assert.Equal((20.0, 10.0), (rss.WarmupRiseMiB, rss.LastHalfGrowthMiB));
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
        Assert.False(targets["training step ≥ 60 % of the matmul ceiling"]); // 80.8 GFLOP/s of 150
        Assert.False(targets["RSS not growing over the last half of the epochs (< 2 MiB/epoch)"]); // 10 MiB over 2 epochs
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

public class BenchReportRssTests
{
    static BenchEpoch Epoch(int n, double rssMiB) =>
        new(n, 1, 0.1, 235, 0.5, 0.8, 0.8, new ProcessMemory((long)(rssMiB * 1024 * 1024), (long)(rssMiB * 1024 * 1024)), 2.2);

    static BenchReport Report(params double[] rss)
    {
        var side = new BenchSide("fast", 1, 60_000, rss.Select((r, i) => Epoch(i + 1, r)).ToList(), rss.Skip(1).Select(_ => 100.0).ToList());
        return new BenchReport(side, null, warmup: 1, MlpTrainingFlops.D2l);
    }

    [Fact]
    public void AWarmUpRiseThenAPlateauMeetsTheTarget()
    {
        // The pattern, compressed: a rise over the first epochs, then flat. The old "growth epoch 2 → last" failed it.
        var report = Report(520, 700, 900, 968, 970, 970, 971, 970, 970, 970);
        var rss = report.Targets().Single(t => t.Target.StartsWith("RSS", StringComparison.Ordinal));
        Assert.True(rss.Met);
        Assert.StartsWith("plateau after a warm-up rise of 450.0 MiB", rss.Measured);
        Assert.Contains("RSS rise over the first half (MiB)", report.SummaryTable());
    }

    [Fact]
    public void SteadyGrowthFailsTheTarget()
    {
        var report = Report(500, 560, 620, 680, 740, 800);
        Assert.False(report.Targets().Single(t => t.Target.StartsWith("RSS", StringComparison.Ordinal)).Met);
    }

    [Fact]
    public void TwoEpochsAreTooFewToJudgeMemory()
    {
        var report = Report(500, 600);
        Assert.DoesNotContain(report.Targets(), t => t.Target.StartsWith("RSS", StringComparison.Ordinal));
        Assert.Contains("n/a", report.SummaryTable());
    }

    [Fact]
    public void ABaselineLoopIsComparedWithoutThePytorchTarget()
    {
        var fast = new BenchSide("fast", 1, 60_000, [Epoch(1, 500), Epoch(2, 500), Epoch(3, 500)], [100, 100]);
        var teaching = fast with { Name = "teaching" };
        var report = new BenchReport(fast, teaching, warmup: 1, MlpTrainingFlops.D2l);
        Assert.Contains("fast / teaching", report.SummaryTable());
        Assert.DoesNotContain(report.Targets(), t => t.Target.Contains("faster per epoch than", StringComparison.Ordinal));
        Assert.Contains("both loops ran in this one process", report.ToString());
    }
}
