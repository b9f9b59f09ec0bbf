using Dropout.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace Dropout.Models;

/// <summary>d2l's from-scratch <c>Net</c>: lin1 → ReLU → dropout → lin2 → ReLU → dropout → lin3, the dropout being
/// <see cref="DropoutOps.DropoutLayer"/>, only while training. Probabilities are per instance (d2l's are globals);
/// Linear layers keep PyTorch's default init.</summary>
public sealed class ScratchNet : Module<Tensor, Tensor>
{
    readonly long _numInputs;
    readonly Generator? _generator;
    readonly Linear lin1, lin2, lin3;
    readonly ReLU relu;

    /// <summary>Dropout probability after the first hidden layer.</summary>
    public double Dropout1 { get; }
    /// <summary>Dropout probability after the second hidden layer.</summary>
    public double Dropout2 { get; }

    /// <summary>Builds the net; d2l's setting is (784, 10, 256, 256, 0.2, 0.5). A <paramref name="generator"/> supplies the
    /// initial weights (PyTorch's default, uniform ± 1/√fan_in) and every mask instead of torch's global one.</summary>
    public ScratchNet(long numInputs, long numOutputs, long numHiddens1, long numHiddens2, double dropout1, double dropout2, Generator? generator = null)
        : base(nameof(ScratchNet))
    {
        DropoutOps.CheckProbability(dropout1, nameof(dropout1));
        DropoutOps.CheckProbability(dropout2, nameof(dropout2));
        _numInputs = numInputs;
        Dropout1 = dropout1;
        Dropout2 = dropout2;
        lin1 = Linear(numInputs, numHiddens1);
        lin2 = Linear(numHiddens1, numHiddens2);
        lin3 = Linear(numHiddens2, numOutputs);
        relu = ReLU();
        _generator = generator;
        if (generator is not null)
            using (no_grad())
                foreach (var layer in new[] { lin1, lin2, lin3 })
                {
                    double bound = 1 / Math.Sqrt(layer.weight.shape[1]);
                    layer.weight.uniform_(-bound, bound, generator);
                    layer.bias?.uniform_(-bound, bound, generator);
                }
        // Without this, parameters() is empty and eval() never reaches the submodules (TorchSharp #549).
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor X)
    {
        using var scope = NewDisposeScope();
        var H1 = relu.forward(lin1.forward(X.reshape(-1, _numInputs)));
        // Use dropout only when training the model (只有在训练模型时才使用dropout)
        if (training) H1 = DropoutOps.DropoutLayer(H1, Dropout1, _generator);
        var H2 = relu.forward(lin2.forward(H1));
        if (training) H2 = DropoutOps.DropoutLayer(H2, Dropout2, _generator);
        return lin3.forward(H2).MoveToOuterDisposeScope();
    }
}
