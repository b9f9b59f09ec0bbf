using Dropout.Data;
using Dropout.Exercises;
using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Statistics;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Tests.Exercises;

[Collection(SerialCollection.Name)] // trains on both cores
public class ExerciseTrainerTests
{
    public ExerciseTrainerTests() => TorchNative.Ensure();

    static readonly (DataIter Train, DataIter Test) Data = SyntheticData.Iterators(trainN: 512, testN: 128, batchSize: 64);

    static ExerciseConfig Small(string name, double p1, double p2, int epochs = 3, double lr = 0.5, double weightDecay = 0) =>
        new(name, g => ConciseNet.Create(p1, p2, numHiddens1: 32, numHiddens2: 32, generator: g), new TrainingSettings(epochs, lr, 64, weightDecay));

    static (double, double)[] Numbers(ExerciseRun r) => r.Epochs.Select(e => (e.Metrics.TrainLoss, e.Metrics.TestAcc)).ToArray();

    [Fact]
    public void TheSameSeedGivesTheSameNumbersAloneOrBesideOtherRunsAndAnotherSeedOthers()
    {
        var config = Small("net", 0.2, 0.5);
        var alone = ExerciseTrainer.Train(config, 1, Data.Train, Data.Test);
        var c = ExerciseTrainer.Train(config, 2, Data.Train, Data.Test);
        var sideBySide = ExerciseTrainer.TrainSeeds([config, Small("other", 0.5, 0.5)], [1, 2], Data.Train, Data.Test, workers: 2);
        Assert.Equal(3, alone.Epochs.Count);
        Assert.Equal(Numbers(alone), Numbers(sideBySide[0].Runs[0].Result));
        Assert.Equal(Numbers(c), Numbers(sideBySide[0].Runs[1].Result));
        Assert.NotEqual(alone.Final.Metrics.TrainLoss, c.Final.Metrics.TrainLoss);
        Assert.Equal(["net", "other"], sideBySide.Select(s => s.Name));
        Assert.Equal([1, 2], sideBySide[1].Runs.Select(r => r.Seed));
        Assert.False(alone.Diverged);
    }

    [Fact]
    public void ConfigurationsOfOneSeedStartFromTheSameWeightsAndVisitTheSameMinibatches()
    {
        // With no noise and no decay, two configurations of the same shape and seed are the same run
        var a = ExerciseTrainer.Train(Small("a", 0, 0), 3, Data.Train, Data.Test);
        var b = ExerciseTrainer.Train(Small("b", 0, 0), 3, Data.Train, Data.Test);
        Assert.Equal(Numbers(a), Numbers(b));
    }

    [Fact]
    public void MeasuresAfterEveryEpochWithoutChangingTheTraining()
    {
        int calls = 0;
        var probe = new ActivationVarianceProbe(Data.Train.Features[..64], "dropout1");
        var measured = ExerciseTrainer.Train(Small("net", 0.5, 0.5, epochs: 2), 0, Data.Train, Data.Test,
            net => new Dictionary<string, double>
            {
                ["calls"] = ++calls,
                ["train acc (eval)"] = D2l.EvaluateAccuracy(net, Data.Train),
                // a train-mode probe draws masks from the run's generator: the trainer puts it back afterwards
                ["var"] = probe.Measure((Sequential)net, trainMode: true)["dropout1"].Variance,
            });
        var plain = ExerciseTrainer.Train(Small("net", 0.5, 0.5, epochs: 2), 0, Data.Train, Data.Test);
        Assert.Equal(2, calls);
        Assert.Equal([1.0, 2.0], measured.Epochs.Select(e => e["calls"]));
        Assert.InRange(measured.Final["train acc (eval)"], 0, 1);
        Assert.Equal(Numbers(plain), Numbers(measured));
        var missing = Assert.Throws<KeyNotFoundException>(() => measured.Final["gap"]);
        Assert.Contains("measured: calls, train acc (eval), var", missing.Message);
    }

