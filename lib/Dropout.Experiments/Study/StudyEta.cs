namespace Dropout.Experiments.Study;

/// <summary>
/// The time a study has left with parallel workers: each finishes its current run, queued runs go one at a time to the
/// first free worker, and the estimate is when the last is done. The epoch time is the mean so far, measured while the
/// workers share the machine, so their slowdown is in it.
/// </summary>
public static class StudyEta
{
    /// <summary>Estimates the wall time until every run is done.</summary>
    /// <param name="epochsLeftInProgress">For each busy worker, the epochs its current run still needs.</param>
    /// <param name="queuedRuns">Runs not yet given to any worker.</param>
    /// <param name="workers">Workers that will take queued runs (at least 1).</param>
    public static TimeSpan Estimate(double meanEpochSeconds, IEnumerable<int> epochsLeftInProgress, int queuedRuns, int epochsPerRun, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queuedRuns);
        var busy = epochsLeftInProgress.Select(e => (long)Math.Max(e, 0)).ToList();
        var load = new PriorityQueue<int, long>();
        for (int w = 0; w < Math.Max(workers, busy.Count); w++) load.Enqueue(w, w < busy.Count ? busy[w] : 0);
        long finish = busy.Count > 0 ? busy.Max() : 0;
        for (int r = 0; r < queuedRuns; r++)
        {
            load.TryDequeue(out int worker, out long epochs);
            epochs += epochsPerRun;
            finish = Math.Max(finish, epochs);
            load.Enqueue(worker, epochs);
        }
        return TimeSpan.FromSeconds(finish * Math.Max(meanEpochSeconds, 0));
    }
}
