using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>The blog's hand-written <c>CustomDropout(nn.Module)</c>, bug included; <c>p</c> is the DROP probability.
/// Training: <c>x * mask / (1 - p)</c> (inverted); inference: <c>x * (1 - p)</c> (vanilla's scaling). Scaling twice
/// leaves eval activations (1 - p) times their training expectation; <see cref="CustomDropoutFixed"/> fixes it.</summary>
public sealed class CustomDropout : ModeDependentDropout
{
    /// <summary>The probability of dropping a unit, in [0, 1).</summary>
    public double P { get; }

    /// <summary>Creates the module as the blog does; <paramref name="generator"/> (optional) makes its masks repeatable.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is not in [0, 1).</exception>
    public CustomDropout(double p, Generator? generator = null) : base(nameof(CustomDropout), generator)
    {
        CustomDropoutMath.CheckDropProbability(p, nameof(p));
        P = p;
    }

    /// <inheritdoc/>
    protected override Tensor Train(Tensor x) => CustomDropoutMath.TrainForward(x, P, MaskGenerator);

    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => x * (1 - P);
}
