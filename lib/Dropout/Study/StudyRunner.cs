using System.Diagnostics;
using System.Globalization;

namespace Dropout.Study;

/// <summary>Where a study is: which pair, seed and epoch, time so far and the estimated time left.</summary>
/// <param name="PairNumber">1-based position of the pair in the plan.</param>
/// <param name="PairCount">Pairs in the plan.</param>
/// <param name="Pair">The pair being trained.</param>
/// <param name="SeedNumber">1-based position of the seed in the plan.</param>
/// <param name="SeedCount">Seeds in the plan.</param>
/// <param name="Epoch">Epochs of this run finished so far (0 when it starts).</param>
/// <param name="Epochs">Epochs per run.</param>
/// <param name="EpochsDone">Epochs finished in this invocation.</param>
/// <param name="EpochsTotal">Epochs this invocation trains in all.</param>
/// <param name="Elapsed">Wall time since this invocation started training.</param>
/// <param name="Eta">Estimated time left: mean epoch time so far × epochs left; null before the first epoch.</param>
public sealed record StudyProgress(int PairNumber, int PairCount, DropoutPair Pair, int SeedNumber, int SeedCount,
    int Epoch, int Epochs, int EpochsDone, int EpochsTotal, TimeSpan Elapsed, TimeSpan? Eta)
{
    /// <summary>"pair 3/12 (0.8, 0.5) seed 2/3 epoch 7/10 — elapsed 2m10s, ETA 4m30s".</summary>
    public override string ToString() =>
        $"pair {PairNumber}/{PairCount} {Pair} seed {SeedNumber}/{SeedCount} epoch {Epoch}/{Epochs} — elapsed {Duration(Elapsed)}, ETA {(Eta is TimeSpan eta ? Duration(eta) : "…")}";

    /// <summary>A short duration: "45s", "2m10s", "1h05m".</summary>
    public static string Duration(TimeSpan t)
    {
        var c = CultureInfo.InvariantCulture;
        if (t.TotalHours >= 1) return string.Create(c, $"{(int)t.TotalHours}h{t.Minutes:00}m");
        if (t.TotalMinutes >= 1) return string.Create(c, $"{(int)t.TotalMinutes}m{t.Seconds:00}s");
        return string.Create(c, $"{(int)Math.Round(t.TotalSeconds)}s");
    }
}

/// <summary>What one invocation of <see cref="StudyRunner.Run"/> did.</summary>
/// <param name="Skipped">Runs already in the results file, not trained again.</param>
/// <param name="Trained">Runs trained and appended.</param>
/// <param name="Elapsed">Wall time of this invocation.</param>
public sealed record StudyOutcome(int Skipped, int Trained, TimeSpan Elapsed);

/// <summary>
/// Trains the runs of a study that its results file does not hold yet, appending each run to the file
/// as soon as it finishes. Cancelling loses at most the run in progress.
/// </summary>
public static class StudyRunner
{
    /// <summary>
    /// Trains every run of <paramref name="runs"/> (the plan's, or one shard's) not yet complete in
    /// <paramref name="results"/>, in order, and reports progress after each epoch.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the runs finished before are in the file.</exception>
    public static StudyOutcome Run(StudyPlan plan, IReadOnlyList<StudyRun> runs, StudyResultsFile results, StudyTrainer trainer,
        Action<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = runs.Where(r => !results.IsComplete(r)).ToList();
        int epochs = results.Settings.Epochs;
        int total = pending.Count * epochs, done = 0;
        double trainingSeconds = 0;

        foreach (var run in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int pairNumber = IndexOf(plan.Pairs, run.Pair) + 1, seedNumber = IndexOf(plan.Seeds, run.Seed) + 1;
            StudyProgress Report(int epoch) => new(pairNumber, plan.Pairs.Count, run.Pair, seedNumber, plan.Seeds.Count, epoch, epochs,
                done, total, clock.Elapsed, done > 0 ? TimeSpan.FromSeconds(trainingSeconds / done * (total - done)) : null);

            progress?.Invoke(Report(0));
            var history = trainer(run, e =>
            {
                done++;
                trainingSeconds += e.Seconds;
                progress?.Invoke(Report(e.Epoch));
            }, cancellationToken);
            if (history.Count != epochs)
                throw new InvalidOperationException($"the trainer returned {history.Count} epochs for {run}; the settings ask for {epochs}.");
            results.AppendRun(StudyRow.FromHistory(results.Settings.Model, run, history));
        }
        return new StudyOutcome(runs.Count - pending.Count, pending.Count, clock.Elapsed);
    }

    static int IndexOf<T>(IReadOnlyList<T> list, T item)
    {
        for (int i = 0; i < list.Count; i++)
            if (EqualityComparer<T>.Default.Equals(list[i], item)) return i;
        return -1;
    }
}
