using System.Diagnostics;
using Dropout.Study;
using static TorchSharp.torch;

namespace Dropout.Experiments.Study;

/// <summary>
/// Trains the runs a results file lacks on worker threads of this process, from one queue in plan order, appending each
/// as it finishes. Each run owns its random numbers, so its numbers do not depend on what trains beside it. Cancelling,
/// or a run that fails, stops every worker at its next step and loses at most the runs in progress.
/// </summary>
public static class StudyRunner
{
    /// <summary>Trains the <paramref name="runs"/> (the plan's or a shard's) not complete in <paramref name="results"/>.</summary>
    /// <param name="threads">Torch threads per run.</param>
    /// <param name="progress">Called after each epoch, from the worker's thread, one call at a time.</param>
    /// <exception cref="OperationCanceledException">Cancelled; the runs finished before are in the file.</exception>
    public static StudyOutcome Run(StudyPlan plan, IReadOnlyList<SeededRun> runs, StudyResultsFile results, StudyTrainer trainer,
        int workers = 1, int threads = 1, Action<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var pending = runs.Where(r => !results.IsComplete(r)).ToList();
        int epochs = results.Settings.NumEpochs, count = Math.Max(1, Math.Min(workers, pending.Count));
        int total = pending.Count * epochs, done = 0, next = -1;
        double epochSeconds = 0;
        var inProgress = new int[count + 1];   // per worker, epochs its run still needs (0: idle)
        var gate = new Lock();
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // One report at a time, counting the epoch it reports in the same step, so the counts printed only grow.
        void Report(int worker, SeededRun run, int epoch, double seconds = 0)
        {
            lock (gate)
            {
                if (epoch > 0) { done++; epochSeconds += seconds; }
                inProgress[worker] = epochs - epoch;
                int queued = Math.Max(0, pending.Count - Volatile.Read(ref next) - 1);
                TimeSpan? eta = done == 0 ? null : StudyEta.Estimate(epochSeconds / done, inProgress.Where(e => e > 0), queued, epochs, count);
                progress?.Invoke(new StudyProgress(plan.PairNumber(run.Pair), plan.Pairs.Count, run.Pair, plan.SeedNumber(run.Seed), plan.Seeds.Count,
                    epoch, epochs, done, total, clock.Elapsed, eta, worker, count));
            }
        }

        void Work(int worker)
        {
            set_num_threads(threads);
            int i;
            while (!stop.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < pending.Count)
            {
                var run = pending[i];
                try
                {
                    Report(worker, run, 0);
                    var history = trainer(run, e => Report(worker, run, e.Epoch, e.Seconds), stop.Token);
                    if (history.Count != epochs)
                        throw new InvalidOperationException($"the trainer returned {history.Count} epochs for {run}; the settings ask for {epochs}.");
                    lock (gate) results.AppendRun(StudyRow.FromHistory(results.Settings.Model, run, history));
                }
                catch (Exception e)
                {
                    lock (gate) if (e is not OperationCanceledException || failure is null) failure ??= e;
                    stop.Cancel();
                }
            }
            lock (gate) inProgress[worker] = 0;
        }

        int callerThreads = get_num_threads();
        var pool = Enumerable.Range(1, count).Select(w => new Thread(() => Work(w)) { IsBackground = true, Name = $"study worker {w}" }).ToList();
        pool.ForEach(t => t.Start());
        pool.ForEach(t => t.Join());
        set_num_threads(callerThreads);
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return new StudyOutcome(runs.Count - pending.Count, pending.Count, clock.Elapsed);
    }
}
