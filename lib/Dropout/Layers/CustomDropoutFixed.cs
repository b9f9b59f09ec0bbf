using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary><see cref="CustomDropout"/> fixed: the same training forward, and inference returns <c>x</c> unchanged.</summary>
public sealed class CustomDropoutFixed : ModeDependentDropout
{
    /// <summary>The probability of dropping a unit, in [0, 1).</summary>
    public double P { get; }

    /// <summary>Creates the module; <paramref name="generator"/> (optional) makes its masks repeatable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is not in [0, 1).</exception>
    public CustomDropoutFixed(double p, Generator? generator = null) : base(nameof(CustomDropoutFixed), generator)
    {
        CustomDropoutMath.CheckDropProbability(p, nameof(p));
        P = p;
    }

    /// <inheritdoc/>
    protected override Tensor Train(Tensor x) => CustomDropoutMath.TrainForward(x, P, MaskGenerator);

    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => x;
}
