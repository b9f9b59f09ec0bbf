using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary>
/// The hand-written <c>CustomDropout(nn.Module)</c> of the blog, bug included. <c>p</c> is the DROP
/// probability (PyTorch's convention). Training: the blog's mask <c>(torch.rand_like(x) &gt; p).float()</c>
/// (a unit is kept with probability 1 - p) and <c>x * mask / (1 - p)</c> (inverted dropout). Inference:
/// <c>x * (1 - p)</c> (vanilla dropout's test-time scaling). Doing both scales twice: eval activations come
/// out (1 - p) times their training expectation. <see cref="CustomDropoutFixed"/> is the fix.
/// </summary>
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

    // The bug: inverted scaling in training already keeps E[output] = x; this scales a second time.
    /// <inheritdoc/>
    protected override Tensor Eval(Tensor x) => x * (1 - P);
}
