using System.Globalization;
using System.Text;
using Dropout.Benchmarks;

namespace Dropout.Cli.Bench;

/// <summary>
/// Turns a bench run into the summary table (medians over the epochs after the warm-up), the per-epoch
/// table and the issue's targets, with TorchSharp / PyTorch ratios when a peer ran.
/// </summary>
public sealed class BenchReport(BenchSide torchSharp, BenchSide? peer, int warmup, MlpTrainingFlops flops)
{
    /// <summary>Target: one training epoch plus evaluation, in seconds.</summary>
    public const double EpochTargetSeconds = 1.2;
    /// <summary>Target: PyTorch's epoch time divided by TorchSharp's.</summary>
    public const double SpeedupTarget = 2.0;
    /// <summary>Target: achieved GFLOP/s of the training step as a fraction of the matrix-product ceiling.</summary>
    public const double CeilingFractionTarget = 0.7;
    /// <summary>Target: RSS growth from epoch 2 to the last, in MiB.</summary>
    public const double RssGrowthTargetMiB = 50;
    /// <summary>Target: peak RSS, in MiB.</summary>
    public const double PeakRssTargetMiB = 1536;

    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The epochs the medians are taken over: all after the warm-up.</summary>
    public static IReadOnlyList<BenchEpoch> Measured(BenchSide side, int warmup) =>
        side.Epochs.Count > warmup ? side.Epochs.Skip(warmup).ToList()
            : throw new ArgumentException($"{side.Name} ran {side.Epochs.Count} epochs; at least one after the {warmup} warm-up epoch(s) is needed.");

    /// <summary>Median train time (s) over the measured epochs.</summary>
    public double TrainSeconds(BenchSide s) => BenchStatistics.Median(Measured(s, warmup).Select(e => e.TrainSeconds));
    /// <summary>Median evaluation time (s).</summary>
    public double EvalSeconds(BenchSide s) => BenchStatistics.Median(Measured(s, warmup).Select(e => e.EvalSeconds));
    /// <summary>Median train + evaluation time (s).</summary>
    public double EpochSeconds(BenchSide s) => BenchStatistics.Median(Measured(s, warmup).Select(e => e.EpochSeconds));
    /// <summary>Median process CPU time (all threads) of train + evaluation, s.</summary>
    public double CpuSeconds(BenchSide s) => BenchStatistics.Median(Measured(s, warmup).Select(e => e.CpuSeconds));
    /// <summary>Median SGD steps per second.</summary>
    public double StepsPerSecond(BenchSide s) => BenchStatistics.Median(Measured(s, warmup).Select(e => e.StepsPerSecond));
    /// <summary>Counted training FLOPs of an epoch over the median train time, in GFLOP/s.</summary>
    public double TrainingGflops(BenchSide s) => flops.TrainingStepPerSample * s.TrainSamples / TrainSeconds(s) / 1e9;
    /// <summary>Median matrix-product ceiling (GFLOP/s).</summary>
    public static double CeilingGflops(BenchSide s) => BenchStatistics.Median(s.CeilingGflops);
    /// <summary>RSS after epoch 2 (the first after a one-epoch warm-up), MiB.</summary>
    public static double RssAfterEpoch2(BenchSide s) => s.Epochs[Math.Min(1, s.Epochs.Count - 1)].Memory.RssMiB;
    /// <summary>RSS after the last epoch, MiB.</summary>
    public static double RssAfterLast(BenchSide s) => s.Epochs[^1].Memory.RssMiB;
    /// <summary>Peak RSS of the whole run, MiB.</summary>
    public static double PeakRss(BenchSide s) => s.Epochs.Max(e => e.Memory.PeakRssMiB);

    sealed record Figure(string Name, Func<BenchSide, double> Value, string Format);

    IReadOnlyList<Figure> Figures =>
    [
        new("data load (s)", s => s.LoadSeconds, "0.00"),
        new("train epoch, 60k images (s)", TrainSeconds, "0.000"),
        new("eval, 10k images (s)", EvalSeconds, "0.000"),
        new("train + eval (s)", EpochSeconds, "0.000"),
        new("CPU time of train + eval, all threads (s)", CpuSeconds, "0.000"),
        new("steps/s", StepsPerSecond, "0"),
        new("training step GFLOP/s", TrainingGflops, "0.0"),
        new("matmul ceiling GFLOP/s", CeilingGflops, "0.0"),
        new("achieved / ceiling (%)", s => 100 * TrainingGflops(s) / CeilingGflops(s), "0"),
        new("RSS after epoch 2 (MiB)", RssAfterEpoch2, "0"),
        new("RSS after last epoch (MiB)", RssAfterLast, "0"),
        new("RSS growth epoch 2 → last (MiB)", s => RssAfterLast(s) - RssAfterEpoch2(s), "0.0"),
        new("peak RSS (MiB)", PeakRss, "0"),
    ];

