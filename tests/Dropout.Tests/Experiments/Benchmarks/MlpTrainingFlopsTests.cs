using Dropout.Experiments.Benchmarks;

namespace Dropout.Tests.Experiments.Benchmarks;

public class MlpTrainingFlopsTests
{
    // Multiply-adds per sample of d2l's three Linear layers: 784·256 + 256·256 + 256·10 = 268,800.
    const long MacsPerSample = 784 * 256 + 256 * 256 + 256 * 10;

    [Fact]
    public void ForwardCountsTwoFlopsPerMultiplyAddOfTheThreeLinearLayers()
    {
        Assert.Equal(268_800, MacsPerSample);
        Assert.Equal(2.0 * 256 * MacsPerSample, MlpTrainingFlops.D2l.Forward(256));
        Assert.Equal(137_625_600, MlpTrainingFlops.D2l.Forward(256));
    }

    [Fact]
    public void BackwardIsTwiceForwardLessTheFirstLayersInputGradient()
    {
        var flops = MlpTrainingFlops.D2l;
        Assert.Equal(2 * flops.ForwardPerSample - 2.0 * 784 * 256, flops.BackwardPerSample);
        Assert.Equal(673_792, flops.BackwardPerSample);
        // One SGD step at batch 256: 137.6 MFLOP forward + 172.5 MFLOP backward.
        Assert.Equal(310_116_352, flops.TrainingStep(256));
    }

    [Fact]
    public void OtherWidthsAndBadWidths()
    {
        var single = new MlpTrainingFlops(3, 2);
        Assert.Equal(12, single.ForwardPerSample);
        Assert.Equal(12, single.BackwardPerSample); // a single layer: weight gradient only
        Assert.Equal([(3L, 2L)], single.Layers);
        Assert.Throws<ArgumentException>(() => new MlpTrainingFlops(784));
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => new MlpTrainingFlops(784, 0, 10)).Message);
    }
}
