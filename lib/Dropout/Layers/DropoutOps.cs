using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>Dropout (暂退法) as a function on tensors, exactly as d2l writes it from scratch.</summary>
public static class DropoutOps
{
    /// <summary>d2l's <c>dropout_layer(X, dropout)</c>: zeroes each element with probability <paramref name="p"/> and
    /// divides the rest by <c>1 - p</c>, so E[h'] = h. p = 1 gives zeros; p = 0 returns X itself (the same object).</summary>
    /// <param name="X">Any shape; float32 or float64.</param>
    /// <param name="generator">Null: torch's global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">p is NaN or outside [0, 1].</exception>
    public static Tensor DropoutLayer(Tensor X, double p, Generator? generator = null)
    {
        CheckProbability(p, nameof(p));
        // In this case, all elements are dropped (本情况中，所有元素都被丢弃)
        if (p == 1) return zeros_like(X);
        // In this case, all elements are kept (本情况中，所有元素都被保留)
        if (p == 0) return X;
        using var mask = (rand(X.shape, dtype: X.dtype, device: X.device, generator: generator) > p).to_type(X.dtype);
        return mask * X / (1.0 - p);
    }

    /// <summary>True when <paramref name="p"/> can be a dropout probability: in [0, 1] (NaN is not). The project's one check.</summary>
    public static bool IsProbability(double p) => p is >= 0 and <= 1;

    /// <summary>Rejects a dropout probability that is NaN or outside [0, 1], naming the value and the parameter.</summary>
    public static void CheckProbability(double p, string name)
    {
        if (!IsProbability(p))
            throw new ArgumentOutOfRangeException(name, p, $"a dropout probability must be between 0 and 1 (inclusive); got {name} = {p}.");
    }
}
