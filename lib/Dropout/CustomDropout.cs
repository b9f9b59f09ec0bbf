using TorchSharp;
using static TorchSharp.torch;

namespace Dropout;

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

/// <summary>
/// <see cref="CustomDropout"/> with the bug fixed: the same training forward (<c>x * mask / (1 - p)</c>),
/// and inference returns <c>x</c> unchanged, so eval activations equal the training expectation.
/// </summary>
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

/// <summary>The training forward that <see cref="CustomDropout"/> and <see cref="CustomDropoutFixed"/> share.</summary>
public static class CustomDropoutMath
{
    /// <summary>
    /// The blog's training branch, expression for expression: <c>mask = (torch.rand_like(x) &gt; p).float()</c>,
    /// then <c>x * mask / (1 - p)</c>. A unit is kept when its uniform draw exceeds p (probability 1 - p) and the
    /// kept ones are divided by 1 - p. <paramref name="generator"/> (optional) is where the uniform draws come from.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is not in [0, 1).</exception>
    public static Tensor TrainForward(Tensor x, double p, Generator? generator = null)
    {
        CheckDropProbability(p, nameof(p));
        using var scope = NewDisposeScope();
        var mask = (rand(x.shape, dtype: x.dtype, device: x.device, generator: generator) > p).to_type(x.dtype);
        return (x * mask / (1 - p)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rejects a drop probability that is NaN or outside [0, 1), naming the parameter and the value
    /// (the blog's module divides by 1 - p, so p = 1 has no meaning there).
    /// </summary>
    public static void CheckDropProbability(double p, string name)
    {
        if (double.IsNaN(p) || p < 0 || p >= 1)
            throw new ArgumentOutOfRangeException(name, p,
                $"CustomDropout's p is the probability of DROPPING a unit and must be in [0, 1) (it divides by 1 - p); got {name} = {p}.");
    }
}