    [Fact]
    public void ANonFiniteLossIsRecordedAsADivergedRunNotThrown()
    {
        var run = ExerciseTrainer.Train(Small("too fast", 0.2, 0.5, lr: 1e12), 0, Data.Train, Data.Test);
        Assert.True(run.Diverged, run.ToString());
        Assert.StartsWith("DIVERGED", run.ToString());
        var runs = ExerciseRuns.Of("too fast", [run]);
        Assert.Single(runs.Diverged);
        Assert.Null(runs.Of(r => r.Final.Metrics.TestAcc));
    }

    [Fact]
    public void WeightDecayActsOnTheWeightsOnlyAsD2lDoes()
    {
        using var net = ConciseNet.Create(0, 0, numHiddens1: 8, numHiddens2: 8);
        var sgd = Assert.IsType<SGD>(SeededTraining.Sgd(net, 0.5, 1e-3));
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
    public void RefusesSettingsThatCannotTrainAndConfigurationsWithOneName()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingSettings(0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingSettings(1, Lr: 0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingSettings(1, WeightDecay: -1).Validate());
        var e = Assert.Throws<ArgumentException>(() => ExerciseTrainer.TrainSeeds([Small("a", 0, 0), Small("a", 0.5, 0.5)], [1], Data.Train, Data.Test));
        Assert.Contains("two configurations are named 'a'", e.Message);
    }

    [Fact]
    public void AConciseNetsWeightsFromAGeneratorSeedOtherLayersAlike()
    {
        // DropConnect's and Gaussian noise's nets start from the concise net's weights of the same seed
        using var g1 = new Generator(9);
        using var concise = ConciseNet.Create(0.2, 0.5, generator: g1);
        using var g2 = new Generator(9);
        var lin1 = nn.Linear(784, 256);
        var lin2 = new DropConnectLinear(256, 256, 0.2, g2);
        var lin3 = new DropConnectLinear(256, 10, 0.5, g2);
        ConciseNet.InitWeights(g2, lin1, lin2.Inner, lin3.Inner);
        var expected = concise.parameters().ToList();
        var actual = new[] { lin1.weight!, lin1.bias!, lin2.Inner.weight!, lin2.Inner.bias!, lin3.Inner.weight!, lin3.Inner.bias! };
        for (int i = 0; i < actual.Length; i++) Assert.True(TensorAssert.Same(expected[i], actual[i]), $"parameter {i} differs");
    }
}

public class ExerciseRunsTests
{
    static ExerciseRun Run(string config, int seed, params double[] testAccs)
    {
        var epochs = testAccs.Select((acc, i) => new ExerciseEpoch(new EpochMetrics(i + 1, 1.0 - 0.1 * i, acc, acc, 0.1),
            new Dictionary<string, double> { ["train acc (eval)"] = acc + 0.05 })).ToList();
        return new ExerciseRun(config, seed, epochs, Divergence.Find(epochs.Select(e => e.Metrics).ToList()), 1);
    }

    static ExerciseRun WithLosses(string config, int seed, params double[] losses)
    {
        var epochs = losses.Select((l, i) => new ExerciseEpoch(new EpochMetrics(i + 1, l, 0.5, 0.5, 0.1), new Dictionary<string, double>())).ToList();
        return new ExerciseRun(config, seed, epochs, Divergence.Find(epochs.Select(e => e.Metrics).ToList()), 1);
    }

    static double TestAcc(ExerciseEpoch e) => e.Metrics.TestAcc;

    [Fact]
    public void DivergedRunsAreNamedAndKeptOutOfTheCurves()
    {
        var runs = ExerciseRuns.Of("a", [Run("a", 1, 0.6, 0.82), Run("a", 0, 0.5, 0.80), WithLosses("a", 2, 1.0, 3.0), Run("b", 0, 0.1)]);
        Assert.Equal([0, 1, 2], runs.Runs.Select(r => r.Seed));
        Assert.Equal(2, runs.Kept.Count);
        Assert.Equal(0.55, runs.PerEpoch(TestAcc)[0]!.Mean, 12);
        Assert.Equal("seed 2 diverged: train loss 3.0000 at epoch 2, above epoch 1's 1.0000; last epoch 2: train loss 3.0000, test acc 0.5000", runs.DivergedText);
        Assert.Null(ExerciseRuns.Of("gone", [WithLosses("gone", 0, 1.0, 3.0)]).PerEpoch(TestAcc)[0]);
    }

