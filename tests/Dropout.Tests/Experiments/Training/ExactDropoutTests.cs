using Dropout.Experiments.Training;
using Dropout.Layers;
using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Experiments.Training;

/// <summary>Serial: the probe and the comparisons use torch's global generator.</summary>
[Collection(SerialCollection.Name)]
public class ExactDropoutTests
{
    public ExactDropoutTests() => TorchNative.Ensure();

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void WhereItIsEnabledItIsNnDropoutBitForBit(double p)
    {
        var exact = ExactDropout.Create(p);
        if (exact is null)
        {
            // Refused: then libtorch's bernoulli_ really draws otherwise here (MKL's generator, on Intel CPUs).
            random.manual_seed(1);
            using var u = rand(4096, dtype: float64);
            random.manual_seed(1);
            using var b = empty(4096).bernoulli_(1 - p);
            Assert.False((u < 1 - p).to_type(float32).equal(b).all().item<bool>());
            return;
        }
        using var x = randn(256, 256);
        random.manual_seed(7);
        using var expected = nn.functional.dropout(x, p, training: true);
        using var expectedState = random.get_rng_state();
        random.manual_seed(7);
        using var actual = exact.Forward(x);
        using var actualState = random.get_rng_state();
        Assert.Equal(expected.bytes.ToArray(), actual.bytes.ToArray());
        Assert.Equal(expectedState.bytes.ToArray(), actualState.bytes.ToArray());
    }

    [Fact]
    public void TheGradientIsNnDropoutsToo()
    {
        var exact = ExactDropout.Create(0.5);
        if (exact is null) return; // covered by the refusal check above
        using var x1 = randn(64, 32).requires_grad_();
        using var x2 = x1.detach().clone().requires_grad_();
        random.manual_seed(3);
        nn.functional.dropout(x1, 0.5, training: true).sum().backward();
        random.manual_seed(3);
        exact.Forward(x2).sum().backward();
        Assert.Equal(x1.grad!.bytes.ToArray(), x2.grad!.bytes.ToArray());
    }

    [Fact]
    public void TheProbeLeavesTheGlobalGeneratorAlone()
    {
        random.manual_seed(5);
        using var before = random.get_rng_state();
        var exact = ExactDropout.Create(0.3);
        using var after = random.get_rng_state();
        Assert.Equal(before.bytes.ToArray(), after.bytes.ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ProbabilitiesWithoutAMaskAreLeftToNnDropout(double p) => Assert.Null(ExactDropout.Create(p));

    [Fact]
    public void OnlyContiguousFloatCpuTensorsAreTaken()
    {
        using var x = rand(4, 6);
        Assert.True(ExactDropout.Handles(x));
        using var t = x.t();
        Assert.False(ExactDropout.Handles(t));
        using var d = rand(4, 6, dtype: float64);
        Assert.False(ExactDropout.Handles(d));
        using var e = empty(0, 6);
        Assert.False(ExactDropout.Handles(e));
    }
}
