using Dropout.Exercises;
using Dropout.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Exercises;

[Collection(SerialCollection.Name)] // reads and restores torch's global generator
public class ActivationVarianceProbeTests
{
    public ActivationVarianceProbeTests() => TorchNative.Ensure();

    [Fact]
    public void VarianceOfEachUnitAcrossSamplesAveragedOverUnitsOnAKnownInput()
    {
        // After ReLU: unit 0 takes 0, 1, 3 (mean 4/3, variance 7/3 with n − 1); unit 1 takes 1, 3, 5 (variance 4)
        using var X = tensor(new float[,] { { -1, 1 }, { 1, 3 }, { 3, 5 } });
        using var net = nn.Sequential(("relu1", nn.ReLU()));
        var stats = new ActivationVarianceProbe(X, "relu1").Measure(net)["relu1"];
        Assert.Equal((7.0 / 3 + 4) / 2, stats.Variance, 6);
        Assert.Equal(((0 + 1 + 9) / 3.0 + (1 + 9 + 25) / 3.0) / 2, stats.MeanSquare, 6);
    }

    [Fact]
    public void InTrainModeDropoutAddsPOverOneMinusPTimesTheMeanSquare()
    {
        random.manual_seed(1);
        using var X = rand(4000, 64) + 0.2;
        using var net = nn.Sequential(("relu1", nn.ReLU()), ("dropout1", nn.Dropout(0.5)));
        var probe = new ActivationVarianceProbe(X, "relu1", "dropout1");
        var eval = probe.Measure(net);
        var train = probe.Measure(net, trainMode: true);
        Assert.Equal(eval["relu1"].Variance, eval["dropout1"].Variance, 9); // eval mode: dropout is the identity
        Assert.Equal(eval["relu1"].Variance, train["relu1"].Variance, 9);   // nothing random before it
        double predicted = train["relu1"].VarianceAfterDropout(0.5);
        Assert.InRange(train["dropout1"].Variance / predicted, 0.98, 1.02);
        Assert.True(train["dropout1"].Variance > 3 * eval["relu1"].Variance, "dropout's noise dominates here");
    }

    [Fact]
    public void LeavesTheModeAndTorchsGeneratorAsTheyWere()
    {
        using var X = rand(100, 8);
        using var net = nn.Sequential(("relu1", nn.ReLU()), ("dropout1", nn.Dropout(0.5)));
        var probe = new ActivationVarianceProbe(X, "dropout1");
        random.manual_seed(5);
        using var expected = rand(3);
        random.manual_seed(5);
        net.eval();
        probe.Measure(net, trainMode: true);
        Assert.False(net.training);
        using var actual = rand(3);
        Assert.True(TensorAssert.Same(expected, actual), "a train-mode measurement must not move torch's generator");
        net.train();
        probe.Measure(net);
        Assert.True(net.training);
    }

    [Fact]
    public void NamesAMissingLayerAndRefusesTooFewSamples()
    {
        using var net = nn.Sequential(("relu1", nn.ReLU()));
        var e = Assert.Throws<ArgumentException>(() => new ActivationVarianceProbe(ones(4, 2), "relu2").Measure(net));
        Assert.Contains("no layer named relu2; its layers: relu1", e.Message);
        Assert.Throws<ArgumentException>(() => new ActivationVarianceProbe(ones(1, 2), "relu1"));
        Assert.Throws<ArgumentException>(() => new ActivationVarianceProbe(ones(4, 2)));
    }
}