    [Fact]
    public void ARunThatRecoversIsKeptAndItsFirstEpochsAreJudgedAgain()
    {
        // Above its first loss at epoch 3, back below by the end: judged on the whole run, not diverged
        var recovered = WithLosses("a", 0, 2.0, 1.0, 2.5, 0.8);
        Assert.False(recovered.Diverged);
        // ... but the same run stopped after 3 epochs ends above where it started
        var upto3 = recovered.Upto(3);
        Assert.Equal(3, upto3.Epochs.Count);
        Assert.True(upto3.Diverged);
        Assert.False(recovered.Upto(2).Diverged);
        Assert.Same(recovered, recovered.Upto(5));
        Assert.Equal((4, false), (recovered.Upto(4).Epochs.Count, recovered.Upto(4).Diverged));
        var runs = ExerciseRuns.Of("a", [recovered]).Upto(3);
        Assert.Single(runs.Diverged);
        Assert.Throws<ArgumentOutOfRangeException>(() => recovered.Upto(0));
    }

    [Fact]
    public void ALossThatBecameNaNStaysWithinTheEpochsItCameIn()
    {
        var epochs = new[] { 1.0, 0.8 }.Select((l, i) => new ExerciseEpoch(new EpochMetrics(i + 1, l, 0.5, 0.5, 0.1), new Dictionary<string, double>())).ToList();
        var nan = new ExerciseRun("a", 0, epochs, new Divergence(3, double.NaN, 1.0), 1);
        Assert.True(nan.Upto(3).Diverged);
        Assert.False(nan.Upto(2).Diverged);
        Assert.Equal("diverged at epoch 1: train loss NaN", new ExerciseRun("a", 3, [], new Divergence(1, double.NaN, double.NaN), 1).DivergenceText);
    }

    [Fact]
    public void MeanOverTheLastEpochs()
    {
        var run = Run("a", 0, 0.5, 0.7, 0.8, 0.9);
        Assert.Equal(0.85, run.MeanOverLast(2, TestAcc), 12);
        Assert.True(double.IsNaN(run.MeanOverLast(5, TestAcc)));
        Assert.Equal(0.6, run.MeanOverEpochs(1, 2, TestAcc), 12);
        Assert.True(double.IsNaN(run.MeanOverEpochs(3, 5, TestAcc)));
        Assert.Equal("4 epochs: train loss 0.7000, test acc 0.9000 (1.0 s)", run.ToString());
    }

    [Fact]
    public void GainsPairSeedBySeedAndADivergedSideMakesADivergedGain()
    {
        var treated = ExerciseRuns.Of("t", [Run("t", 0, 0.80), Run("t", 1, 0.90), WithLosses("t", 2, 1.0, 3.0)]);
        var baseline = ExerciseRuns.Of("b", [Run("b", 1, 0.85), Run("b", 0, 0.70), Run("b", 2, 0.75)]);
        var gain = treated.Gain(baseline, r => r.Final.Metrics.TestAcc, "gain");
        Assert.Equal([0, 1, 2], gain.Runs.Select(r => r.Seed));
        Assert.Equal([0.10, 0.05], gain.Kept.Select(r => Math.Round(r.Result, 12)));
        Assert.StartsWith("(t diverged", gain.Diverged.Single().Divergence);
        var other = ExerciseRuns.Of("t2", [Run("t2", 0, 0.75), Run("t2", 1, 0.86)]).Gain(baseline, r => r.Final.Metrics.TestAcc, "other gain");
        var c = gain.Compare(other, "gain", g => g, higherIsBetter: true)!;
        Assert.True(c.Paired);
        Assert.Equal(((0.10 - 0.05) + (0.05 - 0.01)) / 2, c.Difference, 12);
    }
}
