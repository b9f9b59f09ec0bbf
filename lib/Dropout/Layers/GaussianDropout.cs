using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>Gaussian dropout (Srivastava et al. 2014, §10), one answer to d2l's exercise 7: each activation is
/// multiplied by ε ~ N(1, σ²), σ² = p / (1 − p): the mean and variance of inverted dropout's multiplier
/// m / (1 − p), m ~ Bernoulli(1 − p). No unit is zeroed, every unit is jittered. Eval mode returns the input.</summary>
public sealed class GaussianDropout : ModeDependentDropout
{
    /// <summary>The dropout probability whose noise variance this matches, in [0, 1).</summary>
    public double P { get; }

    /// <summary>The standard deviation of the multiplicative noise, √(p / (1 − p)).</summary>
    public double NoiseStd { get; }

    /// <summary>Noise with the mean and variance of dropout at drop probability <paramref name="p"/>;
    /// <paramref name="generator"/> (optional; null: torch's global one) makes it repeatable.</summary>
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

    // A new tensor object (as nn.Dropout's): Sequential disposes each layer's output, here the caller's input.
    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => x.alias();
}
