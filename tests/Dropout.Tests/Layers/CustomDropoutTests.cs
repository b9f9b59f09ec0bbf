using Dropout.Layers;
using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Layers;

[Collection(SerialCollection.Name)] // averages of 20,000 random masks: run alone, away from tests that reseed torch
public class CustomDropoutTests
{
    public CustomDropoutTests() => TorchNative.Ensure();

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void TheBlogsEvalOutputIsTheInputTimesOneMinusP(double p)
    {
        using var x = rand(64, 256, generator: new Generator(1));
        using var buggy = new CustomDropout(p);
        buggy.eval();
        using var y = buggy.forward(x);
        Assert.True(TensorAssert.Same(y, x * (1 - p)));
    }

    [Fact]
    public void TheFixedEvalOutputIsTheInputItself()
    {
        using var x = rand(64, 256);
        using var fixed_ = new CustomDropoutFixed(0.5);
        fixed_.eval();
        Assert.True(TensorAssert.Same(fixed_.forward(x), x));
    }

    [Fact]
    public void BothTrainTheSameWayInvertedScalingByOneOverOneMinusP()
    {
        using var x = rand(200, 300, generator: new Generator(1)) + 0.5;
        using var buggy = new CustomDropout(0.2, new Generator(9));
        using var fixed_ = new CustomDropoutFixed(0.2, new Generator(9));
        using var a = buggy.forward(x);
        using var b = fixed_.forward(x);
        Assert.True(TensorAssert.Same(a, b), "the fix must not change the training forward");
        using var kept = a != 0;
        Assert.True(a.masked_select(kept).allclose(x.masked_select(kept) / 0.8));
        Assert.Equal(0.8, kept.to_type(ScalarType.Float32).mean().item<float>(), 0.01);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    public void TheTrainingMaskIsTheBlogsExpressionRandGreaterThanP(double p)
    {
        // The blog: mask = (torch.rand_like(x) > self.p).float(); return x * mask / (1 - self.p).
        // From the same uniform draws, Bernoulli(1 - p) written as rand < 1 - p would keep other units.
        using var x = ones(4000);
        using var blog = new CustomDropout(p, new Generator(5));
        using var output = blog.forward(x);
        using var u = rand(4000, generator: new Generator(5));
        using var expected = (u > p).to_type(ScalarType.Float32) / (1 - p);
        Assert.True(TensorAssert.Same(output, expected));
        using var otherWay = (u < 1 - p).to_type(ScalarType.Float32) / (1 - p);
        Assert.False(TensorAssert.Same(output, otherWay), "rand < 1 - p is another mask from the same draws");
    }

    [Fact]
    public void TrainModeExpectationIsTheInputSoTheBlogsEvalIsShrunkByOneMinusP()
    {
        using var x = tensor(new float[] { 1, 2, 3 });
        using var buggy = new CustomDropout(0.5, new Generator(4));
        using var trainMean = MaskAverage.Of(20_000, () => buggy.forward(x));
        buggy.eval();
        using var evalOut = buggy.forward(x);
        Assert.True(trainMean.allclose(x, rtol: 0.03, atol: 0), trainMean.ToString(TorchSharp.TensorStringStyle.Julia));
        Assert.True((evalOut / trainMean).allclose(full(3, 0.5f), rtol: 0.03, atol: 0));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void BadDropProbabilitiesAreRejected(double p)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CustomDropout(p));
        Assert.Equal("p", e.ParamName);
        Assert.Contains("[0, 1)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomDropoutFixed(p));
    }
}
