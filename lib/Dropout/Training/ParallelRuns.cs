using System.Collections.Concurrent;
using System.Diagnostics;
using Dropout.Platform;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>Trains independent runs side by side: a worker thread per core, each training one run at a time on one
/// torch thread (at batch 256, two one-thread runs give about twice the throughput of one two-thread run). Give each
/// run its own <see cref="Generator"/> and its numbers do not depend on what trained beside it.</summary>
public static class ParallelRuns
{
    /// <summary><paramref name="train"/> for every run, <paramref name="workers"/> at a time (default: one per core),
    /// results in run order; <paramref name="progress"/> (notebook: the cell's output) gets a line per finished run, on
    /// this thread. After a failure or cancellation no new run starts; once the rest stop, the first error or the
    /// cancellation is thrown.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one worker.</exception>
    public static IReadOnlyList<TResult> Run<TRun, TResult>(IReadOnlyList<TRun> runs, Func<TRun, TResult> train,
        int? workers = null, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        int count = Math.Min(workers ?? Environment.ProcessorCount, runs.Count);
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "at least one worker is needed.");
        if (cancellationToken == default) cancellationToken = Notebook.CellCancellation;
        progress ??= Notebook.IsRunning ? Console.WriteLine : null;
        // set_num_threads also sets the count libtorch gives threads that first use torch later: put the caller's back at the end
        int callerThreads = get_num_threads();
        var results = new TResult[runs.Count];
        var finished = new BlockingCollection<(int Index, Exception? Error)>();
        int next = -1;
        bool stop = false;
        void Work()
        {
            set_num_threads(1);
            int i;
            while (!Volatile.Read(ref stop) && !cancellationToken.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < runs.Count)
            {
                try { results[i] = train(runs[i]); finished.Add((i, null)); }
                catch (Exception e) { finished.Add((i, e)); }
            }
        }
        // Threads start with this context (a notebook cell's, so that output and interruption reach them).
        var threads = Enumerable.Range(0, count).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());

        var clock = Stopwatch.StartNew();
        Exception? failure = null;
        int done = 0, started = runs.Count;
        try
        {
            for (; done < started; done++)
            {
                var (index, error) = finished.Take(cancellationToken);
                if (error is not null)
                {
                    failure ??= error;
                    Volatile.Write(ref stop, true);
                    started = Math.Min(runs.Count, Volatile.Read(ref next) + 1);
                    continue;
                }
                var left = clock.Elapsed / (done + 1) * (runs.Count - done - 1);   // wall time per run, workers included
                progress?.Invoke($"{done + 1}/{runs.Count} {runs[index]}: {results[index]} — {clock.Elapsed:m\\:ss} elapsed, about {left:m\\:ss} left");
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            threads.ForEach(t => t.Join());
            set_num_threads(callerThreads);
        }
        if (failure is not null) throw failure;
        return results;
    }
}
