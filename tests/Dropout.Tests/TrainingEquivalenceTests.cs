using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests;

/// <summary>
/// The optimised loop must give the numbers of the straightforward d2l loop it replaced. Serial: the runs
/// draw dropout masks from torch's global generator, which tests running beside them would also draw from.
/// </summary>
[Collection(SerialCollection.Name)]
public class TrainingEquivalenceTests
{
    public TrainingEquivalenceTests() => TorchNative.Ensure();

    /// <summary>d2l's train_epoch_ch3 as written: read the loss sum and the accuracy count back every step.</summary>
    static (double TrainLoss, double TrainAcc) ReferenceTrainEpoch(nn.Module<Tensor, Tensor> net, DataIter trainIter,
        nn.Module<Tensor, Tensor, Tensor> loss, optim.Optimizer updater)
    {
        net.train();
        double lossSum = 0;
        long correct = 0, n = 0;
        foreach (var (X, y) in trainIter)
        {
            using var scope = NewDisposeScope();
            scope.Attach([X, y]);
            var yHat = net.forward(X);
            var l = loss.forward(yHat, y);
            updater.zero_grad();
            l.mean().backward();
            updater.step();
            lossSum += l.sum().item<float>();
            correct += D2l.Accuracy(yHat, y);
            n += y.numel();
        }
        return (lossSum / n, (double)correct / n);
    }

    static List<(double, double, double)> Run(bool optimised)
    {
        random.manual_seed(11);
        using var net = ConciseNet.Create(0.2, 0.5);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var updater = optim.SGD(net.parameters(), 0.5);
        // 700 samples in batches of 64: ten full batches and a short last one.
        var data = SyntheticData.Iterators(trainN: 700, testN: 200, batchSize: 64, seed: 5);
        var epochs = new List<(double, double, double)>();
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            var (trainLoss, trainAcc) = optimised
                ? D2l.TrainEpochCh3(net, data.Train, loss, updater, epoch)
                : ReferenceTrainEpoch(net, data.Train, loss, updater);
            epochs.Add((trainLoss, trainAcc, D2l.EvaluateAccuracy(net, data.Test)));
        }
        return epochs;
    }

    [Fact]
    public void PerEpochNumbersEqualTheStraightforwardLoop()
    {
        var reference = Run(optimised: false);
        var optimised = Run(optimised: true);
        Assert.Equal(reference, optimised);
        Assert.True(reference[2].Item1 < reference[0].Item1, "the run must actually learn for the comparison to mean something");
    }

    [Fact]
    public void DivergenceAtTheLastShortBatchIsNamed()
    {
        var (x, y) = SyntheticData.Images(600, 4);
        x[599, 0, 0, 0] = tensor(float.PositiveInfinity);
        var train = new DataIter(x, y, 256, shuffle: false);
        using var net = ConciseNet.Create(0, 0);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var e = Assert.Throws<TrainingDivergedException>(() => D2l.TrainEpochCh3(net, train, loss, optim.SGD(net.parameters(), 0.1), epoch: 4));
        Assert.Equal((4, 3), (e.Epoch, e.Step));
        Assert.False(double.IsFinite(e.Loss));
    }
}
