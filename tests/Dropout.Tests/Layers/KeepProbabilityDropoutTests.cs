using Dropout.Layers;
using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Layers;

[Collection(SerialCollection.Name)] // averages of 20,000 random masks: run alone, away from tests that reseed torch
public class KeepProbabilityDropoutTests
{
    public KeepProbabilityDropoutTests() => TorchNative.Ensure();

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void KeepMaskKeepsAboutKeepProbOfTheUnits(double keepProb)
    {
        using var mask = KeepProbabilityDropout.KeepMask([200_000], keepProb, generator: new Generator(3));
        Assert.True(((mask == 0) | (mask == 1)).all().item<bool>(), "the mask must be 0/1");
        Assert.Equal(keepProb, mask.mean().item<float>(), 0.01);
    }

    [Fact]
    public void TheMasksAreCs231nsExpressionRandLessThanP()
    {
        // CS231n: U = np.random.rand(*H.shape) < p (vanilla); U = (np.random.rand(*H.shape) < p) / p (inverted).
        // Notebook 05 writes these lines out; the library's modules must compute the same from the same draws.
        using var H = arange(16, dtype: float32).reshape(2, 8);
        using var u = rand(H.shape, generator: new Generator(7));
        using var U = (u < 0.6).to_type(ScalarType.Float32);
        using var vanilla = KeepProbabilityDropout.VanillaTrain(H, 0.6, new Generator(7));
        using var inverted = KeepProbabilityDropout.InvertedTrain(H, 0.6, new Generator(7));
        Assert.True(TensorAssert.Same(vanilla, H * U));
        Assert.True(inverted.allclose(H * (U / 0.6)));
    }

    [Fact]
    public void VanillaTrainKeepsUnitsUnscaledOrZeroesThem()
    {
        using var H = rand(400, 500, generator: new Generator(1)) + 0.5;
        using var out_ = KeepProbabilityDropout.VanillaTrain(H, 0.5, new Generator(2));
        using var kept = out_ != 0;
        Assert.True(TensorAssert.Same(out_.masked_select(kept), H.masked_select(kept)), "kept units must keep their value");
        Assert.Equal(0.5, kept.to_type(ScalarType.Float32).mean().item<float>(), 0.01);
    }

    [Fact]
    public void VanillaPredictScalesEveryUnitByKeepProb()
    {
        using var H = arange(16, dtype: float32).reshape(2, 8);
        using var predicted = KeepProbabilityDropout.VanillaPredict(H, 0.8);
        Assert.True(TensorAssert.Same(predicted, H * 0.8));
    }

    [Fact]
    public void InvertedTrainDividesKeptUnitsByKeepProb()
    {
        using var H = rand(400, 500, generator: new Generator(1)) + 0.5;
        using var out_ = KeepProbabilityDropout.InvertedTrain(H, 0.8, new Generator(2));
        using var kept = out_ != 0;
        Assert.True(out_.masked_select(kept).allclose(H.masked_select(kept) / 0.8), "kept units must be divided by keepProb");
        Assert.Equal(0.8, kept.to_type(ScalarType.Float32).mean().item<float>(), 0.01);
    }

    [Fact]
    public void InvertedPredictIsTheIdentity()
    {
        using var H = rand(3, 4);
        Assert.Same(H, KeepProbabilityDropout.InvertedPredict(H));
    }

    [Fact]
    public void SameGeneratorStateGivesTheSameMaskSoVanillaAndInvertedDifferByExactlyOneOverKeepProb()
    {
        using var H = rand(50, 60, generator: new Generator(1));
        using var vanilla = KeepProbabilityDropout.VanillaTrain(H, 0.5, new Generator(7));
        using var inverted = KeepProbabilityDropout.InvertedTrain(H, 0.5, new Generator(7));
        Assert.True(TensorAssert.Same(inverted, vanilla / 0.5));
    }

    [Fact]
    public void AveragedOverMasksVanillaTrainMatchesVanillaPredictAndInvertedTrainMatchesTheInput()
    {
        using var h = tensor(new float[] { 0.5f, 1, 2, 4 });
        var g = new Generator(5);
        using var vanillaMean = MaskAverage.Of(20_000, () => KeepProbabilityDropout.VanillaTrain(h, 0.8, g));
        using var invertedMean = MaskAverage.Of(20_000, () => KeepProbabilityDropout.InvertedTrain(h, 0.8, g));
        using var vanillaPredict = KeepProbabilityDropout.VanillaPredict(h, 0.8);
        Assert.True(vanillaMean.allclose(vanillaPredict, rtol: 0.02, atol: 0), vanillaMean.ToString(TorchSharp.TensorStringStyle.Julia));
        Assert.True(invertedMean.allclose(h, rtol: 0.02, atol: 0), invertedMean.ToString(TorchSharp.TensorStringStyle.Julia));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void BadKeepProbabilitiesAreRejectedWithTheirName(double keepProb)
    {
        using var H = ones(2, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KeepProbabilityDropout.VanillaTrain(H, keepProb));
        Assert.Equal("keepProb", e.ParamName);
        Assert.Contains("(0, 1]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => KeepProbabilityDropout.InvertedTrain(H, keepProb));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeepProbabilityDropout.VanillaPredict(H, keepProb));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VanillaDropout(keepProb));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InvertedDropout(keepProb));
    }

    [Fact]
    public void KeepProbOneKeepsEverything()
    {
        using var H = rand(10, 10);
        using var vanilla = KeepProbabilityDropout.VanillaTrain(H, 1);
        using var inverted = KeepProbabilityDropout.InvertedTrain(H, 1);
        Assert.True(TensorAssert.Same(vanilla, H));
        Assert.True(TensorAssert.Same(inverted, H));
    }

    [Fact]
    public void ModulesSwitchBetweenTrainAndPredictWithTheMode()
    {
        using var H = rand(100, 100, generator: new Generator(1)) + 0.1;
        using var vanilla = new VanillaDropout(0.5);
        using var inverted = new InvertedDropout(0.5);
        vanilla.eval();
        inverted.eval();
        Assert.True(TensorAssert.Same(vanilla.forward(H), H * 0.5));
        Assert.True(TensorAssert.Same(inverted.forward(H), H));
        vanilla.train();
        inverted.train();
        using var vanillaOut = vanilla.forward(H);
        using var invertedOut = inverted.forward(H);
        Assert.True((vanillaOut == 0).any().item<bool>(), "training mode must drop units");
        Assert.True((invertedOut == 0).any().item<bool>(), "training mode must drop units");
        Assert.True(vanillaOut.max().item<float>() <= H.max().item<float>(), "vanilla training must not scale up");
        Assert.True(invertedOut.max().item<float>() > H.max().item<float>(), "inverted training must scale kept units up");
    }
}
