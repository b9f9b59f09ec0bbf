using System.Globalization;
using System.Text;

namespace Dropout.Study;

/// <summary>The mean and sample standard deviation (n - 1) of a few measurements.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Std">Sample standard deviation (divides by n - 1); null when n = 1, where it is undefined.</param>
/// <param name="N">Number of measurements.</param>
public sealed record MeanStd(double Mean, double? Std, int N)
{
    /// <summary>Mean and sample standard deviation of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">No value.</exception>
    public static MeanStd Of(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count == 0) throw new ArgumentException("the mean of no value is undefined.", nameof(values));
        double mean = v.Average();
        double? std = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : null;
        return new MeanStd(mean, std, v.Count);
    }

    /// <summary>"0.3512 ± 0.0040", or "0.3512 ± n/a" for a single measurement.</summary>
    public string ToString(string format) =>
        $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {(Std is double s ? s.ToString(format, CultureInfo.InvariantCulture) : "n/a")}";

    /// <inheritdoc/>
    public override string ToString() => ToString("0.0000");
}

/// <summary>One pair's final-epoch results over its seeds.</summary>
/// <param name="Pair">The dropout probabilities.</param>
/// <param name="Seeds">The seeds, ascending.</param>
/// <param name="TrainLoss">Final train loss over the seeds.</param>
/// <param name="TrainAcc">Final train accuracy over the seeds.</param>
/// <param name="TestAcc">Final test accuracy over the seeds.</param>
/// <param name="Checks">d2l's end-of-training check of each seed's run, in seed order.</param>
public sealed record PairSummary(DropoutPair Pair, IReadOnlyList<long> Seeds, MeanStd TrainLoss, MeanStd TrainAcc, MeanStd TestAcc, IReadOnlyList<D2lCheck> Checks)
{
    /// <summary>How many seeds' runs pass d2l's check.</summary>
    public int D2lPassed => Checks.Count(c => c.Passed);

    /// <summary>"3/3", or "1/3 (train_loss)" naming the conditions that failed in some run.</summary>
    public string D2lText
    {
        get
        {
            string text = $"{D2lPassed}/{Checks.Count}";
            var failing = Checks.SelectMany(c => c.Conditions).Where(c => !c.Holds).Select(c => c.Name).Distinct().ToList();
            return failing.Count == 0 ? text : $"{text} (fails {string.Join(", ", failing)})";
        }
    }
}

/// <summary>
/// The statistics of a study: per pair, mean ± sample standard deviation over seeds of the final
/// train loss, train accuracy and test accuracy, and how many runs pass d2l's check; per-epoch means for curves.
/// </summary>
public sealed class StudySummary
{
    readonly IReadOnlyList<StudyRow> _rows;

    /// <summary>One entry per pair, the source's pairs first (in its order), then the baseline, then others by (p1, p2).</summary>
    public IReadOnlyList<PairSummary> Pairs { get; }

    /// <summary>Total wall time of all epochs in the rows (seconds column summed).</summary>
    public double TotalSeconds => _rows.Sum(r => r.Seconds);

    /// <summary>Number of (pair, seed) runs.</summary>
    public int RunCount => Pairs.Sum(p => p.Seeds.Count);

    StudySummary(IReadOnlyList<StudyRow> rows, IReadOnlyList<PairSummary> pairs)
    {
        _rows = rows;
        Pairs = pairs;
    }

    /// <summary>Summarises <paramref name="rows"/>: a run's final epoch is its highest epoch.</summary>
    /// <exception cref="ArgumentException">No row.</exception>
    public static StudySummary FromRows(IEnumerable<StudyRow> rows)
    {
        var all = rows.ToList();
        if (all.Count == 0) throw new ArgumentException("there are no results to summarise.", nameof(rows));
        var finals = all.GroupBy(r => r.Run).Select(g => g.MaxBy(r => r.Epoch)!).ToList();
        var pairs = StudyPlan.InDisplayOrder(finals.GroupBy(r => r.Run.Pair), g => g.Key)
            .Select(g =>
            {
                var runs = g.OrderBy(r => r.Seed).ToList();
                return new PairSummary(g.Key, runs.Select(r => r.Seed).ToList(),
                    MeanStd.Of(runs.Select(r => r.TrainLoss)), MeanStd.Of(runs.Select(r => r.TrainAcc)), MeanStd.Of(runs.Select(r => r.TestAcc)),
                    runs.Select(r => new TrainingHistory([r.ToEpochMetrics()]).CheckD2l()).ToList());
            })
            .ToList();
        return new StudySummary(all, pairs);
    }

    /// <summary>The summary of <paramref name="pair"/>, or null when it was not studied.</summary>
    public PairSummary? Find(DropoutPair pair) => Pairs.FirstOrDefault(p => p.Pair == pair);

    /// <summary>The epochs of one run as a training history (d2l's Animator picture, d2l's check).</summary>
    /// <exception cref="KeyNotFoundException">The run is not in the results.</exception>
    public TrainingHistory History(StudyRun run)
    {
        var epochs = _rows.Where(r => r.Run == run).OrderBy(r => r.Epoch).Select(r => r.ToEpochMetrics()).ToList();
        return epochs.Count > 0 ? new TrainingHistory(epochs) : throw new KeyNotFoundException($"{run} is not in the results.");
    }

    /// <summary>Per epoch, the train loss of <paramref name="pair"/> over its seeds.</summary>
    public IReadOnlyList<(int Epoch, MeanStd TrainLoss)> TrainLossCurve(DropoutPair pair) =>
        _rows.Where(r => r.Run.Pair == pair).GroupBy(r => r.Epoch).OrderBy(g => g.Key)
            .Select(g => (g.Key, MeanStd.Of(g.Select(r => r.TrainLoss)))).ToList();

    /// <summary>
    /// The summary as an aligned text table: pair, seeds, final train loss, train acc and test acc
    /// (mean ± sample std over seeds; "± n/a" with one seed), and d2l's check (runs passing / runs).
    /// </summary>
    public string ToTable()
    {
        string[] header = ["p1", "p2", "seeds", "train_loss", "train_acc", "test_acc", "d2l check"];
        var lines = Pairs.Select(p => new[]
        {
            DropoutPair.Format(p.Pair.P1), DropoutPair.Format(p.Pair.P2), p.Seeds.Count.ToString(CultureInfo.InvariantCulture),
            p.TrainLoss.ToString(), p.TrainAcc.ToString(), p.TestAcc.ToString(), p.D2lText,
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Select(l => l[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var l in lines) Line(l);
        return text.ToString();
    }
}
