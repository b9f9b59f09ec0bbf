using System.Diagnostics;
using Dropout.Data;
using Dropout.Experiments.Training;
using Dropout.Models;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Experiments.Benchmarks;

/// <summary>
/// d2l's dropout setting (concise MLP 784-256-256-10, SGD, unreduced cross-entropy, shuffled minibatches) trained by a
/// <see cref="BenchLoop"/> and evaluated by <see cref="D2l.EvaluateAccuracy"/>, one timed epoch per call so that a
/// caller can interleave other work (another loop, a reference implementation).
/// </summary>
public sealed class D2lTrainingBench : IDisposable
{
    readonly nn.Module<Tensor, Tensor> _net;
    readonly nn.Module<Tensor, Tensor, Tensor> _loss;
    readonly optim.Optimizer _trainer;
    readonly DataIter _trainIter, _testIter;
    readonly FastTrainer? _fast;
    // This bench's position in torch's global generator, which the dropout masks come from: two benches run in
    // alternation swap it in and out around each epoch, so that each draws the masks it would draw alone.
    Tensor _generatorState;
    int _epoch;

    /// <summary>Builds the model (seeded) and the iterators over <paramref name="data"/>.</summary>
    public D2lTrainingBench(FashionMnistData data, double p1 = 0.2, double p2 = 0.5, int batchSize = 256, double lr = 0.5, long seed = 1,
        BenchLoop loop = BenchLoop.Fast)
    {
        Loop = loop;
        random.manual_seed(seed);
        _net = ConciseNet.Create(p1, p2);
        _loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        _trainer = optim.SGD(_net.parameters(), lr);
        _trainIter = new DataIter(data.Train.Images, data.Train.Labels, batchSize, shuffle: true, seed);
        _testIter = new DataIter(data.Test.Images, data.Test.Labels, batchSize, shuffle: false);
        if (loop == BenchLoop.Fast) _fast = new FastTrainer(_net, _loss, _trainer);
        _generatorState = random.get_rng_state().DetachFromDisposeScope();
    }

    /// <summary>The loop this bench times.</summary>
    public BenchLoop Loop { get; }

    /// <summary>What the loop does, in one line (for the fast loop: which of its shortcuts are in use on this machine).</summary>
    public string Description => Loop switch
    {
        BenchLoop.Fast => $"FastTrainer: {_fast}",
        BenchLoop.Teaching => "D2l.TrainEpochCh3: d2l's plain loop, loss and accuracy read back every step",
        _ => "the loop before FastTrainer: nn.Dropout, optim.SGD.step(), loss and accuracy read once per epoch",
    };

    /// <summary>Training samples per epoch.</summary>
    public long TrainSamples => _trainIter.Count;

    /// <summary>Trains one epoch and evaluates, timing each part, then reads the process's memory.</summary>
    public BenchEpoch RunEpoch(CancellationToken cancellationToken = default)
    {
        _epoch++;
        using var outside = random.get_rng_state();
        random.set_rng_state(_generatorState);
        try
        {
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainAcc) = Loop switch
            {
                BenchLoop.Fast => _fast!.TrainEpoch(_trainIter, _epoch, cancellationToken),
                _ => D2l.TrainEpochCh3(_net, _trainIter, _loss, _trainer, _epoch, cancellationToken),
            };
            double trainSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            double testAcc = D2l.EvaluateAccuracy(_net, _testIter);
            double evalSeconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            return new BenchEpoch(_epoch, trainSeconds, evalSeconds, _trainIter.BatchCount, trainLoss, trainAcc, testAcc, ProcessMemory.Current(), cpuSeconds);
        }
        finally
        {
            _generatorState.Dispose();
            _generatorState = random.get_rng_state().DetachFromDisposeScope();
            random.set_rng_state(outside);
        }
    }

    /// <summary>Frees the model, the loss module and the fast loop's caches.</summary>
    public void Dispose()
    {
        _fast?.Dispose();
        _generatorState.Dispose();
        _net.Dispose();
        _loss.Dispose();
    }
}
