using Dropout.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Dropout.Models;

/// <summary>d2l's concise model: <c>nn.Sequential(Flatten, Linear, ReLU, Dropout(p1), Linear, ReLU, Dropout(p2), Linear)</c>
/// with <see cref="InitWeights(Module)"/> applied.</summary>
public static class ConciseNet
{
    /// <summary>Builds the net (d2l: 784-256-256-10). A <paramref name="generator"/> supplies its weights and dropout
    /// masks instead of torch's global one: seeded with s, the net equals the one built after
    /// <c>torch.manual_seed(s)</c> and trains the same.</summary>
    public static Sequential Create(double dropout1, double dropout2, long numInputs = 784, long numHiddens1 = 256, long numHiddens2 = 256,
        long numOutputs = 10, Generator? generator = null)
    {
        DropoutOps.CheckProbability(dropout1, nameof(dropout1));
        DropoutOps.CheckProbability(dropout2, nameof(dropout2));
        Module<Tensor, Tensor> Dropout(double p) => generator is null ? nn.Dropout(p) : new DropoutWithGenerator(p, generator);
        Linear lin1 = Linear(numInputs, numHiddens1), lin2 = Linear(numHiddens1, numHiddens2), lin3 = Linear(numHiddens2, numOutputs);
        var net = Sequential(
            ("flatten", Flatten()),
            ("lin1", lin1),
            ("relu1", ReLU()),
            // Add a dropout layer after the first fully connected layer (在第一个全连接层之后添加一个dropout层)
            ("dropout1", Dropout(dropout1)),
            ("lin2", lin2),
            ("relu2", ReLU()),
            // Add a dropout layer after the second fully connected layer (在第二个全连接层之后添加一个dropout层)
            ("dropout2", Dropout(dropout2)),
            ("lin3", lin3));
        if (generator is null) net.apply(InitWeights);
        else InitWeights(generator, lin1, lin2, lin3);
        return net;
    }

    /// <summary>Draws from <paramref name="generator"/> what <c>nn.Linear</c> and then <c>init_weights</c> draw, in
    /// order: each layer's weight (kaiming-uniform, overwritten later) and bias (uniform ± 1/√fan_in), then each
    /// weight ~ N(0, 0.01). Other nets around the same <paramref name="layers"/> thus start from the concise net's
    /// weights for the same seed.</summary>
    public static void InitWeights(Generator generator, params Linear[] layers)
    {
        using var _ = no_grad();
        foreach (var layer in layers)
        {
            double bound = 1 / Math.Sqrt(layer.weight.shape[1]);
            layer.weight.uniform_(-bound, bound, generator);
            layer.bias?.uniform_(-bound, bound, generator);
        }
        foreach (var layer in layers) layer.weight.normal_(0, 0.01, generator);
    }

    /// <summary>d2l's <c>init_weights</c>: Linear weights ~ N(0, 0.01); biases untouched.</summary>
    public static void InitWeights(Module m)
    {
        if (m is Linear linear)
            using (no_grad())
                init.normal_(linear.weight, mean: 0, std: 0.01);
    }
}
