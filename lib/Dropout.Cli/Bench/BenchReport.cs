using System.Globalization;
using System.Text;
using Dropout.Charts;
using Dropout.Experiments.Benchmarks;
using Dropout.Experiments.Charts;
using Dropout.Statistics;

namespace Dropout.Cli.Bench;

/// <summary>
/// A bench run as the summary table (medians after the warm-up), the per-epoch table and the targets. With a second side
/// (PyTorch, or another of the project's loops run in alternation) each figure gets its column and the ratio of the two.
/// </summary>
internal sealed class BenchReport(BenchSide main, BenchSide? other, int warmup, MlpTrainingFlops flops)
{
    /// <summary>The name of the PyTorch reference's side; only against it does the speed-up target apply.</summary>
    public const string PyTorchName = "PyTorch";
    /// <summary>Target: one training epoch plus evaluation, in seconds.</summary>
    public const double EpochTargetSeconds = 1.2;
    /// <summary>Target: PyTorch's epoch time divided by TorchSharp's.</summary>
    public const double SpeedupTarget = 2.0;
    /// <summary>Target (issue 10): achieved GFLOP/s of the training step as a fraction of the matrix-product ceiling.</summary>
    public const double CeilingFractionTarget = 0.6;
    /// <summary>Target: peak RSS, in MiB.</summary>
    public const double PeakRssTargetMiB = 1536;

    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The epochs the medians are taken over: all after the warm-up.</summary>
    public static IReadOnlyList<BenchEpoch> Measured(BenchSide side, int warmup) =>
        side.Epochs.Count > warmup ? side.Epochs.Skip(warmup).ToList()
            : throw new ArgumentException($"{side.Name} ran {side.Epochs.Count} epochs; at least one after the {warmup} warm-up epoch(s) is needed.");

    /// <summary>Median train time (s) over the measured epochs.</summary>
    public double TrainSeconds(BenchSide s) => Sample.Of(Measured(s, warmup).Select(e => e.TrainSeconds)).Median;
    /// <summary>Median evaluation time (s).</summary>
    public double EvalSeconds(BenchSide s) => Sample.Of(Measured(s, warmup).Select(e => e.EvalSeconds)).Median;
    /// <summary>Median train + evaluation time (s).</summary>
    public double EpochSeconds(BenchSide s) => Sample.Of(Measured(s, warmup).Select(e => e.EpochSeconds)).Median;
    /// <summary>Median process CPU time (all threads) of train + evaluation, s.</summary>
    public double CpuSeconds(BenchSide s) => Sample.Of(Measured(s, warmup).Select(e => e.CpuSeconds)).Median;
    /// <summary>Median SGD steps per second.</summary>
    public double StepsPerSecond(BenchSide s) => Sample.Of(Measured(s, warmup).Select(e => e.StepsPerSecond)).Median;
    /// <summary>Counted training FLOPs of an epoch over the median train time, in GFLOP/s.</summary>
    public double TrainingGflops(BenchSide s) => flops.TrainingStepPerSample * s.TrainSamples / TrainSeconds(s) / 1e9;
    /// <summary>Median matrix-product ceiling (GFLOP/s).</summary>
    public static double CeilingGflops(BenchSide s) => Sample.Of(s.CeilingGflops).Median;
    /// <summary>Peak RSS of the whole run, MiB.</summary>
    public static double PeakRss(BenchSide s) => s.Epochs.Max(e => e.Memory.PeakRssMiB);

