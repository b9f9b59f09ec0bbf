using Dropout.Layers;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// Morvan's regression demo (PyTorch-Tutorial 503_dropout.py): 20 noisy points on a line and two
/// 1→300→300→1 nets, one of which overfits them and one with dropout (暂退法). The notebook writes the
/// same lines out for the learner; these are the copies the multi-seed study and the tests use.
/// </summary>
public static class RegressionDemo
{
    /// <summary>The source's <c>N_SAMPLES</c>: points in the training set and in the test set.</summary>
    public const int NSamples = 20;

    /// <summary>The source's <c>N_HIDDEN</c>: units in each of the two hidden layers.</summary>
    public const int NHidden = 300;

    /// <summary>The standard deviation of the noise added to y = x.</summary>
    public const double Noise = 0.3;

    /// <summary>
    /// The source's data: <c>x = unsqueeze(linspace(-1, 1, n), 1)</c>, <c>y = x + noise·normal(zeros(n, 1), ones(n, 1))</c>,
    /// both float32 of shape [n, 1]. The noise comes from torch's global generator, as in the source, so
    /// <c>torch.random.manual_seed</c> before the call fixes it; call twice for the training and the test set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 2 or noise is negative or not finite.</exception>
    public static (Tensor x, Tensor y) MakeData(int n = NSamples, double noise = Noise)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, $"the demo needs at least 2 points on [-1, 1]; got n = {n}.");
        if (!double.IsFinite(noise) || noise < 0)
            throw new ArgumentOutOfRangeException(nameof(noise), noise, $"the noise's standard deviation must be a finite number >= 0; got {noise}.");
        using var scope = NewDisposeScope();
        var x = unsqueeze(linspace(-1, 1, n), 1);
        var y = x + noise * normal(zeros(n, 1), ones(n, 1));
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The source's <c>net_overfitting</c>: <c>Sequential(Linear(1, h), ReLU, Linear(h, h), ReLU, Linear(h, 1))</c>,
    /// PyTorch's default Linear init, layers named 0..4 as PyTorch numbers them.
    /// </summary>
    public static Sequential NetOverfitting(int nHidden = NHidden)
    {
        CheckHidden(nHidden);
        return nn.Sequential(
            nn.Linear(1, nHidden), nn.ReLU(),
            nn.Linear(nHidden, nHidden), nn.ReLU(),
            nn.Linear(nHidden, 1));
    }

    /// <summary>
    /// The source's <c>net_dropped</c>: <c>Dropout(p)</c> right after each hidden Linear and before its ReLU
    /// (<c>Linear, Dropout, ReLU, Linear, Dropout, ReLU, Linear</c>, named 0..6). Since ReLU(0) = 0 and
    /// ReLU(h/(1-p)) = ReLU(h)/(1-p), dropping before or after the ReLU gives the same outputs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1] or nHidden &lt; 1.</exception>
    public static Sequential NetDropped(int nHidden = NHidden, double p = 0.5)
    {
        CheckHidden(nHidden);
        DropoutOps.CheckProbability(p, nameof(p));
        return nn.Sequential(
            nn.Linear(1, nHidden),
            nn.Dropout(p), // drop 50% of the neuron
            nn.ReLU(),
            nn.Linear(nHidden, nHidden),
            nn.Dropout(p), // drop 50% of the neuron
            nn.ReLU(),
            nn.Linear(nHidden, 1));
    }

    /// <summary>
    /// A copy of every tensor in <paramref name="net"/>'s state (detached clones), to give other nets of
    /// the same shape the same starting weights with <c>load_state_dict</c>.
    /// </summary>
    public static Dictionary<string, Tensor> CopyOfWeights(nn.Module net) =>
        net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    /// <summary>
    /// A <see cref="NetOverfitting"/> that starts from <paramref name="weights"/> (a <see cref="CopyOfWeights"/> of
    /// another net_overfitting), so that nets trained differently start from the same point.
    /// </summary>
    public static Sequential NetOverfittingFrom(IReadOnlyDictionary<string, Tensor> weights, int nHidden = NHidden)
    {
        var net = NetOverfitting(nHidden);
        net.load_state_dict(new Dictionary<string, Tensor>(weights));
        return net;
    }

    /// <summary>
    /// A <see cref="NetDropped"/> whose three Linear layers start from a net_overfitting's <paramref name="weights"/>
    /// (its layers 0, 2, 4 are net_dropped's 0, 3, 6: the Dropout modules sit in between), so that the two nets
    /// differ only in the dropout.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1] or nHidden &lt; 1.</exception>
    public static Sequential NetDroppedFrom(IReadOnlyDictionary<string, Tensor> weights, int nHidden = NHidden, double p = 0.5)
    {
        var net = NetDropped(nHidden, p);
        var renumbered = weights.ToDictionary(kv => kv.Key.Split('.', 2) switch
        {
            ["0", var rest] => "0." + rest,
            ["2", var rest] => "3." + rest,
            ["4", var rest] => "6." + rest,
            _ => throw new ArgumentException($"'{kv.Key}' is not a tensor of net_overfitting (layers 0, 2, 4).", nameof(weights)),
        }, kv => kv.Value);
        net.load_state_dict(renumbered);
        return net;
    }

    /// <summary>
    /// The mean squared error of <paramref name="net"/>'s predictions on (x, y) in eval mode (dropout off),
    /// without gradients, leaving the net in the mode it was in.
    /// </summary>
    public static double EvalLoss(nn.Module<Tensor, Tensor> net, Tensor x, Tensor y)
    {
        using var mode = ModuleMode.Eval(net);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.mse_loss(net.forward(x), y).item<float>();
    }

    static void CheckHidden(int nHidden)
    {
        if (nHidden < 1) throw new ArgumentOutOfRangeException(nameof(nHidden), nHidden, $"a hidden layer needs at least 1 unit; got nHidden = {nHidden}.");
    }
}
