using System.Diagnostics;
using System.Threading.Channels;
using Dropout.Study;
using Dropout.Experiments.Study;

namespace Dropout.Cli.Workers;

/// <summary>
/// Spreads a study's runs over <c>study-worker</c> processes. The runs wait in one queue, in plan order; each worker
/// gets the next one when it finishes the last, so a slow run never holds up the others. This process stays the only
/// writer of the results file: each finished run a worker reports is appended in one flushed write as it arrives.
/// On Ctrl+C (the workers get the signal too: they share the terminal's process group) or a cancelled token, every
/// worker's stdin is closed, they stop at the end of their current step, runs already reported are kept and the
/// runs in progress are dropped; a worker that has not stopped after <see cref="StopGrace"/> is killed.
/// </summary>
internal static class StudyWorkerPool
{
    /// <summary>How long stopped workers get to end before they are killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Trains the runs of <paramref name="runs"/> not yet in <paramref name="results"/> on up to <paramref name="workerCount"/> workers.</summary>
    /// <param name="plan">The study's plan (for "pair 3/12" in progress lines).</param>
    /// <param name="runs">The runs to train (the plan's, or a shard's).</param>
    /// <param name="results">The open results file; only this method writes it while it runs.</param>
    /// <param name="start">The <c>start</c> message every worker gets (settings, data, device, threads).</param>
    /// <param name="workerCount">Workers to start (no more than there are runs to train).</param>
    /// <param name="workerStartInfo">How to start one worker process.</param>
    /// <param name="progress">Told after each epoch of every worker.</param>
    /// <param name="note">Told once where the data came from (the first worker to have loaded it).</param>
    /// <param name="cancellationToken">Stops all workers.</param>
    /// <exception cref="OperationCanceledException">Cancelled; the runs finished before are in the file.</exception>
    /// <exception cref="UserError">A worker met a usage error (no data, a diverged run).</exception>
    /// <exception cref="InvalidOperationException">A worker crashed; the message names it and quotes its last output.</exception>
    public static async Task<StudyOutcome> RunAsync(StudyPlan plan, IReadOnlyList<SeededRun> runs, StudyResultsFile results,
        WorkerMessage start, int workerCount, Func<ProcessStartInfo> workerStartInfo, Action<StudyProgress>? progress, Action<string>? note,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var queue = new Queue<SeededRun>(runs.Where(r => !results.IsComplete(r)));
        int pendingCount = queue.Count, epochs = results.Settings.NumEpochs;
        int total = pendingCount * epochs, done = 0, trained = 0;
        double epochSeconds = 0;
        int count = Math.Min(workerCount, pendingCount);
        if (count == 0) return new StudyOutcome(runs.Count, 0, clock.Elapsed);

        var events = Channel.CreateUnbounded<WorkerEvent>();
        var workers = new List<WorkerProcess>();
        Exception? failure = null;
        bool stopping = false, dataNoted = false;
        Timer? killTimer = null;

        void StopAll()
        {
            lock (workers)
            {
                if (stopping) return;
                stopping = true;
                foreach (var w in workers) w.CloseInput();
                killTimer = new Timer(_ => { lock (workers) foreach (var w in workers) w.Kill(); }, null, StopGrace, Timeout.InfiniteTimeSpan);
            }
        }

        void Fail(Exception e)
        {
            failure ??= e;
            StopAll();
        }

        void Dispatch(WorkerProcess worker)
        {
            if (!stopping && queue.Count > 0)
            {
                var run = queue.Dequeue();
                worker.Current = run;
                worker.Epoch = 0;
                if (worker.Send(WorkerMessage.ForRun(WorkerMessage.Run, run))) return;
                queue.Enqueue(run); // it is gone; its exit event reports why
                worker.Current = null;
            }
            worker.CloseInput(); // no more runs: it ends
        }

        StudyProgress Report(WorkerProcess worker)
        {
            var run = worker.Current!.Value;
            TimeSpan? eta = done == 0 ? null : StudyEta.Estimate(epochSeconds / done,
                workers.Where(w => w.Current is not null).Select(w => epochs - w.Epoch), queue.Count, epochs, count);
            return new StudyProgress(plan.PairNumber(run.Pair), plan.Pairs.Count, run.Pair, plan.SeedNumber(run.Seed), plan.Seeds.Count,
                worker.Epoch, epochs, done, total, clock.Elapsed, eta, worker.Number, count);
        }

        using var onCancel = cancellationToken.Register(StopAll);
        try
        {
            for (int i = 1; i <= count; i++)
            {
                var worker = WorkerProcess.Start(i, workerStartInfo(), events.Writer);
                lock (workers) workers.Add(worker);
                if (!worker.Send(start)) continue; // its exit event reports why
                Dispatch(worker);
                if (worker.Current is not null) progress?.Invoke(Report(worker));
            }

            int exited = 0;
            while (exited < workers.Count)
            {
                var e = await events.Reader.ReadAsync(CancellationToken.None);
                var worker = e.Worker;
                try
                {
                    if (e.ExitCode is int code)
                    {
                        exited++;
                        worker.Exited = true;
                        // A worker ends with 0 once its stdin is closed while idle; anything else, unasked, is a failure.
                        if (!stopping && (code != 0 || worker.Current is not null))
                            Fail(new InvalidOperationException($"worker {worker.Number} (process {worker.ProcessId}) ended with exit code {code}" +
                                (worker.Current is { } lost ? $" while training {lost}." : " between runs.") + Tail(worker)));
                        worker.Current = null;
                        continue;
                    }
                    if (e.ProtocolError is { } garbled)
                    {
                        Fail(new InvalidOperationException($"worker {worker.Number} (process {worker.ProcessId}) said something that is not a worker message: {garbled}"));
                        continue;
                    }
                    var message = e.Message!;
                    switch (message.Type)
                    {
                        case WorkerMessage.Ready:
                            if (!dataNoted)
                                note?.Invoke($"data: {message.TrainImages} training and {message.TestImages} test images from {message.Data} (each worker loads its own copy)");
                            dataNoted = true;
                            break;
                        case WorkerMessage.Epoch:
                            if (worker.Current != message.SeededRun || message.Metrics is null) throw Unexpected(worker, message);
                            worker.Epoch = message.Metrics.Epoch;
                            done++;
                            epochSeconds += message.Metrics.Seconds;
                            progress?.Invoke(Report(worker));
                            break;
                        case WorkerMessage.Done:
                            if (worker.Current != message.SeededRun || message.Epochs is null) throw Unexpected(worker, message);
                            if (message.Epochs.Count != epochs)
                                throw new InvalidOperationException($"worker {worker.Number} returned {message.Epochs.Count} epochs for {message.SeededRun}; the settings ask for {epochs}.");
                            results.AppendRun(StudyRow.FromHistory(results.Settings.Model, message.SeededRun, message.Epochs));
                            trained++;
                            worker.Current = null;
                            Dispatch(worker);
                            if (worker.Current is not null) progress?.Invoke(Report(worker));
                            break;
                        case WorkerMessage.Failed:
                            string text = message.Message ?? "(no message)";
                            Fail(message.UsageError == true ? new UserError(text)
                                : new InvalidOperationException($"worker {worker.Number} (process {worker.ProcessId}) failed: {text}{Tail(worker)}"));
                            worker.Current = null;
                            break;
                        default:
                            throw Unexpected(worker, message);
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException or ArgumentException)
                {
                    Fail(ex);
                }
            }
        }
        finally
        {
            StopAll();
            foreach (var w in workers) w.Dispose();
            killTimer?.Dispose();
        }

        if (failure is not null) throw failure;
        cancellationToken.ThrowIfCancellationRequested();
        if (trained != pendingCount)
            throw new InvalidOperationException($"the workers ended with {pendingCount - trained} of {pendingCount} runs untrained.");
        return new StudyOutcome(runs.Count - pendingCount, trained, clock.Elapsed);
    }

    static InvalidOperationException Unexpected(WorkerProcess worker, WorkerMessage message) =>
        new($"worker {worker.Number} sent '{message.Type}' for {(message.P1 is null ? "no run" : message.SeededRun.ToString())} " +
            $"while training {(worker.Current?.ToString() ?? "nothing")}.");

    static string Tail(WorkerProcess worker) =>
        worker.StderrTail() is { Length: > 0 } tail ? $" Its last output:{Environment.NewLine}{tail}" : "";
}
