using System.CommandLine;
using Dropout.Study;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>study</c>: the source's exercise done properly — every (p1, p2) pair trained from several seeds,
/// one CSV row per (pair, seed, epoch), resumable, shardable, with a summary table at the end.
/// </summary>
public static class StudyCommand
{
    /// <summary>Where results go by default: the repository's artifacts/study/results.csv (notebook 04 reads them from there).</summary>
    public static string DefaultOut => StudyFiles.DefaultResultsPath;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var pairs = new Option<string?>("--pairs") { Description = "pairs p1:p2, comma-separated (e.g. 0.2:0.5,0.8:0.5); default with --grid absent: the source's 11 pairs plus the baseline 0:0" };
        var grid = new Option<string?>("--grid") { Description = "probabilities, comma-separated (e.g. 0,0.1,0.2): every (p1, p2) from the list × the list" };
        var seeds = new Option<int>("--seeds") { Description = "seeds per pair: 0, 1, ..., N-1", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "epochs per run", DefaultValueFactory = _ => 10 };
        var model = new Option<string>("--model") { Description = "concise (nn.Dropout) or scratch (dropout_layer)", DefaultValueFactory = _ => "concise" };
        model.AcceptOnlyFromAmong([.. StudySettings.Models]);
        var hidden = new Option<int>("--hidden") { Description = "units in each hidden layer", DefaultValueFactory = _ => 256 };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => 0.5 };
        var batchSize = new Option<int>("--batch-size") { Description = "minibatch size", DefaultValueFactory = _ => 256 };
        var data = new Option<string?>("--data") { Description = "folder with the four Fashion-MNIST files (default: FASHION_MNIST_DIR, data/fashion-mnist, the Debian package, or download)" };
        var trainLimit = new Option<int?>("--train-limit") { Description = "use only the first N training images" };
        var testLimit = new Option<int?>("--test-limit") { Description = "use only the first N test images" };
        var output = new Option<string>("--out") { Description = "results CSV; re-running resumes it (its settings are kept in <out>.settings.json)", DefaultValueFactory = _ => DefaultOut };
        var shard = new Option<string?>("--shard") { Description = "K/N: run only the K-th of N disjoint slices of the (pair, seed) runs (batch systems); combine with study-merge" };
        var device = new Option<string>("--device") { Description = "cpu, or cuda / cuda:N when the TorchSharp CUDA package is referenced instead of TorchSharp-cpu", DefaultValueFactory = _ => "cpu" };
        var charts = new Option<string?>("--charts") { Description = "also save the study's charts as self-contained HTML files in this folder" };
        var threads = new Option<int?>("--threads") { Description = "torch CPU threads (default: torch's choice, one per core); 1 is far faster when other jobs share the cores. Numbers repeat exactly only with the same thread count" };

        var command = new Command("study", "Train d2l's dropout MLP for many (p1, p2) pairs and seeds; append each run to a CSV; print mean ± std per pair.")
        {
            pairs, grid, seeds, epochs, model, hidden, lr, batchSize, data, trainLimit, testLimit, output, shard, device, charts, threads,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var settings = new StudySettings(result.GetValue(model)!, result.GetValue(hidden), result.GetValue(epochs), result.GetValue(lr),
                result.GetValue(batchSize), result.GetValue(trainLimit), result.GetValue(testLimit));
            try { settings.Validate(); }
            catch (ArgumentException e) { throw new UserError(e.Message); }
            var plan = Plan(result.GetValue(pairs), result.GetValue(grid), result.GetValue(seeds));
            var (k, n) = result.GetValue(shard) is string s ? UserInput(() => StudyPlan.ParseShard(s)) : (1, 1);
            var runs = plan.Shard(k, n);
            var torchDevice = ParseDevice(result.GetValue(device)!);
            string outPath = result.GetValue(output)!;
            if (result.GetValue(threads) is int threadCount && threadCount < 1) throw new UserError($"--threads must be at least 1; got {threadCount}.");

            Console.WriteLine(TorchNative.Ensure());
            if (result.GetValue(threads) is int t) set_num_threads(t);
            using var results = OpenResults(outPath, settings); // holds the file's lock until the study ends
            int pending = runs.Count(r => !results.IsComplete(r));
            Console.WriteLine($"study: {plan.Pairs.Count} pairs × {plan.Seeds.Count} seeds = {plan.Runs.Count} runs" +
                (n > 1 ? $"; shard {k}/{n} has {runs.Count}" : "") +
                $"; {runs.Count - pending} already in {outPath}, {pending} to train ({settings}, device {torchDevice}, {get_num_threads()} torch threads)");

            if (pending > 0)
            {
                using var fashion = FashionMnist.Load(result.GetValue(data), settings.TrainLimit, settings.TestLimit, cancellationToken: cancellationToken);
                Console.WriteLine($"data: {fashion.Train.Count} training and {fashion.Test.Count} test images from {fashion.SourceDirectory}");
                var trainer = StudyTraining.ForData(settings, fashion, torchDevice);
                StudyOutcome outcome;
                try
                {
                    outcome = WithProgress(progress => StudyRunner.Run(plan, runs, results, trainer, progress, cancellationToken), pending * settings.Epochs);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"interrupted: {results.CompletedRuns.Count} finished runs are in {outPath}; the run in progress was dropped. Run the same command again to resume.");
                    throw;
                }
                Console.WriteLine($"trained {outcome.Trained} runs in {StudyProgress.Duration(outcome.Elapsed)}; skipped {outcome.Skipped} already in {outPath}.");
            }
            StudyOutput.Print(outPath, results.Rows, result.GetValue(charts));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The plan from --pairs / --grid / --seeds; neither pairs nor grid means the source's pairs plus the baseline.</summary>
    static StudyPlan Plan(string? pairsText, string? gridText, int seedCount)
    {
        if (seedCount < 1) throw new UserError($"--seeds must be at least 1; got {seedCount}.");
        var chosen = new List<DropoutPair>();
        if (pairsText is not null) chosen.AddRange(UserInput(() => DropoutPair.ParseList(pairsText), "--pairs"));
        if (gridText is not null) chosen.AddRange(StudyPlan.Grid(UserInput(() => StudyPlan.ParseProbabilities(gridText), "--grid")));
        if (pairsText is null && gridText is null) chosen.AddRange(StudyPlan.DefaultPairs);
        return new StudyPlan(chosen, StudyPlan.SeedRange(seedCount));
    }

    /// <summary>"cpu", "cuda" or "cuda:N"; CUDA only when this build's TorchSharp package has it.</summary>
    static Device ParseDevice(string text)
    {
        if (text == "cpu") return CPU;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new UserError($"--device {text}: CUDA is not available. This build references TorchSharp-cpu; to train on an NVIDIA GPU, " +
                    "reference TorchSharp-cuda-linux (or TorchSharp-cuda-windows) 0.107.0 instead of TorchSharp-cpu in lib/Dropout/Dropout.csproj " +
                    "and Directory.Packages.props, rebuild, and run on a machine with a CUDA driver (see the README).");
            return UserInput(() => new Device(text), "--device");
        }
        throw new UserError($"--device must be cpu, cuda or cuda:N; got '{text}'.");
    }

    /// <summary>Opens (or creates) the results file, turning a settings mismatch into a user error.</summary>
    internal static StudyResultsFile OpenResults(string path, StudySettings settings)
    {
        try
        {
            return StudyResultsFile.Open(path, settings, Console.WriteLine);
        }
        catch (StudySettingsMismatchException e)
        {
            throw new UserError(e.Message);
        }
    }

    /// <summary>A Spectre progress bar on a terminal; one plain line per epoch when output is redirected (CI, logs).</summary>
    static StudyOutcome WithProgress(Func<Action<StudyProgress>, StudyOutcome> work, int totalEpochs)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(p => { if (p.Epoch > 0) Console.WriteLine(p); });
        StudyOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: totalEpochs);
                outcome = work(p =>
                {
                    task.Description = Markup.Escape(p.ToString());
                    task.Value = p.EpochsDone;
                });
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
            throw new UserError(option is null ? e.Message : $"{option}: {e.Message}");
        }
    }
}

