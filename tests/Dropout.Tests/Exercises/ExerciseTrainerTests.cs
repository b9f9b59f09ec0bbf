using Dropout.Data;
using Dropout.Exercises;
using Dropout.Models;
using Dropout.Platform;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Tests.Exercises;

[Collection(SerialCollection.Name)] // seeds torch's global generator
public class ExerciseTrainerTests
{
    public ExerciseTrainerTests() => TorchNative.Ensure();

    static readonly (DataIter Train, DataIter Test) Data = SyntheticData.Iterators(trainN: 512, testN: 128, batchSize: 64);

    static nn.Module<Tensor, Tensor> SmallNet() => ConciseNet.Create(0.2, 0.5, numHiddens1: 32, numHiddens2: 32);

    [Fact]
    public void TheSameSeedGivesTheSameNumbersAndAnotherSeedOthers()
    {
        var settings = new ExerciseSettings(NumEpochs: 3, Lr: 0.5, BatchSize: 64);
        var a = ExerciseTrainer.Train("net", 1, SmallNet, Data.Train, Data.Test, settings);
        var b = ExerciseTrainer.Train("net", 1, SmallNet, Data.Train, Data.Test, settings);
        var c = ExerciseTrainer.Train("net", 2, SmallNet, Data.Train, Data.Test, settings);
        Assert.Equal(3, a.Epochs.Count);
        Assert.Equal(a.Epochs.Select(e => (e.Metrics.TrainLoss, e.Metrics.TestAcc)), b.Epochs.Select(e => (e.Metrics.TrainLoss, e.Metrics.TestAcc)));
        Assert.NotEqual(a.Final.Metrics.TrainLoss, c.Final.Metrics.TrainLoss);
        Assert.False(a.Diverged);
    }

    [Fact]
    public void MeasuresAfterEveryEpochAndRestoresTheThreadCount()
    {
        int before = get_num_threads();
        int calls = 0;
        var run = ExerciseTrainer.Train("net", 0, SmallNet, Data.Train, Data.Test, new ExerciseSettings(2, BatchSize: 64),
            net => new Dictionary<string, double> { ["calls"] = ++calls, ["train acc (eval)"] = D2l.EvaluateAccuracy(net, Data.Train) });
        Assert.Equal(2, calls);
        Assert.Equal([1.0, 2.0], run.Epochs.Select(e => e["calls"]));
        Assert.InRange(run.Final["train acc (eval)"], 0, 1);
        Assert.Equal(before, get_num_threads());
        var missing = Assert.Throws<KeyNotFoundException>(() => run.Final["gap"]);
        Assert.Contains("measured: calls, train acc (eval)", missing.Message);
    }

    [Fact]
    public void ANonFiniteLossIsRecordedAsADivergedRunNotThrown()
    {
        var run = ExerciseTrainer.Train("too fast", 0, SmallNet, Data.Train, Data.Test, new ExerciseSettings(3, Lr: 1e12, BatchSize: 64));
        Assert.True(run.Diverged, run.ToString());
        Assert.Contains("DIVERGED", run.ToString());
    }

    [Fact]
    public void WeightDecayActsOnTheWeightsOnlyAsD2lDoes()
    {
        using var net = ConciseNet.Create(0, 0, numHiddens1: 8, numHiddens2: 8);
        var sgd = Assert.IsType<SGD>(ExerciseTrainer.Sgd(net, 0.5, 1e-3));
        var groups = sgd.ParamGroups.Cast<SGD.ParamGroup>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(1e-3, groups[0].Options.weight_decay);
        Assert.All(groups[0].Parameters, p => Assert.Equal(2, p.dim()));
        Assert.Equal(3, groups[0].Parameters.Count());
        Assert.True(groups[1].Options.weight_decay is null or 0);
        Assert.All(groups[1].Parameters, p => Assert.Equal(1, p.dim()));
        Assert.Equal(3, groups[1].Parameters.Count());

        // One step with zero gradients: weights shrink by (1 − lr·λ), biases stay
        var before = net.parameters().Select(p => p.detach().clone()).ToList();
        foreach (var p in net.parameters()) p.grad = zeros_like(p);
        sgd.step();
        var after = net.parameters().ToList();
        for (int i = 0; i < after.Count; i++)
            Assert.True(after[i].allclose(before[i] * (after[i].dim() == 2 ? 1 - 0.5 * 1e-3 : 1), rtol: 1e-6, atol: 1e-9));
    }

    [Fact]
    public void RefusesSettingsThatCannotTrain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExerciseSettings(0).Check());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExerciseSettings(1, Lr: 0).Check());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExerciseSettings(1, WeightDecay: -1).Check());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExerciseSettings(1, Threads: 0).Check());
    }
}
