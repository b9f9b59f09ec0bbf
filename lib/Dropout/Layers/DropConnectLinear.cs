using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Dropout.Layers;

/// <summary>
/// DropConnect (Wan et al. 2013), d2l's exercise 6: dropout on the WEIGHTS of a fully connected layer instead of on
/// its input activations. While training, each forward pass applies d2l's <see cref="DropoutOps.DropoutLayer"/> to the
/// weight matrix — every weight is zeroed with probability <see cref="P"/> and the kept ones are divided by
/// <c>1 - p</c> — and computes <c>x W'ᵀ + b</c>; in eval mode it is the plain layer <c>x Wᵀ + b</c>. The bias is not
/// dropped. Averaged over masks E[W'] = W, so the expected training output equals the eval output.
/// <para>
/// One mask per forward pass: all samples of a minibatch share it (Wan et al. draw one per sample, which needs a
/// batched product per sample and costs the batch size times more). Dropping input unit j of every sample is a special
/// case: column j of W zeroed — standard dropout drops whole columns, per sample; DropConnect single weights.
/// </para>
/// </summary>
public sealed class DropConnectLinear : Module<Tensor, Tensor>
{
    readonly Linear linear;
    readonly Generator? _generator;

    /// <summary>The probability of dropping each weight while training, in [0, 1).</summary>
    public double P { get; }

    /// <summary>
    /// A <paramref name="inFeatures"/> → <paramref name="outFeatures"/> layer whose weights are dropped with
    /// probability <paramref name="p"/> while training. The weights start as <c>nn.Linear</c>'s (PyTorch's default
    /// init); <c>net.apply(ConciseNet.InitWeights)</c> reaches them (the inner <see cref="TorchSharp.Modules.Linear"/> is a registered
    /// submodule), so d2l's N(0, 0.01) init applies as to any Linear. <paramref name="generator"/> (optional) makes the
    /// masks repeatable; without it they come from torch's global generator, like <c>nn.Dropout</c>'s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is NaN or not in [0, 1) (p = 1 would drop every weight and divide by 0).</exception>
    public DropConnectLinear(long inFeatures, long outFeatures, double p, Generator? generator = null) : base(nameof(DropConnectLinear))
    {
        if (double.IsNaN(p) || p < 0 || p >= 1)
            throw new ArgumentOutOfRangeException(nameof(p), p, $"DropConnect's p is the probability of dropping a weight and must be in [0, 1); got p = {p}.");
        P = p;
        _generator = generator;
        linear = Linear(inFeatures, outFeatures);
        // Without this, parameters() is empty and eval() never reaches the inner layer (TorchSharp #549).
        RegisterComponents();
    }

    /// <summary>The layer whose weights are dropped: its <c>weight</c> [out, in] and <c>bias</c> [out] are this module's parameters.</summary>
    public Linear Inner => linear;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        if (!training || P == 0) return linear.forward(x);
        using var scope = NewDisposeScope();
        // d2l's dropout_layer, applied to the weight matrix rather than to the activations
        var droppedWeight = DropoutOps.DropoutLayer(linear.weight!, P, _generator);
        return functional.linear(x, droppedWeight, linear.bias).MoveToOuterDisposeScope();
    }
}
