using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Benchmarks;

/// <summary>
/// d2l's dropout setting, one timed epoch at a time: concise MLP 784-256-256-10 with dropout (p1, p2),
/// SGD, CrossEntropyLoss(reduction none), shuffled minibatches, through the same
/// <see cref="D2l.TrainEpochCh3"/> and <see cref="D2l.EvaluateAccuracy"/> the notebooks call.
/// Epochs are run one by one so that a caller can interleave other work (a reference implementation).
/// </summary>
public sealed class D2lTrainingBench : IDisposable
{
    readonly nn.Module<Tensor, Tensor> _net;
    readonly nn.Module<Tensor, Tensor, Tensor> _loss;
    readonly optim.Optimizer _trainer;
    readonly DataIter _trainIter, _testIter;
    int _epoch;

    /// <summary>Builds the model (seeded) and the iterators over <paramref name="data"/>.</summary>
    public D2lTrainingBench(FashionMnistData data, double p1 = 0.2, double p2 = 0.5, int batchSize = 256, double lr = 0.5, long seed = 1)
    {
        random.manual_seed(seed);
        _net = ConciseNet.Create(p1, p2);
        _loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        _trainer = optim.SGD(_net.parameters(), lr);
        _trainIter = new DataIter(data.Train.Images, data.Train.Labels, batchSize, shuffle: true, seed);
        _testIter = new DataIter(data.Test.Images, data.Test.Labels, batchSize, shuffle: false);
    }

    /// <summary>Training samples per epoch.</summary>
    public long TrainSamples => _trainIter.Count;

    /// <summary>Trains one epoch and evaluates, timing each part, then reads the process's memory.</summary>
    public BenchEpoch RunEpoch(CancellationToken cancellationToken = default)
    {
        _epoch++;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (trainLoss, trainAcc) = D2l.TrainEpochCh3(_net, _trainIter, _loss, _trainer, _epoch, cancellationToken);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        double testAcc = D2l.EvaluateAccuracy(_net, _testIter);
        double evalSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new BenchEpoch(_epoch, trainSeconds, evalSeconds, _trainIter.BatchCount, trainLoss, trainAcc, testAcc, ProcessMemory.Current(), cpuSeconds);
    }

    /// <summary>Frees the model and the loss module.</summary>
    public void Dispose()
    {
        _net.Dispose();
        _loss.Dispose();
    }
}
