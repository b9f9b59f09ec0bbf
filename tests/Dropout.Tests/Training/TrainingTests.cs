using Dropout.Data;
using Dropout.Experiments.Training;
using Dropout.Models;
using Dropout.Native;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Training;

public class TrainingTests
{
    public TrainingTests() => TorchNative.Ensure();

    static TrainingHistory Train(nn.Module<Tensor, Tensor> net, int epochs, (DataIter Train, DataIter Test) data, double lr = 0.5)
    {
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var trainer = optim.SGD(net.parameters(), lr);
        return D2l.TrainCh3(net, data.Train, data.Test, loss, epochs, trainer);
    }

    [Fact]
    public void TrainCh3LearnsASeparableProblemAndReportsEveryEpoch()
    {
        random.manual_seed(1);
        using var net = ConciseNet.Create(0.2, 0.5);
        var seen = new List<int>();
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var data = SyntheticData.Iterators();
        var history = D2l.TrainCh3(net, data.Train, data.Test, loss, 4, optim.SGD(net.parameters(), 0.5), e => seen.Add(e.Epoch));
        Assert.Equal([1, 2, 3, 4], history.Select(e => e.Epoch));
        Assert.Equal([1, 2, 3, 4], seen);
        Assert.True(history.Final.TestAcc > 0.9, $"test acc {history.Final.TestAcc}");
        Assert.True(history.Final.TrainLoss < history[0].TrainLoss);
        Assert.All(history, e => Assert.True(e.Seconds > 0 && e.TrainAcc is >= 0 and <= 1));
        Assert.True(net.training, "train_ch3 leaves the net in training mode after evaluating, like d2l");
    }

    [Fact]
    public void TrainLossIsTheMeanPerSampleLossOfTheEpoch()
    {
        // With lr = 0 the net does not change, so the epoch's train loss must equal the loss of one full pass.
        random.manual_seed(2);
        using var net = ConciseNet.Create(0, 0);
        var data = SyntheticData.Iterators(trainN: 300, testN: 100, batchSize: 64);
        var history = Train(net, 1, data, lr: 0);
        using var loss = nn.CrossEntropyLoss();
        using var _ = no_grad();
        double expected = loss.forward(net.forward(data.Train.Features), data.Train.Labels).item<float>();
        Assert.Equal(expected, history.Final.TrainLoss, 4);
    }

    [Fact]
    public void DivergenceStopsWithEpochAndStep()
    {
        var (x, y) = SyntheticData.Images(600, 3);
        x[300, 0, 5, 5] = tensor(float.NaN);
        var train = new DataIter(x, y, 256, shuffle: false);
        using var net = ConciseNet.Create(0.2, 0.5);
        var e = Assert.Throws<TrainingDivergedException>(() => Train(net, 3, (train, train)));
        Assert.Equal(1, e.Epoch);
        Assert.Equal(2, e.Step);
        Assert.Contains("epoch 1, step 2", e.Message);
    }

    [Fact]
    public void D2lCheckNamesTheFailingValues()
    {
        var failing = new TrainingHistory([new EpochMetrics(1, 0.9, 0.8, 0.65, 1)]);
        var check = failing.CheckD2l();
        Assert.False(check.Passed);
        Assert.Equal(["train_loss", "test_acc"], check.Conditions.Where(c => !c.Holds).Select(c => c.Name));
        var e = Assert.Throws<D2lAssertionException>(failing.AssertD2l);
        Assert.Contains("train_loss = 0.9", e.Message);
        Assert.Contains("test_acc = 0.65", e.Message);

        var passing = new TrainingHistory([new EpochMetrics(1, 0.35, 0.87, 0.85, 1)]);
        Assert.True(passing.CheckD2l().Passed);
        passing.AssertD2l();
    }

    [Fact]
    public void AccuracyCountsCorrectPredictions()
    {
        using var yHat = tensor(new float[,] { { 0.1f, 0.9f }, { 0.8f, 0.2f }, { 0.3f, 0.7f } });
        using var y = tensor(new long[] { 1, 1, 1 });
        Assert.Equal(2, D2l.Accuracy(yHat, y));
    }

    [Fact]
    public void EvaluateAccuracyRestoresTheModeAndIgnoresDropout()
    {
        using var net = ConciseNet.Create(0.9, 0.9);
        var (_, test) = SyntheticData.Iterators(trainN: 64, testN: 300);
        net.eval();
        double a = D2l.EvaluateAccuracy(net, test);
        Assert.False(net.training);
        net.train();
        double b = D2l.EvaluateAccuracy(net, test);
        Assert.True(net.training);
        Assert.Equal(a, b);
    }
}

/// <summary>Counts live tensors process-wide, so it must not run beside other tests.</summary>
[Collection(SerialCollection.Name)]
public class TrainingLeakTests
{
    public static TheoryData<bool> BothLoops => [false, true];

    [Theory]
    [MemberData(nameof(BothLoops))]
    public void NoTensorsLeakFromEpochToEpoch(bool fast)
    {
        TorchNative.Ensure();
        // Earlier tests' garbage goes first, so that its finalizers cannot lower the count mid-run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var net = ConciseNet.Create(0.2, 0.5);
        var data = SyntheticData.Iterators(trainN: 512, testN: 128);
        using var loss = nn.CrossEntropyLoss(reduction: nn.Reduction.None);
        var trainer = optim.SGD(net.parameters(), 0.1);
        var live = new List<long>();
        if (fast) FastTrainer.TrainCh3(net, data.Train, data.Test, loss, 4, trainer, _ => live.Add(Tensor.TotalCount));
        else D2l.TrainCh3(net, data.Train, data.Test, loss, 4, trainer, _ => live.Add(Tensor.TotalCount));
        // No GC during training on purpose: finalizers would hide a leak that real training pays for in
        // native memory. The count must not grow from epoch 2 to epoch 4 (a leak adds tensors every step).
        Assert.True(live[^1] <= live[1], $"live tensors after each epoch: {string.Join(", ", live)}");
    }
}
