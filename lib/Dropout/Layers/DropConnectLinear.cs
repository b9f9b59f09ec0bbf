using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Dropout.Layers;

/// <summary>DropConnect (Wan et al. 2013), d2l's exercise 6: dropout on a fully connected layer's WEIGHTS, not its
/// inputs. While training, each forward pass applies d2l's <see cref="DropoutOps.DropoutLayer"/> to the weight matrix
/// and computes <c>x W'ᵀ + b</c>; in eval mode it is the plain <c>x Wᵀ + b</c>. The bias is not dropped. E[W'] = W, so
/// the expected training output equals the eval output. One mask per forward pass, shared by the minibatch (Wan et al.
/// draw one per sample, at batch-size times the cost). Standard dropout zeroes whole columns of W, per sample;
/// DropConnect single weights.</summary>
public sealed class DropConnectLinear : Module<Tensor, Tensor>
{
    readonly Linear linear;
    readonly Generator? _generator;

    /// <summary>The probability of dropping each weight while training, in [0, 1).</summary>
    public double P { get; }

    /// <summary>Weights start as <c>nn.Linear</c>'s; <c>net.apply(ConciseNet.InitWeights)</c> reaches the inner
    /// <see cref="TorchSharp.Modules.Linear"/>, so d2l's N(0, 0.01) init applies too. <paramref name="generator"/>
    /// (optional) makes the masks repeatable; null: torch's global generator, as for <c>nn.Dropout</c>.</summary>
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
        var droppedWeight = DropoutOps.DropoutLayer(linear.weight!, P, _generator);
        return functional.linear(x, droppedWeight, linear.bias).MoveToOuterDisposeScope();
    }
}
