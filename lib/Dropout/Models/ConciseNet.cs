using Dropout.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Dropout.Models;

/// <summary>
/// d2l's concise model: <c>nn.Sequential(Flatten, Linear, ReLU, Dropout(p1), Linear, ReLU, Dropout(p2), Linear)</c>
/// with <see cref="InitWeights"/> applied.
/// </summary>
public static class ConciseNet
{
    /// <summary>Builds the Sequential and applies <c>init_weights</c> (d2l: 784-256-256-10).</summary>
    public static Sequential Create(double dropout1, double dropout2, long numInputs = 784, long numHiddens1 = 256, long numHiddens2 = 256, long numOutputs = 10)
    {
        DropoutOps.CheckProbability(dropout1, nameof(dropout1));
        DropoutOps.CheckProbability(dropout2, nameof(dropout2));
        var net = Sequential(
            ("flatten", Flatten()),
            ("lin1", Linear(numInputs, numHiddens1)),
            ("relu1", ReLU()),
            // Add a dropout layer after the first fully connected layer (在第一个全连接层之后添加一个dropout层)
            ("dropout1", nn.Dropout(dropout1)),
            ("lin2", Linear(numHiddens1, numHiddens2)),
            ("relu2", ReLU()),
            // Add a dropout layer after the second fully connected layer (在第二个全连接层之后添加一个dropout层)
            ("dropout2", nn.Dropout(dropout2)),
            ("lin3", Linear(numHiddens2, numOutputs)));
        net.apply(InitWeights);
        return net;
    }

    /// <summary>d2l's <c>init_weights</c>: Linear weights ~ N(0, 0.01); biases untouched.</summary>
    public static void InitWeights(Module m)
    {
        if (m is Linear linear)
            using (no_grad())
                init.normal_(linear.weight, mean: 0, std: 0.01);
    }
}
