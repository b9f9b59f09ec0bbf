using System.Globalization;
using System.Text;
using Dropout.Charts;
using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Study;

/// <summary>
/// The statistics of a study: per pair, the final train loss, train accuracy and test accuracy over its seeds
/// (<see cref="Sample"/>: mean, sample standard deviation, median, the values), how many runs pass d2l's check, and the
/// runs that diverged (<see cref="TrainingDivergence.Rule"/>), which are kept out of the statistics and named beside
/// them; per-epoch means for curves; and comparisons between pairs by the project's one rule (<see cref="Comparison"/>).
/// </summary>
public sealed class StudySummary
{
    readonly IReadOnlyList<StudyRow> _rows;

    /// <summary>One entry per pair, the source's pairs first (in its order), then the baseline, then others by (p1, p2).</summary>
    public IReadOnlyList<PairSummary> Pairs { get; }

    /// <summary>Total wall time of all epochs in the rows (seconds column summed).</summary>
    public double TotalSeconds => _rows.Sum(r => r.Seconds);

    /// <summary>Number of (pair, seed) runs.</summary>
    public int RunCount => Pairs.Sum(p => p.Runs.Count);

    /// <summary>The runs that diverged, in display order.</summary>
    public IReadOnlyList<StudyRunResult> Diverged => Pairs.SelectMany(p => p.Diverged).ToList();

    StudySummary(IReadOnlyList<StudyRow> rows, IReadOnlyList<PairSummary> pairs)
    {
        _rows = rows;
        Pairs = pairs;
    }

    /// <summary>Summarises <paramref name="rows"/> (each run's epochs, in any order).</summary>
    /// <exception cref="ArgumentException">No row.</exception>
    public static StudySummary FromRows(IEnumerable<StudyRow> rows)
    {
        var all = rows.ToList();
        if (all.Count == 0) throw new ArgumentException("there are no results to summarise.", nameof(rows));
        var runs = all.GroupBy(r => r.Run)
            .Select(g => new StudyRunResult(g.Key, new TrainingHistory(g.OrderBy(r => r.Epoch).Select(r => r.ToEpochMetrics()).ToList())))
            .ToList();
        var pairs = StudyPlan.InDisplayOrder(runs.GroupBy(r => r.Run.Pair), g => g.Key)
            .Select(g => new PairSummary(g.Key, g.OrderBy(r => r.Run.Seed).ToList()))
            .ToList();
        return new StudySummary(all, pairs);
    }

    /// <summary>The summary of <paramref name="pair"/>, or null when it was not studied.</summary>
    public PairSummary? Find(DropoutPair pair) => Pairs.FirstOrDefault(p => p.Pair == pair);

    /// <summary>The summary of <paramref name="pair"/>.</summary>
    /// <exception cref="KeyNotFoundException">The pair is not in the results.</exception>
    public PairSummary this[DropoutPair pair] => Find(pair) ?? throw new KeyNotFoundException($"{pair} is not in the results.");

    /// <summary>The epochs of one run as a training history (d2l's Animator picture, d2l's check).</summary>
    /// <exception cref="KeyNotFoundException">The run is not in the results.</exception>
    public TrainingHistory History(StudyRun run) =>
        this[run.Pair].Runs.FirstOrDefault(r => r.Run == run)?.History ?? throw new KeyNotFoundException($"{run} is not in the results.");

    /// <summary>
    /// <paramref name="a"/> against <paramref name="b"/> on <paramref name="metric"/> by <see cref="Comparison.Rule"/>, over
    /// the runs of each that did not diverge.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A pair is not in the results.</exception>
    public Comparison Compare(DropoutPair a, DropoutPair b, StudyMetric metric) =>
        Comparison.Of(a.ToString(), this[a].Final(metric), b.ToString(), this[b].Final(metric), metric.Name(), metric.HigherIsBetter(), paired: false);

    /// <summary>Per epoch, the train loss of <paramref name="pair"/> over its runs that did not diverge.</summary>
    public IReadOnlyList<(int Epoch, Sample TrainLoss)> TrainLossCurve(DropoutPair pair) =>
        (Find(pair)?.Kept ?? []).SelectMany(r => r.History).GroupBy(e => e.Epoch).OrderBy(g => g.Key)
            .Select(g => (g.Key, Sample.Of(g.Select(e => e.TrainLoss)))).ToList();

    /// <summary>
    /// The summary as an aligned text table: pair, seeds (the kept ones "of" all when a run diverged), final train loss, train acc and test acc (mean ± sample std
    /// over the runs that did not diverge; "± n/a" with one), the median test acc, d2l's check, and the diverged runs.
    /// </summary>
    public string ToTable()
    {
        string[] header = ["p1", "p2", "seeds", "train_loss", "train_acc", "test_acc", "test_acc median", "d2l check", "diverged"];
        var lines = Pairs.Select(p => new[]
        {
            DropoutPair.Format(p.Pair.P1), DropoutPair.Format(p.Pair.P2), SeedsText(p),
            Text(p, StudyMetric.TrainLoss), Text(p, StudyMetric.TrainAcc), Text(p, StudyMetric.TestAcc),
            p.Kept.Count > 0 ? p.TestAcc.Median.ToString("0.0000", CultureInfo.InvariantCulture) : "-",
            p.D2lText, p.Diverged.Count == 0 ? "-" : p.DivergedText,
        }).ToList();
        return TextTable.Format(header, lines, leftAligned: Enumerable.Range(0, header.Length).ToHashSet());

        // The statistics are over the kept runs: say so when a run was left out
        static string SeedsText(PairSummary p) => p.Diverged.Count == 0
            ? p.Runs.Count.ToString(CultureInfo.InvariantCulture)
            : $"{p.Kept.Count} of {p.Runs.Count}";
        static string Text(PairSummary p, StudyMetric metric) => p.Kept.Count > 0 ? p.Final(metric).ToString() : "all diverged";
    }
}