/// <summary>What the study commands print at the end: the summary table, wall time, and optional charts.</summary>
static class StudyOutput
{
    public static void Print(string path, IReadOnlyList<StudyRow> rows, string? chartsDirectory)
    {
        if (rows.Count == 0)
        {
            Console.WriteLine($"{path} holds no finished run yet.");
            return;
        }
        var summary = StudySummary.FromRows(rows);
        Console.WriteLine();
        Console.WriteLine($"Summary of {path}: {summary.RunCount} runs; final epoch, mean ± sample std over seeds (n/a with one seed); d2l check = runs passing train_loss < 0.5, accuracies > 0.7");
        Console.Write(summary.ToTable());
        Console.WriteLine($"total training wall time in the file: {StudyProgress.Duration(TimeSpan.FromSeconds(summary.TotalSeconds))}");
        if (chartsDirectory is null) return;
        var saved = new List<string>
        {
            Save(StudyCharts.TestAccuracy(summary), "test-accuracy.html"),
            Save(StudyCharts.TrainLoss(summary), "train-loss.html"),
            Save(StudyCharts.TrainLossCurves(summary), "train-loss-curves.html"),
            Save(StudyCharts.TestAccuracyHeatmap(summary), "test-accuracy-heatmap.html"),
        };
        Console.WriteLine($"charts: {string.Join(", ", saved)}");

        string Save(Plotly.NET.GenericChart chart, string name)
        {
            string file = Path.Combine(chartsDirectory, name);
            ChartHtml.Save(chart, file);
            return Path.GetFullPath(file);
        }
    }
}