    /// <summary>Medians and memory, one row per figure; with a peer, its column and the ratio TorchSharp / PyTorch.</summary>
    public string SummaryTable()
    {
        var headers = new List<string> { $"figure (median of {torchSharp.Epochs.Count - warmup} epoch(s) after {warmup} warm-up)", torchSharp.Name };
        if (peer is not null) headers.AddRange([peer.Name, $"{torchSharp.Name} / {peer.Name}"]);
        var rows = Figures.Select(f =>
        {
            double ts = f.Value(torchSharp);
            var row = new List<string> { f.Name, ts.ToString(f.Format, Invariant) };
            if (peer is not null)
            {
                double pt = f.Value(peer);
                row.Add(pt.ToString(f.Format, Invariant));
                row.Add(Ratio(ts, pt));
            }
            return (IReadOnlyList<string>)row;
        });
        return TextTable.Format(headers, rows);
    }

    /// <summary>A / B with two decimals, or "–" when B is zero.</summary>
    public static string Ratio(double a, double b) => b == 0 || !double.IsFinite(a / b) ? "–" : (a / b).ToString("0.00", Invariant);

    /// <summary>One row per epoch: times, test accuracy and RSS of each side; warm-up epochs marked.</summary>
    public string EpochTable()
    {
        var headers = new List<string> { "epoch", "TS train s", "TS eval s", "TS CPU s", "TS test acc", "TS RSS MiB" };
        if (peer is not null) headers.AddRange(["PT train s", "PT eval s", "PT CPU s", "PT test acc", "PT RSS MiB"]);
        var rows = torchSharp.Epochs.Select((e, i) =>
        {
            var row = new List<string> { e.Epoch + (i < warmup ? " (warm-up)" : ""), e.TrainSeconds.ToString("0.000", Invariant),
                e.EvalSeconds.ToString("0.000", Invariant), e.CpuSeconds.ToString("0.000", Invariant), e.TestAcc.ToString("0.0000", Invariant), e.Memory.RssMiB.ToString("0", Invariant) };
            if (peer is not null)
            {
                var p = i < peer.Epochs.Count ? peer.Epochs[i] : null;
                row.AddRange(p is null ? ["", "", "", "", ""] : [p.TrainSeconds.ToString("0.000", Invariant), p.EvalSeconds.ToString("0.000", Invariant),
                    p.CpuSeconds.ToString("0.000", Invariant),
                    p.TestAcc.ToString("0.0000", Invariant), p.Memory.RssMiB.ToString("0", Invariant)]);
            }
            return (IReadOnlyList<string>)row;
        });
        return TextTable.Format(headers, rows);
    }

    /// <summary>The issue's targets, each with the measured value and whether it is met.</summary>
    public IReadOnlyList<(string Target, string Measured, bool Met)> Targets()
    {
        var targets = new List<(string, string, bool)>
        {
            ($"train + eval ≤ {EpochTargetSeconds} s", $"{EpochSeconds(torchSharp).ToString("0.000", Invariant)} s", EpochSeconds(torchSharp) <= EpochTargetSeconds),
        };
        if (peer is not null)
        {
            double speedup = EpochSeconds(peer) / EpochSeconds(torchSharp);
            targets.Add(($"≥ {SpeedupTarget}× faster per epoch than {peer.Name}", $"{speedup.ToString("0.00", Invariant)}×", speedup >= SpeedupTarget));
        }
        double fraction = TrainingGflops(torchSharp) / CeilingGflops(torchSharp);
        targets.Add(($"training step ≥ {CeilingFractionTarget:P0} of the matmul ceiling", fraction.ToString("P0", Invariant), fraction >= CeilingFractionTarget));
        double growth = RssAfterLast(torchSharp) - RssAfterEpoch2(torchSharp);
        targets.Add(($"RSS growth epoch 2 → last < {RssGrowthTargetMiB} MiB", $"{growth.ToString("0.0", Invariant)} MiB", growth < RssGrowthTargetMiB));
        targets.Add(($"peak RSS < {PeakRssTargetMiB / 1024} GiB", $"{PeakRss(torchSharp).ToString("0", Invariant)} MiB", PeakRss(torchSharp) < PeakRssTargetMiB));
        return targets;
    }

    /// <summary>The whole report: summary, per-epoch table, targets.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(SummaryTable());
        text.AppendLine(EpochTable());
        text.AppendLine("targets (this machine, medians, same run):");
        foreach (var (target, measured, met) in Targets())
            text.AppendLine($"  [{(met ? "met" : "NOT met")}] {target}: {measured}");
        return text.ToString();
    }
}
