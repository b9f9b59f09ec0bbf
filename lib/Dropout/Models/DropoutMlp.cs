using Dropout.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Dropout.Models;

/// <summary>d2l's 784-256-256-10 MLP (CS231n's 3-layer example) with the dropout left to a factory: lin1 → ReLU →
/// dropout1 → lin2 → ReLU → dropout2 → lin3, so vanilla, inverted, the blog's <see cref="CustomDropout"/> and its fix
/// train in the same network. Linear layers keep PyTorch's default init.</summary>
public sealed class DropoutMlp : Module<Tensor, Tensor>
{
    readonly long _numInputs;
    readonly Linear lin1, lin2, lin3;
    readonly ReLU relu;
    readonly Module<Tensor, Tensor> dropout1, dropout2;

    /// <summary>Builds the net; <paramref name="dropoutFactory"/> gets the hidden layer number (1, then 2) and returns a new
    /// module each call, e.g. <c>layer =&gt; new InvertedDropout(layer == 1 ? 0.8 : 0.5)</c>.</summary>
    /// <exception cref="ArgumentException">The factory returned null or the same module for both layers.</exception>
    public DropoutMlp(Func<int, Module<Tensor, Tensor>> dropoutFactory, long numInputs = 784, long numHiddens1 = 256, long numHiddens2 = 256, long numOutputs = 10)
        : base(nameof(DropoutMlp))
    {
        ArgumentNullException.ThrowIfNull(dropoutFactory);
        _numInputs = numInputs;
        lin1 = Linear(numInputs, numHiddens1);
        lin2 = Linear(numHiddens1, numHiddens2);
        lin3 = Linear(numHiddens2, numOutputs);
        relu = ReLU();
        dropout1 = dropoutFactory(1) ?? throw new ArgumentException("the dropout factory returned null for hidden layer 1.", nameof(dropoutFactory));
        dropout2 = dropoutFactory(2) ?? throw new ArgumentException("the dropout factory returned null for hidden layer 2.", nameof(dropoutFactory));
        if (ReferenceEquals(dropout1, dropout2))
            throw new ArgumentException("the dropout factory returned the same module for both hidden layers; return a new module on each call.", nameof(dropoutFactory));
        // Without this, parameters() is empty and eval() never reaches the dropout modules (TorchSharp #549).
        RegisterComponents();
    }

    /// <summary>The dropout module after the first hidden layer.</summary>
    public Module<Tensor, Tensor> Dropout1 => dropout1;
    /// <summary>The dropout module after the second hidden layer.</summary>
    public Module<Tensor, Tensor> Dropout2 => dropout2;

    /// <inheritdoc/>
    public override Tensor forward(Tensor X)
    {
        using var scope = NewDisposeScope();
        var H1 = dropout1.forward(relu.forward(lin1.forward(X.reshape(-1, _numInputs))));
        var H2 = dropout2.forward(relu.forward(lin2.forward(H1)));
        return lin3.forward(H2).MoveToOuterDisposeScope();
    }

    /// <summary>The forward pass, in the current mode, also returning the hidden activations after dropout.</summary>
    public MlpActivations ForwardWithActivations(Tensor X)
    {
        using var scope = NewDisposeScope();
        var H1 = dropout1.forward(relu.forward(lin1.forward(X.reshape(-1, _numInputs))));
        var H2 = dropout2.forward(relu.forward(lin2.forward(H1)));
        var output = lin3.forward(H2);
        return new MlpActivations(H1.MoveToOuterDisposeScope(), H2.MoveToOuterDisposeScope(), output.MoveToOuterDisposeScope());
    }

    /// <summary>Multiplies lin2.weight by <paramref name="scale1"/> and lin3.weight by <paramref name="scale2"/> in
    /// place, biases untouched. With the keep probabilities, this turns vanilla-dropout weights into inverted-dropout
    /// weights computing the same function (Hinton's weight-scaling rule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A scale is not finite.</exception>
    public void ScaleOutgoingWeights(double scale1, double scale2)
    {
        if (!double.IsFinite(scale1)) throw new ArgumentOutOfRangeException(nameof(scale1), scale1, $"the scale must be a finite number; got {scale1}.");
        if (!double.IsFinite(scale2)) throw new ArgumentOutOfRangeException(nameof(scale2), scale2, $"the scale must be a finite number; got {scale2}.");
        using var noGrad = no_grad();
        lin2.weight!.mul_(scale1);
        lin3.weight!.mul_(scale2);
    }
}
