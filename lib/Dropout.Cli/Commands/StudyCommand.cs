using System.CommandLine;
using Dropout.Data;
using Dropout.Experiments.Study;
using Dropout.Native;
using Dropout.Study;
using Dropout.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>study</c>: every (p1, p2) pair trained from several seeds, one CSV row per (pair, seed, epoch); resumable, shardable,
/// spread over workers (one per core by default), with a summary table at the end.
/// </summary>
internal static class StudyCommand
{
    /// <summary>Where results go by default: the repository's artifacts/study/results.csv (notebook 04 reads them from there).</summary>
    public static string DefaultOut => StudyFiles.DefaultResultsPath;

    /// <summary>
    /// Torch threads per run by default: at batch 256 on 2 cores one run is faster on 1 thread than on 2, and two 1-thread
    /// runs side by side more than double a 2-thread run's throughput, so cores go to workers. Fixed whatever the worker
    /// count, so that a run's numbers do not depend on it.
    /// </summary>
    public const int DefaultThreads = 1;

    /// <summary>Most workers or threads per core: more only share cores and memory (a worker's data is ~0.5 GB).</summary>
    public const int MaxPerCore = 4;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var pairs = new Option<string?>("--pairs") { Description = "pairs p1:p2, comma-separated (e.g. 0.2:0.5,0.8:0.5); default with --grid absent: the source's 11 pairs plus the baseline 0:0" };
        var grid = new Option<string?>("--grid") { Description = $"probabilities, comma-separated (e.g. 0,0.1,0.2): every (p1, p2) from the list × the list (at most {StudyPlan.MaxPairs:N0} pairs)" };
        var seeds = new Option<int>("--seeds") { Description = $"seeds per pair: 0, 1, ..., N-1 (at most {StudyPlan.MaxSeeds:N0}; at most {StudyPlan.MaxRuns:N0} runs in all)", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = $"epochs per run (at most {TrainingSettings.MaxEpochs:N0})", DefaultValueFactory = _ => 10 };
        var model = new Option<string>("--model") { Description = "concise (nn.Dropout) or scratch (dropout_layer)", DefaultValueFactory = _ => "concise" };
        model.AcceptOnlyFromAmong([.. StudySettings.Models]);
        var hidden = new Option<int>("--hidden") { Description = "units in each hidden layer", DefaultValueFactory = _ => 256 };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => 0.5 };
        var batchSize = new Option<int>("--batch-size") { Description = "minibatch size", DefaultValueFactory = _ => 256 };
        var data = new Option<string?>("--data") { Description = "folder with the four Fashion-MNIST files (default: FASHION_MNIST_DIR, data/fashion-mnist, the Debian package, or download)" };
        var trainLimit = new Option<int?>("--train-limit") { Description = "use only the first N training images" };
        var testLimit = new Option<int?>("--test-limit") { Description = "use only the first N test images" };
        var output = new Option<string>("--out") { Description = "results CSV; re-running resumes it (its settings are kept in <out>.settings.json, its lock in <out>.lock)", DefaultValueFactory = _ => DefaultOut };
        var shard = new Option<string?>("--shard") { Description = "K/N: run only the K-th of N disjoint slices of the (pair, seed) runs (batch systems); combine with study-merge" };
        var charts = new Option<string?>("--charts") { Description = "also save the study's charts as self-contained HTML files in this folder" };
        var workers = new Option<int?>("--workers") { Description = $"worker threads training runs side by side (default: one per core, {Environment.ProcessorCount} here); each finished run is appended by this process alone" };
        var threads = new Option<int?>("--threads") { Description = $"torch CPU threads per run (default {DefaultThreads}, the fastest per core at batch 256). Numbers repeat exactly only with the same thread count" };
        var wait = new Option<bool>("--wait") { Description = "when another process is writing --out, wait for it to finish instead of stopping at once; then resume from what it wrote" };

        var command = new Command("study", "Train d2l's dropout MLP for many (p1, p2) pairs and seeds on all cores; append each run to a CSV; print mean ± std per pair.")
        {
            pairs, grid, seeds, epochs, model, hidden, lr, batchSize, data, trainLimit, testLimit, output, shard, charts, workers, threads, wait,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            // Everything the user asked for is checked before anything is loaded, trained or written.
            var settings = new StudySettings(result.GetValue(model)!, result.GetValue(hidden), result.GetValue(epochs), result.GetValue(lr),
                result.GetValue(batchSize), result.GetValue(trainLimit), result.GetValue(testLimit));
            TrainingOptions.Check(settings.Validate);
            var plan = Plan(result.GetValue(pairs), result.GetValue(grid), result.GetValue(seeds));
            var (k, n) = result.GetValue(shard) is string s ? UserInput(() => StudyPlan.ParseShard(s)) : (1, 1);
            var runs = plan.Shard(k, n);
            int threadCount = PerCoreCount("--threads", result.GetValue(threads) ?? DefaultThreads);
            int workerCount = PerCoreCount("--workers", result.GetValue(workers) ?? Environment.ProcessorCount);
            string outPath = result.GetValue(output)!;
            OutputPaths.CheckResultsFile("--out", outPath, "artifacts/study/results.csv");
            string? chartsPath = result.GetValue(charts);
            if (chartsPath is not null) OutputPaths.CheckFolder("--charts", chartsPath, StudyOutput.ChartFiles);

            string nativeStatus = TorchNative.Ensure();
            Console.WriteLine(nativeStatus);
            using var results = OpenResults(outPath, settings, result.GetValue(wait), cancellationToken);
            if (cancellationToken.IsCancellationRequested) throw NothingTrained(outPath, results, cancellationToken);
            int pending = runs.Count(r => !results.IsComplete(r));
            int effectiveWorkers = Math.Max(1, Math.Min(workerCount, pending));
            Console.WriteLine($"study: {plan.Pairs.Count} pairs × {plan.Seeds.Count} seeds = {plan.Runs.Count} runs" +
                (n > 1 ? $"; shard {k}/{n} has {runs.Count}" : "") +
                $"; {runs.Count - pending} already in {outPath}, {pending} to train ({settings}, " +
                $"{effectiveWorkers} {(effectiveWorkers == 1 ? "worker" : "workers")} × {threadCount} torch {(threadCount == 1 ? "thread" : "threads")})");

            if (pending > 0)
            {
                StudyOutcome outcome;
                try
                {
                    outcome = await WithProgress((progress, note) => Task.Run(() =>
                            Train(plan, runs, results, settings, result.GetValue(data), effectiveWorkers, threadCount, progress, note, cancellationToken)),
                        pending * settings.NumEpochs, effectiveWorkers);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    int kept = runs.Count(results.IsComplete);
                    string dropped = $"the {(effectiveWorkers == 1 ? "run" : "runs")} in progress {(effectiveWorkers == 1 ? "was" : "were")} dropped.";
                    throw new CommandInterruptedException(results.CompletedRuns.Count == 0
                        ? $"interrupted: no run had finished, so nothing was written to {outPath}; {dropped} Run the same command again to resume."
                        : $"interrupted: {results.CompletedRuns.Count} finished runs are in {outPath} ({kept} of this study's {runs.Count}); {dropped} Run the same command again to resume.",
                        cancellationToken);
                }
                Console.WriteLine($"trained {outcome.Trained} runs in {StudyProgress.Duration(outcome.Elapsed)}; skipped {outcome.Skipped} already in {outPath}.");
            }
            try
            {
                StudyOutput.Print(outPath, results.Rows, chartsPath, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CommandInterruptedException(
                    $"interrupted: all {runs.Count(results.IsComplete)} of this study's runs are in {outPath}; its summary{(chartsPath is null ? "" : " and charts")} " +
                    "were not finished. Run the same command again to see them (nothing is trained again).", cancellationToken);
            }
            return 0;
        });
        return command;
    }

    /// <summary>Loads the data once and trains the pending runs side by side (<see cref="StudyRunner"/>).</summary>
    static StudyOutcome Train(StudyPlan plan, IReadOnlyList<SeededRun> runs, StudyResultsFile results, StudySettings settings, string? dataDirectory,
        int workers, int threads, Action<StudyProgress> progress, Action<string>? note, CancellationToken cancellationToken)
    {
        using var fashion = FashionMnist.Load(dataDirectory, settings.TrainLimit, settings.TestLimit, cancellationToken: cancellationToken);
        note?.Invoke($"data: {fashion.Train.Count} training and {fashion.Test.Count} test images from {fashion.SourceDirectory}");
        return StudyRunner.Run(plan, runs, results, StudyTraining.ForData(settings, fashion), workers, threads, progress, cancellationToken);
    }

    /// <summary>A count of workers or threads: at least 1, at most <see cref="MaxPerCore"/> per core.</summary>
    static int PerCoreCount(string option, int value)
    {
        int max = MaxPerCore * Math.Max(1, Environment.ProcessorCount);
        if (value < 1) throw new UserError($"{option} must be at least 1; got {value}.");
        if (value > max)
            throw new UserError($"{option} {value} is more than {MaxPerCore} per core ({Environment.ProcessorCount} cores here, so at most {max}): " +
                "they would only wait for each other" + (option == "--workers" ? ", and each worker holds its own copy of the data (about 0.5 GB)." : "."));
        return value;
    }

    /// <summary>The plan from --pairs / --grid / --seeds; neither pairs nor grid means the source's pairs plus the baseline.</summary>
    static StudyPlan Plan(string? pairsText, string? gridText, int seedCount)
    {
        if (seedCount < 1) throw new UserError($"--seeds must be at least 1; got {seedCount}.");
        if (seedCount > StudyPlan.MaxSeeds) throw new UserError($"--seeds must be at most {StudyPlan.MaxSeeds:N0}; got {seedCount:N0}.");
        var chosen = new List<DropoutPair>();
        if (pairsText is not null) chosen.AddRange(UserInput(() => DropoutPair.ParseList(pairsText), "--pairs"));
        if (gridText is not null) chosen.AddRange(UserInput(() => StudyPlan.Grid(StudyPlan.ParseProbabilities(gridText)), "--grid"));
        if (pairsText is null && gridText is null) chosen.AddRange(StudyPlan.DefaultPairs);
        return UserInput(() => new StudyPlan(chosen, StudyPlan.SeedRange(seedCount)));
    }

    /// <summary>Locks and opens the results file: a settings mismatch is a user error, Ctrl+C an interruption.</summary>
    internal static StudyResultsFile OpenResults(string path, StudySettings settings, bool wait, CancellationToken cancellationToken)
    {
        try
        {
            return StudyResultsFile.Open(path, settings, Console.WriteLine, wait ? Timeout.InfiniteTimeSpan : null, cancellationToken);
        }
        catch (StudySettingsMismatchException e)
        {
            throw new UserError(e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw NothingTrained(path, null, cancellationToken);
        }
    }

    /// <summary>The interruption before any training: while the results file was waited for or read (it is as it was), or just after.</summary>
    static CommandInterruptedException NothingTrained(string path, StudyResultsFile? results, CancellationToken token) =>
        new(results is null
            ? $"interrupted before any training: {path} was not changed. Run the same command again to resume."
            : $"interrupted before any training: nothing was trained; {path} holds {results.CompletedRuns.Count} finished runs. Run the same command again to resume.",
            token);

    /// <summary>
    /// A Spectre progress bar on a terminal (the study, and a line per worker), or a plain line per finished epoch when
    /// output is redirected. The work also gets a notes callback, printed only when redirected (a live display has no room).
    /// </summary>
    static async Task<StudyOutcome> WithProgress(Func<Action<StudyProgress>, Action<string>?, Task<StudyOutcome>> work, int totalEpochs, int workers)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return await work(p => { if (p.Epoch > 0) Console.WriteLine(p); }, Console.WriteLine);
        StudyOutcome? outcome = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var overall = context.AddTask("study: starting", maxValue: totalEpochs);
                var perWorker = new ProgressTask?[workers + 1];
                var gate = new Lock();
                outcome = await work(p =>
                {
                    lock (gate)
                    {
                        var task = perWorker[p.Worker] ??= context.AddTask($"worker {p.Worker}", maxValue: p.Epochs);
                        task.Description = Markup.Escape($"worker {p.Worker}/{p.Workers}: {p.Run}");
                        task.Value = p.Epoch;
                        overall.Description = Markup.Escape($"study: {p.EpochsDone}/{p.EpochsTotal} epochs, elapsed {StudyProgress.Duration(p.Elapsed)}, " +
                            $"ETA {(p.Eta is TimeSpan eta ? StudyProgress.Duration(eta) : "…")}");
                        overall.Value = p.EpochsDone;
                    }
                }, null);
            });
        return outcome!;
    }

    static T UserInput<T>(Func<T> parse, string? option = null)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            string message = CliRunner.MessageOf(e);
            throw new UserError(option is null ? message : $"{option}: {message}");
        }
    }
}
