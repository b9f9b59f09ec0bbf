using Dropout.Layers;
using Dropout.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Tests.Layers;

[Collection(SerialCollection.Name)] // draws millions of random numbers from torch's global generator
public class GaussianDropoutTests
{
    public GaussianDropoutTests() => TorchNative.Ensure();

    [Theory]
    [InlineData(0.2, 0.25)]
    [InlineData(0.5, 1.0)]
    public void TheNoiseHasMeanOneAndVarianceOfStandardDropouts(double p, double variance)
    {
        using var ones_ = ones(2_000_000);
        using var gaussian = new GaussianDropout(p, new Generator(1));
        using var noise = gaussian.forward(ones_);
        Assert.Equal(1.0, noise.mean().item<float>(), 2);
        Assert.Equal(variance, noise.var().item<float>(), 2);
        Assert.Equal(Math.Sqrt(variance), gaussian.NoiseStd, 12);

        // Standard (inverted) dropout's multiplier m / (1 - p) has the same two moments
        random.manual_seed(2);
        using var dropout = nn.Dropout(p);
        using var multiplier = dropout.forward(ones_);
        Assert.Equal(1.0, multiplier.mean().item<float>(), 2);
        Assert.Equal(variance, multiplier.var().item<float>(), 2);
        Assert.True(noise.eq(0).sum().item<long>() < 10, "Gaussian noise does not zero units");
    }

    [Fact]
    public void EvalPassesTheInputThroughEvenInsideASequential()
    {
        using var x = rand(4, 5, generator: new Generator(3));
        using var gaussian = new GaussianDropout(0.5);
        gaussian.eval();
        using var y = gaussian.forward(x);
        Assert.True(TensorAssert.Same(y, x));
        // Sequential disposes each layer's output after the next layer ran: the eval output must be a tensor of its own
        using var net = nn.Sequential(("noise", new GaussianDropout(0.5)), ("lin", nn.Linear(5, 2)));
        net.eval();
        using var out1 = net.forward(x);
        using var out2 = net.forward(x);
        Assert.True(TensorAssert.Same(out1, out2));
        Assert.True(float.IsFinite(x.sum().item<float>()), "the caller's input must still be alive");
    }

    [Fact]
    public void TrainingIsStochasticAndZeroProbabilityIsTheIdentity()
    {
        using var x = rand(4, 5, generator: new Generator(3));
        using var gaussian = new GaussianDropout(0.5, new Generator(4));
        Assert.False(TensorAssert.Same(gaussian.forward(x), gaussian.forward(x)));
        using var none = new GaussianDropout(0);
        Assert.True(TensorAssert.Same(none.forward(x), x));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void RejectsProbabilitiesOutsideZeroToOne(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianDropout(p));
}