    /// <summary>
    /// RSS after every epoch (warm-up included) split into the first half's rise and the last half's growth, or null
    /// with fewer than <see cref="RssTrend.MinimumEpochs"/> epochs.
    /// </summary>
    public static RssTrend? Rss(BenchSide s) =>
        s.Epochs.Count >= RssTrend.MinimumEpochs ? RssTrend.From(s.Epochs.Select(e => e.Memory.RssMiB).ToList()) : null;

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
        new("RSS after epoch 1 (MiB)", s => s.Epochs[0].Memory.RssMiB, "0"),
        new("RSS rise over the first half (MiB)", s => Rss(s)?.WarmupRiseMiB ?? double.NaN, "0.0"),
        new("RSS growth over the last half (MiB/epoch)", s => Rss(s)?.LastHalfMiBPerEpoch ?? double.NaN, "0.0"),
        new("RSS after last epoch (MiB)", s => s.Epochs[^1].Memory.RssMiB, "0"),
        new("peak RSS (MiB)", PeakRss, "0"),
    ];

    /// <summary>Medians and memory, one row per figure; with a second side, its column and the ratio of the two.</summary>
    public string SummaryTable()
    {
        var headers = new List<string> { $"figure (median of {main.Epochs.Count - warmup} epoch(s) after {warmup} warm-up)", main.Name };
        if (other is not null) headers.AddRange([other.Name, $"{main.Name} / {other.Name}"]);
        var rows = Figures.Select(f =>
        {
            double a = f.Value(main);
            var row = new List<string> { f.Name, Show(a, f.Format) };
            if (other is not null)
            {
                double b = f.Value(other);
                row.Add(Show(b, f.Format));
                row.Add(Ratio(a, b));
            }
            return (IReadOnlyList<string>)row;
        });
        return TextTable.Format(headers, rows);
    }

    static string Show(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, Invariant);

    /// <summary>A / B with two decimals, or "–" when B is zero or either is not a number.</summary>
    public static string Ratio(double a, double b) => b == 0 || !double.IsFinite(a / b) ? "–" : (a / b).ToString("0.00", Invariant);

    /// <summary>One row per epoch: times, test accuracy and RSS of each side; warm-up epochs marked.</summary>
    public string EpochTable()
    {
        static string[] Columns(string name) => [$"{name} train s", $"{name} eval s", $"{name} CPU s", $"{name} test acc", $"{name} RSS MiB"];
        static string[] Cells(BenchEpoch e) => [e.TrainSeconds.ToString("0.000", Invariant), e.EvalSeconds.ToString("0.000", Invariant),
            e.CpuSeconds.ToString("0.000", Invariant), e.TestAcc.ToString("0.0000", Invariant), e.Memory.RssMiB.ToString("0", Invariant)];
        var headers = new List<string> { "epoch" };
        headers.AddRange(Columns(main.Name));
        if (other is not null) headers.AddRange(Columns(other.Name));
        var rows = main.Epochs.Select((e, i) =>
        {
            var row = new List<string> { e.Epoch + (i < warmup ? " (warm-up)" : "") };
            row.AddRange(Cells(e));
            if (other is not null) row.AddRange(i < other.Epochs.Count ? Cells(other.Epochs[i]) : ["", "", "", "", ""]);
            return (IReadOnlyList<string>)row;
        });
        return TextTable.Format(headers, rows);
    }

    /// <summary>The targets, each with the measured value and whether it is met (of the first side; the speed-up against PyTorch).</summary>
    public IReadOnlyList<(string Target, string Measured, bool Met)> Targets()
    {
        var targets = new List<(string, string, bool)>
        {
            ($"train + eval ≤ {EpochTargetSeconds} s", $"{EpochSeconds(main).ToString("0.000", Invariant)} s", EpochSeconds(main) <= EpochTargetSeconds),
        };
        if (other is { Name: PyTorchName })
        {
            double speedup = EpochSeconds(other) / EpochSeconds(main);
            targets.Add(($"≥ {SpeedupTarget}× faster per epoch than {other.Name}", $"{speedup.ToString("0.00", Invariant)}×", speedup >= SpeedupTarget));
        }
        double fraction = TrainingGflops(main) / CeilingGflops(main);
        targets.Add(($"training step ≥ {CeilingFractionTarget:P0} of the matmul ceiling", fraction.ToString("P0", Invariant), fraction >= CeilingFractionTarget));
        if (Rss(main) is { } rss)
            targets.Add(($"RSS not growing over the last half of the epochs (< {RssTrend.GrowingMiBPerEpoch} MiB/epoch)", rss.Verdict, !rss.Grows));
        targets.Add(($"peak RSS < {PeakRssTargetMiB / 1024} GiB", $"{PeakRss(main).ToString("0", Invariant)} MiB", PeakRss(main) < PeakRssTargetMiB));
        return targets;
    }

    /// <summary>The whole report: summary, per-epoch table, targets.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(SummaryTable());
        text.AppendLine(EpochTable());
        if (other is not null && other.Name != PyTorchName)
            text.AppendLine($"(both loops ran in this one process, epochs alternating: the RSS columns are the process's, after each side's epoch)").AppendLine();
        text.AppendLine($"targets ({main.Name}; this machine, medians, same run):");
        foreach (var (target, measured, met) in Targets())
            text.AppendLine($"  [{(met ? "met" : "NOT met")}] {target}: {measured}");
        return text.ToString();
    }
}
