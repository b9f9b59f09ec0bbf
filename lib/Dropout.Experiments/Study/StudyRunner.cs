using System.Diagnostics;

using Dropout.Study;

namespace Dropout.Experiments.Study;

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
    public static StudyOutcome Run(StudyPlan plan, IReadOnlyList<SeededRun> runs, StudyResultsFile results, StudyTrainer trainer,
        Action<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = runs.Where(r => !results.IsComplete(r)).ToList();
        int epochs = results.Settings.NumEpochs;
        int total = pending.Count * epochs, done = 0;
        double trainingSeconds = 0;

        foreach (var run in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int pairNumber = plan.PairNumber(run.Pair), seedNumber = plan.SeedNumber(run.Seed);
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
}
