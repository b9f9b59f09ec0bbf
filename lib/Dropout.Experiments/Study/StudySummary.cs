using System.Globalization;
using Dropout.Experiments.Charts;
using Dropout.Statistics;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Experiments.Study;

/// <summary>Results rows read as the lesson reads a study (<see cref="StudyResults"/>), and the study commands' table.</summary>
public static class StudySummary
{
    /// <summary>The runs of <paramref name="rows"/> (each run's epochs, in any order), pairs in display order (the source's first).</summary>
    /// <exception cref="ArgumentException">No row.</exception>
    public static StudyResults Results(IEnumerable<StudyRow> rows)
    {
        var runs = StudyPlan.InDisplayOrder(rows.GroupBy(r => r.Run), g => g.Key.Pair).ThenBy(g => g.Key.Seed).ToList();
        if (runs.Count == 0) throw new ArgumentException("there are no results to summarise.", nameof(rows));
        return StudyResults.Of(runs.Select(g => g.Key).ToList(),
            runs.Select(g => new TrainingHistory(g.OrderBy(r => r.Epoch).Select(r => r.ToEpochMetrics()).ToList())).ToList());
    }

    /// <summary>
    /// An aligned text table: final metrics as mean ± sample std over the kept runs ("± n/a" with one), seeds as "kept of
    /// all" when a run diverged, the runs passing d2l's check, the diverged runs.
    /// </summary>
    public static string Table(StudyResults results)
    {
        string[] header = ["p1", "p2", "seeds", "train_loss", "train_acc", "test_acc", "test_acc median", "d2l check", "diverged"];
        var lines = results.Pairs.Select(pair =>
        {
            var runs = results[pair];
            Sample? Final(TrainingMetric m) => runs.Of(h => m.Of(h));
            string Text(TrainingMetric m) => Final(m)?.ToString() ?? "all diverged";
            return new[]
            {
                DropoutPair.Format(pair.P1), DropoutPair.Format(pair.P2),
                runs.Diverged.Count == 0 ? $"{runs.Runs.Count}" : $"{runs.Kept.Count} of {runs.Runs.Count}",
                Text(TrainingMetric.TrainLoss), Text(TrainingMetric.TrainAcc), Text(TrainingMetric.TestAcc),
                Final(TrainingMetric.TestAcc)?.Median.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-",
                $"{runs.Runs.Count(r => r.Result.CheckD2l().Passed)}/{runs.Runs.Count}",
                runs.Diverged.Count == 0 ? "-" : runs.DivergedText,
            };
        }).ToList();
        return TextTable.Format(header, lines, leftAligned: Enumerable.Range(0, header.Length).ToHashSet());
    }
}
