using Dropout.Data;
using Dropout.Experiments.Training;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Experiments.Training;

/// <summary>
/// <see cref="FastTrainer"/> must give the numbers of d2l's plain loop, <see cref="D2l.TrainCh3"/>, for the same seed:
/// the same masks, batches and updates, so equal per-epoch figures and bit-identical final weights. Serial: the runs
/// draw dropout masks from torch's global generator, which tests running beside them would also draw from.
/// </summary>
[Collection(SerialCollection.Name)]
public class TrainingEquivalenceTests
{
    public TrainingEquivalenceTests() => TorchNative.Ensure();

    sealed record Run(List<EpochMetrics> Epochs, List<byte[]> Weights, byte[] GeneratorState);

    static Run Train(bool fast, Func<nn.Module<Tensor, Tensor>> createNet, Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer>? createUpdater = null)
    {
        random.manual_seed(11);
        using var net = createNet();
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var updater = createUpdater?.Invoke(net.parameters()) ?? optim.SGD(net.parameters(), 0.5);
        // 700 samples in batches of 64: ten full batches and a short last one.
        var data = SyntheticData.Iterators(trainN: 700, testN: 200, batchSize: 64, seed: 5);
        var history = fast
            ? FastTrainer.TrainCh3(net, data.Train, data.Test, loss, 3, updater)
            : D2l.TrainCh3(net, data.Train, data.Test, loss, 3, updater);
        using var state = random.get_rng_state();
        return new Run(history.ToList(), net.parameters().Select(p => p.bytes.ToArray()).ToList(), state.bytes.ToArray());
    }

    static void AssertSameRun(Run plain, Run fast)
    {
        Assert.Equal(plain.Epochs.Select(e => (e.TrainLoss, e.TrainAcc, e.TestAcc)), fast.Epochs.Select(e => (e.TrainLoss, e.TrainAcc, e.TestAcc)));
        Assert.Equal(plain.Weights, fast.Weights);
        Assert.Equal(plain.GeneratorState, fast.GeneratorState); // the same number of draws: later masks would match too
        Assert.True(plain.Epochs[2].TrainLoss < plain.Epochs[0].TrainLoss, "the run must actually learn for the comparison to mean something");
    }

    [Fact]
    public void ConciseNetGivesTheTeachingLoopsNumbersExactly() =>
        AssertSameRun(Train(fast: false, () => ConciseNet.Create(0.2, 0.5)), Train(fast: true, () => ConciseNet.Create(0.2, 0.5)));

    [Fact]
    public void ScratchNetGivesTheTeachingLoopsNumbersExactly() =>
        AssertSameRun(Train(fast: false, () => new ScratchNet(784, 10, 64, 64, 0.2, 0.5)), Train(fast: true, () => new ScratchNet(784, 10, 64, 64, 0.2, 0.5)));

    [Fact]
    public void AnOptimizerItCannotShortcutRunsItsOwnStep()
    {
        optim.Optimizer Momentum(IEnumerable<TorchSharp.Modules.Parameter> p) => optim.SGD(p, 0.1, momentum: 0.9);
        AssertSameRun(Train(false, () => ConciseNet.Create(0.2, 0.5), Momentum), Train(true, () => ConciseNet.Create(0.2, 0.5), Momentum));
        using var net = ConciseNet.Create(0.2, 0.5);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        using var trainer = new FastTrainer(net, loss, Momentum(net.parameters()));
        Assert.False(trainer.CachedSgdUpdate);
    }

    [Fact]
    public void TheFastLoopSaysWhatItSpedUp()
    {
        using var net = ConciseNet.Create(0.2, 0.5);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        using var trainer = new FastTrainer(net, loss, optim.SGD(net.parameters(), 0.5));
        Assert.Equal(2, trainer.DropoutLayers);
        Assert.True(trainer.CachedSgdUpdate);
        // Masks drawn in managed code on CPUs where libtorch's bernoulli_ is its portable kernel (see ExactDropoutTests).
        Assert.Equal(ExactDropout.Create(0.5) is null ? 0 : 2, trainer.ExactDropoutLayers);
        Assert.Contains("SGD update with a cached scalar", trainer.ToString());
    }

    public static TheoryData<bool> BothLoops => [false, true];

    [Theory]
    [MemberData(nameof(BothLoops))]
    public void DivergenceAtTheLastShortBatchIsNamed(bool fast)
    {
        var (x, y) = SyntheticData.Images(600, 4);
        x[599, 0, 0, 0] = tensor(float.PositiveInfinity);
        var train = new DataIter(x, y, 256, shuffle: false);
        using var net = ConciseNet.Create(0, 0);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var updater = optim.SGD(net.parameters(), 0.1);
        using var trainer = new FastTrainer(net, loss, updater);
        var e = Assert.Throws<TrainingDivergedException>(() =>
            fast ? trainer.TrainEpoch(train, epoch: 4) : D2l.TrainEpochCh3(net, train, loss, updater, epoch: 4));
        Assert.Equal((4, 3), (e.Epoch, e.Step));
        Assert.False(double.IsFinite(e.Loss));
    }

    [Theory]
    [MemberData(nameof(BothLoops))]
    public void CancellationStopsBetweenSteps(bool fast)
    {
        var data = SyntheticData.Iterators(trainN: 640, testN: 64, batchSize: 64);
        using var net = ConciseNet.Create(0.2, 0.5);
        using var cancel = new CancellationTokenSource();
        // The loss of step 2 cancels: step 2 finishes, step 3 must not start.
        using var loss = new CancellingLoss(cancelAtCall: 2, cancel);
        var updater = optim.SGD(net.parameters(), 0.1);
        using var trainer = new FastTrainer(net, loss, updater);
        Assert.Throws<OperationCanceledException>(() => fast
            ? trainer.TrainEpoch(data.Train, cancellationToken: cancel.Token)
            : D2l.TrainEpochCh3(net, data.Train, loss, updater, cancellationToken: cancel.Token));
        Assert.Equal(2, loss.Calls);
    }

    /// <summary>d2l's loss that cancels a token when it is called for the n-th time.</summary>
    sealed class CancellingLoss(int cancelAtCall, CancellationTokenSource cancel) : nn.Module<Tensor, Tensor, Tensor>(nameof(CancellingLoss))
    {
        readonly nn.Module<Tensor, Tensor, Tensor> _inner = nn.CrossEntropyLoss(reduction: nn.Reduction.None);

        public int Calls { get; private set; }

        public override Tensor forward(Tensor yHat, Tensor y)
        {
            if (++Calls == cancelAtCall) cancel.Cancel();
            return _inner.forward(yHat, y);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
