using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Dropout.Models;

/// <summary>What a <see cref="DropoutMlp"/> computed: each hidden layer's activation as the next layer sees it
/// (after ReLU and dropout), and the logits. Dispose it to free all three.</summary>
public sealed record MlpActivations(Tensor H1, Tensor H2, Tensor Output) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        H1.Dispose();
        H2.Dispose();
        Output.Dispose();
    }
}
