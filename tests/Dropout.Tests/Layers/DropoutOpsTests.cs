using Dropout.Layers;
using Dropout.Native;
using static TorchSharp.torch;

namespace Dropout.Tests.Layers;

public class DropoutOpsTests
{
    public DropoutOpsTests() => TorchNative.Ensure();

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void KeptFractionIsOneMinusPWithinStatisticalBound(double p)
    {
        const int n = 1_000_000;
        using var X = ones(n);
        using var h = DropoutOps.DropoutLayer(X, p, new Generator(1));
        double kept = (h != 0).sum().item<long>() / (double)n;
        double sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(kept, 1 - p - 6 * sigma, 1 - p + 6 * sigma);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void KeptValuesAreScaledByExactlyOneOverOneMinusP(double p)
    {
        using var X = rand(1000, generator: new Generator(3)) + 0.5;
        using var h = DropoutOps.DropoutLayer(X, p, new Generator(4));
        using var kept = h != 0;
        using var expected = X / (1.0 - p);
        Assert.True(TensorAssert.Same(h.masked_select(kept), expected.masked_select(kept)));
        Assert.True(kept.any().item<bool>());
    }

    [Fact]
    public void ExpectationIsPreserved()
    {
        // E[h'] = h: the mean over many masks of one input converges to the input itself.
        const int draws = 20_000;
        using var h = tensor(new float[] { 0.5f, 1f, 2f, 4f });
        using var many = h.expand(draws, 4).contiguous();
        using var dropped = DropoutOps.DropoutLayer(many, 0.5, new Generator(5));
        var mean = dropped.mean([0]).data<float>().ToArray();
        var values = h.data<float>().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            // Var(h') = h² p/(1-p); the mean of `draws` samples has std h·sqrt(p/(1-p)/draws).
            double bound = 6 * values[i] * Math.Sqrt(1.0 / draws);
            Assert.InRange(mean[i], values[i] - bound, values[i] + bound);
        }
    }

    [Fact]
    public void GradientIsZeroExactlyWhereTheMaskIsZero()
    {
        const double p = 0.4;
        using var X = (rand(64, 32, generator: new Generator(6)) + 1).requires_grad_();
        using var h = DropoutOps.DropoutLayer(X, p, new Generator(7));
        h.sum().backward();
        using var grad = X.grad!;
        using var dropped = h == 0;
        Assert.True(grad.masked_select(dropped).eq(0).all().item<bool>());
        using var keptGrad = grad.masked_select(dropped.logical_not());
        Assert.True(keptGrad.allclose(full_like(keptGrad, 1 / (1 - p))));
        Assert.True(dropped.any().item<bool>());
    }

    [Fact]
    public void PZeroReturnsTheInputItself()
    {
        using var X = arange(16, dtype: float32).reshape(2, 8);
        Assert.Same(X, DropoutOps.DropoutLayer(X, 0));
    }

    [Fact]
    public void POneReturnsZerosShapedLikeTheInput()
    {
        using var X = arange(16, dtype: float32).reshape(2, 8);
        using var h = DropoutOps.DropoutLayer(X, 1);
        Assert.Equal(X.shape, h.shape);
        Assert.Equal(0f, h.abs().sum().item<float>());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void ProbabilityOutsideZeroOneIsRejectedNamingTheValue(double p)
    {
        using var X = ones(3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DropoutOps.DropoutLayer(X, p));
        Assert.Contains(p.ToString(), e.Message);
        Assert.Contains("between 0 and 1", e.Message);
    }

    public static TheoryData<long[], ScalarType> ShapesAndTypes => new()
    {
        { [7], ScalarType.Float32 },
        { [2, 3, 4], ScalarType.Float64 },
        { [1, 1, 5, 5], ScalarType.Float32 },
        { [300, 2], ScalarType.Float64 },
    };

    [Theory]
    [MemberData(nameof(ShapesAndTypes))]
    public void WorksForAnyShapeAndFloatType(long[] shape, ScalarType dtype)
    {
        using var X = ones(shape, dtype: dtype);
        using var h = DropoutOps.DropoutLayer(X, 0.5, new Generator(8));
        Assert.Equal(shape, h.shape);
        Assert.Equal(dtype, h.dtype);
        // Every element is either dropped or exactly doubled.
        Assert.True((h.eq(0) | h.eq(2)).all().item<bool>());
    }

    [Fact]
    public void SameSeedGivesTheSameMask()
    {
        using var X = ones(100);
        using var a = DropoutOps.DropoutLayer(X, 0.5, new Generator(42));
        using var b = DropoutOps.DropoutLayer(X, 0.5, new Generator(42));
        using var c = DropoutOps.DropoutLayer(X, 0.5, new Generator(43));
        Assert.True(TensorAssert.Same(a, b));
        Assert.False(TensorAssert.Same(a, c));
    }
}
