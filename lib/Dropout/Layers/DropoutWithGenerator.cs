using static TorchSharp.torch;

namespace Dropout.Layers;

/// <summary><c>nn.Dropout(p)</c> with masks from its own generator. It computes what libtorch's CPU dropout computes
/// (<c>noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p); x * noise</c>), so from the same generator state it
/// gives <c>nn.Dropout</c>'s values bit for bit; runs owning generators train side by side as they do alone.</summary>
public sealed class DropoutWithGenerator : nn.Module<Tensor, Tensor>
{
    readonly Generator _generator;

    /// <summary>The generator the masks come from (the caller's).</summary>
    public Generator Generator => _generator;

    /// <summary>The probability of dropping an element, in [0, 1].</summary>
    public double P { get; }

    /// <summary>Drops with probability <paramref name="p"/>, drawing masks from <paramref name="generator"/> (the caller's).</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is NaN or outside [0, 1].</exception>
    public DropoutWithGenerator(double p, Generator generator) : base(nameof(DropoutWithGenerator))
    {
        DropoutOps.CheckProbability(p, nameof(p));
        P = p;
        _generator = generator;
    }

    /// <summary>In training mode x · mask / (1 − p); in eval mode (and for p = 0) x unchanged, as <c>nn.Dropout</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        // A new handle on the same tensor: Sequential disposes what each layer returns once the next has used it.
        if (!training || P == 0) return x.alias();
        if (P == 1) return x.mul(zeros([], x.dtype, x.device));
        var noise = empty_like(x).bernoulli_(1 - P, _generator);
        noise.div_(1 - P);
        return x.mul(noise);
    }
}
