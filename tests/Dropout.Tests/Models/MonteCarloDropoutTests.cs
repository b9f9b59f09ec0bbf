using Dropout.Layers;
using Dropout.Models;
using Dropout.Native;
using Dropout.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Models;

[Collection(SerialCollection.Name)] // seeds torch's global generator: parallel tests would draw from it too
public class MonteCarloDropoutTests
{
    public MonteCarloDropoutTests() => TorchNative.Ensure();

    static DropoutMlp SmallNet(double keepProb) => new(_ => new InvertedDropout(keepProb), numInputs: 20, numHiddens1: 64, numHiddens2: 64, numOutputs: 5);

    [Fact]
    public void AveragesSoftmaxOverPassesInTrainModeAndRestoresEvalMode()
    {
        random.manual_seed(1);
        using var net = SmallNet(0.5);
        using var X = randn(30, 20);
        net.eval();
        using var one = MonteCarloDropout.Predict(net, X, samples: 1);
        using var other = MonteCarloDropout.Predict(net, X, samples: 1);
        Assert.False(net.training, "the eval mode must be restored");
        Assert.False(TensorAssert.Same(one.MeanProbabilities, other.MeanProbabilities), "passes must be stochastic (train mode)");
        using var rowSums = one.MeanProbabilities.sum(1);
        Assert.True(rowSums.allclose(ones(30), atol: 1e-5));
        Assert.True(one.PredictedClassStd.eq(0).all().item<bool>(), "one pass has no spread");
    }

    [Fact]
    public void RestoresTrainModeToo()
    {
        using var net = SmallNet(0.5);
        net.train();
        using var X = randn(4, 20);
        using var _ = MonteCarloDropout.Predict(net, X, samples: 3);
        using var p = MonteCarloDropout.DeterministicProbabilities(net, X);
        Assert.True(net.training);
        Assert.True(net.Dropout1.training);
    }

    [Fact]
    public void WithoutDropoutTheAverageIsTheDeterministicPredictionAndThereIsNoUncertaintySpread()
    {
        using var net = SmallNet(1.0);
        using var X = randn(50, 20);
        using var mc = MonteCarloDropout.Predict(net, X, samples: 10, batchSize: 16);
        using var deterministic = MonteCarloDropout.DeterministicProbabilities(net, X, batchSize: 7);
        Assert.True(mc.MeanProbabilities.allclose(deterministic, atol: 1e-6));
        Assert.True(mc.PredictedClassStd.max().item<float>() < 1e-4);
        using var entropy = MonteCarloDropout.Entropy(deterministic);
        Assert.True(mc.Entropy.allclose(entropy, atol: 1e-5));
    }

    [Fact]
    public void TheAverageConvergesAsPassesGrow()
    {
        random.manual_seed(2);
        using var net = SmallNet(0.5);
        using var X = randn(20, 20);
        using var a = MonteCarloDropout.Predict(net, X, samples: 2000);
        using var b = MonteCarloDropout.Predict(net, X, samples: 2000);
        using var c = MonteCarloDropout.Predict(net, X, samples: 2);
        double bigGap = (a.MeanProbabilities - b.MeanProbabilities).abs().max().item<float>();
        double smallGap = (a.MeanProbabilities - c.MeanProbabilities).abs().max().item<float>();
        Assert.True(bigGap < 0.02, $"two 2000-pass averages differ by {bigGap}");
        Assert.True(bigGap < smallGap, $"2000 passes ({bigGap}) should agree better than 2 passes ({smallGap})");
        Assert.True(a.PredictedClassStd.mean().item<float>() > 0, "dropout passes must disagree");
    }

    [Fact]
    public void EntropyIsZeroForCertaintyAndLnCForUniform()
    {
        using var p = tensor(new float[,] { { 1, 0, 0, 0 }, { 0.25f, 0.25f, 0.25f, 0.25f } });
        using var h = MonteCarloDropout.Entropy(p);
        Assert.Equal(0, h[0].item<float>(), 6);
        Assert.Equal(Math.Log(4), h[1].item<float>(), 5);
    }

