using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>The training forward that <see cref="CustomDropout"/> and <see cref="CustomDropoutFixed"/> share.</summary>
internal static class CustomDropoutMath
{
    /// <summary>The blog's training branch, expression for expression: <c>mask = (torch.rand_like(x) &gt; p).float()</c>,
    /// then <c>x * mask / (1 - p)</c>; <paramref name="generator"/> (optional) supplies the uniform draws.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is not in [0, 1).</exception>
    public static Tensor TrainForward(Tensor x, double p, Generator? generator = null)
    {
        CheckDropProbability(p, nameof(p));
        using var scope = NewDisposeScope();
        var mask = (rand(x.shape, dtype: x.dtype, device: x.device, generator: generator) > p).to_type(x.dtype);
        return (x * mask / (1 - p)).MoveToOuterDisposeScope();
    }

    /// <summary>Rejects a drop probability that is NaN or outside [0, 1): the blog's module divides by 1 - p.</summary>
    public static void CheckDropProbability(double p, string name)
    {
        if (double.IsNaN(p) || p < 0 || p >= 1)
            throw new ArgumentOutOfRangeException(name, p,
                $"CustomDropout's p is the probability of DROPPING a unit and must be in [0, 1) (it divides by 1 - p); got {name} = {p}.");
    }
}
