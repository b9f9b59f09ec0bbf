using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>
/// Gaussian dropout (Srivastava et al. 2014, §10), one answer to d2l's exercise 7: instead of multiplying each
/// activation by a Bernoulli mask / (1 − p), multiply it by noise ε ~ N(1, σ²) with σ² = p / (1 − p). Standard
/// (inverted) dropout's multiplier m / (1 − p), m ~ Bernoulli(1 − p), has exactly that mean (1) and variance
/// (p / (1 − p)); Gaussian dropout keeps the first two moments and changes the shape of the noise: no unit is ever
/// zeroed, every unit is jittered. In eval mode it returns its input, as dropout does.
/// </summary>
public sealed class GaussianDropout : ModeDependentDropout
{
    /// <summary>The dropout probability whose noise variance this matches, in [0, 1).</summary>
    public double P { get; }

    /// <summary>The standard deviation of the multiplicative noise, √(p / (1 − p)).</summary>
    public double NoiseStd { get; }

    /// <summary>
    /// Noise of the same mean and variance as standard dropout with drop probability <paramref name="p"/>;
    /// <paramref name="generator"/> (optional) makes it repeatable, otherwise torch's global generator draws it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is NaN or not in [0, 1) (p = 1 would mean infinite variance).</exception>
    public GaussianDropout(double p, Generator? generator = null) : base(nameof(GaussianDropout), generator)
    {
        if (double.IsNaN(p) || p < 0 || p >= 1)
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Gaussian dropout's p must be in [0, 1) (its noise variance is p / (1 - p)); got p = {p}.");
        P = p;
        NoiseStd = Math.Sqrt(p / (1 - p));
    }

    /// <inheritdoc/>
    protected override Tensor Train(Tensor x)
    {
        if (P == 0) return x.alias();
        using var noise = randn(x.shape, dtype: x.dtype, device: x.device, generator: MaskGenerator);
        // ε = 1 + σ·z, z ~ N(0, 1): mean 1, variance σ² = p / (1 - p)
        using var epsilon = noise.mul_(NoiseStd).add_(1);
        return x * epsilon;
    }

    // A new tensor object for the same data, like nn.Dropout's: Sequential disposes each layer's output once the next
    // layer has run, and would otherwise dispose this layer's input, which its caller still holds.
    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => x.alias();
}