    [Fact]
    public void BadArgumentsAreRejectedAndTheModeIsLeftAlone()
    {
        using var net = SmallNet(0.5);
        net.eval();
        using var X = randn(4, 20);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDropout.Predict(net, X, samples: 0));
        Assert.Equal("samples", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDropout.Predict(net, X, samples: 5, batchSize: 0));
        Assert.False(net.training);
    }

    [Fact]
    public void ModeIsRestoredWhenAPassThrows()
    {
        using var net = SmallNet(0.5);
        net.eval();
        using var wrongWidth = randn(4, 21);
        Assert.ThrowsAny<Exception>(() => MonteCarloDropout.Predict(net, wrongWidth, samples: 2));
        Assert.False(net.training);
    }
}

public class UncertaintyBucketsTests
{
    public UncertaintyBucketsTests() => TorchNative.Ensure();

    [Fact]
    public void BucketsSortByUncertaintyAndCountAccuracy()
    {
        using var u = tensor(new float[] { 0.9f, 0.1f, 0.5f, 0.2f, 0.8f, 0.3f });
        using var correct = tensor(new[] { false, true, true, true, false, true });
        var buckets = UncertaintyBuckets.ByQuantile(u, correct, 3);
        Assert.Equal(3, buckets.Count);
        Assert.Equal(new UncertaintyBucket(1, 0.1f, 0.2f, 2, 1.0), buckets[0]);
        Assert.Equal(new UncertaintyBucket(2, 0.3f, 0.5f, 2, 1.0), buckets[1]);
        Assert.Equal(new UncertaintyBucket(3, 0.8f, 0.9f, 2, 0.0), buckets[2]);
    }

    [Fact]
    public void UnevenSizesCoverEverySample()
    {
        using var u = rand(101);
        using var correct = ones(101);
        var buckets = UncertaintyBuckets.ByQuantile(u, correct, 4);
        Assert.Equal(101, buckets.Sum(b => b.Count));
        Assert.All(buckets, b => Assert.Equal(1.0, b.Accuracy));
    }

    [Fact]
    public void BadShapesAndCountsAreRejected()
    {
        using var u = rand(10);
        using var correct = ones(9);
        Assert.Throws<ArgumentException>(() => UncertaintyBuckets.ByQuantile(u, correct, 2));
        using var correct10 = ones(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => UncertaintyBuckets.ByQuantile(u, correct10, 11));
        Assert.Contains("between 1 and", e.Message);
    }
}

[Collection(SerialCollection.Name)] // seeds torch's global generator: parallel tests would draw from it too
public class LossAndAccuracyTests
{
    public LossAndAccuracyTests() => TorchNative.Ensure();

    [Fact]
    public void ScalingTheLogitsDownKeepsAccuracyButRaisesTheLossAndLowersConfidence()
    {
        random.manual_seed(0);
        var (train, test) = SyntheticData.Iterators();
        using var net = new DropoutMlp(_ => new CustomDropout(0.5));
        D2l.TrainCh3(net, train, test, nn.CrossEntropyLoss(reduction: nn.Reduction.None), 3, optim.SGD(net.parameters(), 0.5));
        using var fixed_ = new DropoutMlp(_ => new CustomDropoutFixed(0.5));
        fixed_.load_state_dict(net.state_dict());
        net.train();
        var buggy = LossAndAccuracy.Evaluate(net, test);
        var repaired = LossAndAccuracy.Evaluate(fixed_, test);
        Assert.True(net.training, "the mode must be restored");
        Assert.Equal(D2l.EvaluateAccuracy(fixed_, test), repaired.Accuracy, 10);
        Assert.True(buggy.Loss > repaired.Loss, $"buggy loss {buggy.Loss} vs fixed {repaired.Loss}");
        Assert.True(buggy.MeanConfidence < repaired.MeanConfidence);
        Assert.InRange(repaired.MeanConfidence, 0.1, 1.0);
    }

    [Fact]
    public void LossIsTheMeanCrossEntropy()
    {
        // A "net" that always outputs zeros: loss ln 10 for every sample, confidence 1/10.
        using var zero = nn.Linear(784, 10);
        using (no_grad()) { zero.weight!.zero_(); zero.bias!.zero_(); }
        var flat = nn.Sequential(nn.Flatten(), zero);
        var (_, test) = SyntheticData.Iterators();
        var result = LossAndAccuracy.Evaluate(flat, test);
        Assert.Equal(Math.Log(10), result.Loss, 5);
        Assert.Equal(0.1, result.MeanConfidence, 5);
    }
}
