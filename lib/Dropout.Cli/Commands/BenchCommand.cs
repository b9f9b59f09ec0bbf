using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Dropout.Charts;
using Dropout.Cli.Bench;
using Dropout.Data;
using Dropout.Experiments.Benchmarks;
using Dropout.Experiments.Charts;
using Dropout.Experiments.Study;
using Dropout.Native;
using Dropout.Study;
using Dropout.Training;
using static TorchSharp.torch;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>bench</c>: times d2l's dropout training (concise MLP 784-256-256-10, p = 0.2/0.5, batch 256, Fashion-MNIST) per
/// epoch with one of the project's loops (<c>--loop</c>), beside the matrix-product ceiling and, alternating, a PyTorch
/// reference (<c>--peer pytorch</c>) or another loop (<c>--baseline</c>); prints medians, epochs, memory and targets.
/// </summary>
internal static class BenchCommand
{
    const int BatchSize = 256;
    const double P1 = 0.2, P2 = 0.5, Lr = 0.5;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = $"epochs per implementation, warm-up included (d2l trains 10; at most {TrainingSettings.MaxEpochs:N0})", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "leading epochs left out of the medians", DefaultValueFactory = _ => 1 };
        var peer = new Option<string?>("--peer") { Description = "also run a reference implementation, alternating epochs: pytorch" };
        peer.AcceptOnlyFromAmong("pytorch");
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads for both sides (default: libtorch's, one per physical core)" };
        var seed = new Option<long>("--seed") { Description = "seed for initialisation, dropout masks and shuffling", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "folder with the four Fashion-MNIST files (default: as for train)" };
        var ceilingSteps = new Option<int>("--ceiling-steps") { Description = $"training steps' worth of matrix products per ceiling measurement (at most {MatmulCeiling.MaxSteps:N0})", DefaultValueFactory = _ => 100 };
        var dropoutCost = new Option<bool>("--dropout-cost") { Description = "also time a dropout mask: functional.dropout (nn.Dropout) against the scratch dropout_layer" };
        var loop = new Option<string>("--loop") { Description = "the loop to time: fast (FastTrainer, what the study runs) or teaching (D2l.TrainCh3, what the notebooks run)", DefaultValueFactory = _ => "fast" };
        loop.AcceptOnlyFromAmong(LoopNames);
        var baseline = new Option<string?>("--baseline") { Description = "also time the other loop in this process, alternating epochs: fast or teaching" };
        baseline.AcceptOnlyFromAmong(LoopNames);

        var command = new Command("bench", "Time d2l's dropout training on this machine (medians after a warm-up), against the matmul ceiling and optionally PyTorch.")
        {
            epochs, warmup, peer, threads, seed, data, ceilingSteps, dropoutCost, loop, baseline,
        };
        command.SetAction((result, cancellationToken) =>
        {
            int epochCount = result.GetValue(epochs), warmupCount = result.GetValue(warmup), steps = result.GetValue(ceilingSteps);
            if (warmupCount < 0) throw new UserError($"--warmup must be 0 or more; got {warmupCount}.");
            if (epochCount < warmupCount + 1) throw new UserError($"--epochs must exceed --warmup ({warmupCount}) so that some epochs are measured; got {epochCount}.");
            if (epochCount > TrainingSettings.MaxEpochs) throw new UserError($"--epochs must be at most {TrainingSettings.MaxEpochs:N0}; got {epochCount}.");
            if (steps is < 1 or > MatmulCeiling.MaxSteps)
                throw new UserError($"--ceiling-steps must be between 1 and {MatmulCeiling.MaxSteps:N0} (an epoch is 235 steps); got {steps.ToString(CultureInfo.InvariantCulture)}.");
            if (result.GetValue(threads) is int t && t < 1) throw new UserError($"--threads must be at least 1; got {t}.");
            if (result.GetValue(threads) is int tooMany && tooMany > StudyCommand.MaxPerCore * Environment.ProcessorCount)
                throw new UserError($"--threads {tooMany} is more than {StudyCommand.MaxPerCore} per core ({Environment.ProcessorCount} cores here); the threads would only wait for each other.");
            var mainLoop = Loop(result.GetValue(loop)!);
            var baselineLoop = result.GetValue(baseline) is string b ? Loop(b) : (BenchLoop?)null;
            if (baselineLoop is not null && result.GetValue(peer) is not null) throw new UserError("--baseline and --peer each add a second side; choose one.");
            if (baselineLoop == mainLoop) throw new UserError($"--baseline {result.GetValue(baseline)} is the loop being timed; choose another (or another --loop).");
            Run(epochCount, warmupCount, result.GetValue(peer), result.GetValue(threads), result.GetValue(seed), result.GetValue(data), steps,
                result.GetValue(dropoutCost), mainLoop, baselineLoop, cancellationToken);
            return Task.FromResult(0);
        });
        return command;
    }

    static readonly string[] LoopNames = ["fast", "teaching"];

    static BenchLoop Loop(string name) => name switch
    {
        "fast" => BenchLoop.Fast,
        "teaching" => BenchLoop.Teaching,
        _ => throw new UserError($"unknown loop '{name}'; choose one of {string.Join(", ", LoopNames)}."),
    };

    static string Name(BenchLoop loop) => LoopNames[(int)loop];

    static void Run(int epochCount, int warmup, string? peerName, int? threads, long seed, string? dataDirectory, int ceilingSteps,
        bool dropoutCost, BenchLoop loop, BenchLoop? baselineLoop, CancellationToken cancellationToken)
    {
        Console.WriteLine(TorchNative.Ensure());
        if (threads is int t) set_num_threads(t);
        Console.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} logical CPUs; {TorchWaitPolicy.Describe()}");
        if (peerName == "pytorch") PytorchSetup.EnsureInstalled(Console.Out, cancellationToken);

        var clock = Stopwatch.StartNew();
        using var fashion = FashionMnist.Load(dataDirectory, cancellationToken: cancellationToken);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"data: {fashion.Train.Count:N0} + {fashion.Test.Count:N0} images from {fashion.SourceDirectory}");
        Console.WriteLine($"setting: concise MLP 784-256-256-10, dropout {P1}/{P2}, SGD lr {Lr}, batch {BatchSize}, {epochCount} epochs ({warmup} warm-up), seed {seed}");

        using var bench = new D2lTrainingBench(fashion, P1, P2, BatchSize, Lr, seed, loop);
        Console.WriteLine($"loop: {Name(loop)}: {bench.Description}");
        using var second = baselineLoop is BenchLoop b ? new D2lTrainingBench(fashion, P1, P2, BatchSize, Lr, seed, b) : null;
        if (second is not null)
            Console.WriteLine($"baseline: {Name(second.Loop)}: {second.Description}; epochs alternate with {Name(loop)}'s, each loop with its own model and masks (same seed)");
        using var peer = peerName == "pytorch"
            ? new PytorchPeer(fashion.SourceDirectory, get_num_threads(), BatchSize, P1, P2, Lr, seed)
            : null;
        // A signal to this process alone (SIGTERM) must not wait for the peer's epoch or ceiling to end.
        using var stopPeer = peer is null ? default : cancellationToken.Register(peer.Stop);
        if (peer is not null)
            Console.WriteLine($"peer: PyTorch {peer.TorchVersion} ({PytorchSetup.Python}, BLAS {peer.Blas}), {peer.Threads} threads, same environment; epochs alternate with TorchSharp's");
        string mainName = peer is not null ? "TorchSharp" : Name(loop);
        string? otherName = peer is not null ? BenchReport.PyTorchName : second is not null ? Name(second.Loop) : null;

        var flops = MlpTrainingFlops.D2l;
        var mainEpochs = new List<BenchEpoch>();
        var otherEpochs = new List<BenchEpoch>();
        var mainCeiling = new List<double>();
        var otherCeiling = new List<double>();
        BenchEpoch OtherEpoch() => peer is not null ? peer.RunEpoch() : second!.RunEpoch(cancellationToken);
        for (int epoch = 1; epoch <= epochCount; epoch++)
        {
            if (cancellationToken.IsCancellationRequested) throw Interrupted(epoch - 1, epochCount, cancellationToken);
            // Alternate who goes first, so that neither side always runs right after the other.
            bool otherFirst = otherName is not null && epoch % 2 == 0;
            try
            {
                if (otherFirst) otherEpochs.Add(OtherEpoch());
                mainEpochs.Add(bench.RunEpoch(cancellationToken));
                if (otherName is not null && !otherFirst) otherEpochs.Add(OtherEpoch());
                if (epoch > warmup)
                {
                    mainCeiling.Add(MatmulCeiling.MeasureGflops(flops, BatchSize, ceilingSteps, cancellationToken));
                    if (peer is not null) otherCeiling.Add(peer.CeilingGflops(ceilingSteps));
                    else if (second is not null) otherCeiling.Add(mainCeiling[^1]); // one process, one ceiling
                }
            }
            catch (Exception e) when (e is OperationCanceledException || InterruptedMeanwhile(cancellationToken))
            {
                // Ctrl+C reaches the PyTorch peer too (same process group): its pipe breaks before or after our token is cancelled.
                if (!cancellationToken.IsCancellationRequested) throw;
                throw Interrupted(epoch - 1, epochCount, cancellationToken);
            }
            var ts = mainEpochs[^1];
            string line = $"epoch {epoch,2}/{epochCount}  {mainName} {ts.TrainSeconds:0.000} + {ts.EvalSeconds:0.000} s, CPU {ts.CpuSeconds:0.000} s, test acc {ts.TestAcc:0.0000}, RSS {ts.Memory.RssMiB:0} MiB";
            if (otherName is not null)
            {
                var pt = otherEpochs[^1];
                line += $"  |  {otherName} {pt.TrainSeconds:0.000} + {pt.EvalSeconds:0.000} s, CPU {pt.CpuSeconds:0.000} s, test acc {pt.TestAcc:0.0000}, RSS {pt.Memory.RssMiB:0} MiB";
            }
            Console.WriteLine(line + (epoch <= warmup ? "  (warm-up)" : ""));
        }

        var torchSharp = new BenchSide(mainName, loadSeconds, bench.TrainSamples, mainEpochs, mainCeiling);
        var reference = peer is not null ? new BenchSide(otherName!, peer.LoadSeconds, peer.TrainSamples, otherEpochs, otherCeiling)
            : second is not null ? new BenchSide(otherName!, loadSeconds, second.TrainSamples, otherEpochs, otherCeiling)
            : null;
        Console.WriteLine();
        Console.WriteLine($"FLOPs counted per training sample: forward {flops.ForwardPerSample:N0}, backward {flops.BackwardPerSample:N0} " +
                          "(weight gradients of all three Linear layers, input gradients of the last two; one multiply-add = 2 FLOPs)");
        Console.WriteLine($"matmul ceiling: the same products alone (forward addmm, backward dYᵀ·X and dY·W), {ceilingSteps} steps' worth, after each measured epoch");
        Console.WriteLine("RSS: the first half's rise is a warm-up (allocator and caches reaching their working size); growth over the last half is what a leak shows");
        Console.WriteLine();
        Console.Write(new BenchReport(torchSharp, reference, warmup, flops));

        if (dropoutCost)
        {
            Console.WriteLine();
            Console.WriteLine($"dropout mask cost, forward, one {BatchSize}×256 float32 activation, p = {P2} (median µs per call; per epoch = 2 layers × {mainEpochs[^1].Steps} steps):");
            var costs = DropoutCost.Measure(BatchSize, 256, P2);
            Console.Write(TextTable.Format(["method", "µs per call", "s per epoch"],
                costs.Select(c => (IReadOnlyList<string>)[c.Method, c.MicrosecondsPerCall.ToString("0.0", CultureInfo.InvariantCulture),
                    (c.MicrosecondsPerCall * 2 * mainEpochs[^1].Steps / 1e6).ToString("0.000", CultureInfo.InvariantCulture)])));
        }
    }

    /// <summary>The interruption message: bench keeps nothing, and the epochs measured so far were printed.</summary>
    static CommandInterruptedException Interrupted(int finished, int epochCount, CancellationToken token) =>
        new($"interrupted after {finished} of {epochCount} epochs: the epochs measured so far are printed above; bench keeps no results file and " +
            "prints its report only after the last epoch, so run it again (fewer --epochs for a quicker one).", token);

    /// <summary>True when an interruption is under way: the token is cancelled now or within a moment (the signal handler runs on its own thread).</summary>
    static bool InterruptedMeanwhile(CancellationToken token) => token.IsCancellationRequested || token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));

    static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
