using Dropout.Layers;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Regression;

/// <summary>
/// Morvan's regression demo (PyTorch-Tutorial 503_dropout.py): 20 noisy points on a line and two 1→300→300→1 nets,
/// one that overfits them and one with dropout (暂退法). The notebook's lines, copied for the seed study and the tests.
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
    /// The source's data, float32 [n, 1]: <c>x = unsqueeze(linspace(-1, 1, n), 1)</c>,
    /// <c>y = x + noise·normal(zeros(n, 1), ones(n, 1))</c>. Call twice, for the training and the test set.
    /// </summary>
    /// <param name="noiseInputs">k &gt; 0 adds k columns of noise to x, uniform on [-1, 1], drawn after y's noise.</param>
    /// <param name="generator">Null: torch's global one, as in the source; both give the same numbers for one seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 2, noise is negative or not finite, or noiseInputs is negative.</exception>
    public static (Tensor x, Tensor y) MakeData(int n = NSamples, double noise = Noise, int noiseInputs = 0, Generator? generator = null)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, $"the demo needs at least 2 points on [-1, 1]; got n = {n}.");
        if (!double.IsFinite(noise) || noise < 0)
            throw new ArgumentOutOfRangeException(nameof(noise), noise, $"the noise's standard deviation must be a finite number >= 0; got {noise}.");
        if (noiseInputs < 0) throw new ArgumentOutOfRangeException(nameof(noiseInputs), noiseInputs, $"the number of noise inputs must be 0 or more; got {noiseInputs}.");
        using var scope = NewDisposeScope();
        var x = unsqueeze(linspace(-1, 1, n), 1);
        var y = x + noise * normal(zeros(n, 1), ones(n, 1), generator);
        if (noiseInputs > 0) x = cat([x, NoiseColumns(n, noiseInputs, generator)], 1);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary><paramref name="inputs"/> with its noise columns (all but the first) drawn again, uniform on [-1, 1].</summary>
    public static Tensor RedrawNoiseInputs(Tensor inputs, Generator? generator = null)
    {
        long k = inputs.shape[1] - 1;
        if (k < 1) throw new ArgumentException("these inputs have no noise column to draw again.", nameof(inputs));
        using var scope = NewDisposeScope();
        return cat([inputs[.., ..1], NoiseColumns(inputs.shape[0], k, generator)], 1).MoveToOuterDisposeScope();
    }

    static Tensor NoiseColumns(long n, long k, Generator? generator) => rand(n, k, generator: generator) * 2 - 1;

    /// <summary>
    /// The source's <c>net_overfitting</c>: <c>Sequential(Linear(inputs, h), ReLU, Linear(h, h), ReLU, Linear(h, 1))</c>,
    /// layers 0..4; from <paramref name="generator"/>, the weights <c>nn.Linear</c> draws after <c>manual_seed</c>.
    /// </summary>
    public static Sequential NetOverfitting(int nHidden = NHidden, int inputs = 1, Generator? generator = null)
    {
        CheckHidden(nHidden);
        Linear first = nn.Linear(inputs, nHidden), second = nn.Linear(nHidden, nHidden), third = nn.Linear(nHidden, 1);
        if (generator is not null) DefaultInit(generator, first, second, third);
        return nn.Sequential(first, nn.ReLU(), second, nn.ReLU(), third);
    }

    /// <summary>
    /// The source's <c>net_dropped</c>: <c>Dropout(p)</c> after each hidden Linear, before its ReLU (layers 0..6); the
    /// order does not matter, as ReLU(0) = 0 and ReLU(h/(1-p)) = ReLU(h)/(1-p). Weights and masks come from
    /// <paramref name="generator"/> when given.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1] or nHidden &lt; 1.</exception>
    public static Sequential NetDropped(int nHidden = NHidden, double p = 0.5, int inputs = 1, Generator? generator = null) =>
        Dropped(nHidden, p, inputs, generator, generator);

    static Sequential Dropped(int nHidden, double p, int inputs, Generator? initGenerator, Generator? maskGenerator)
    {
        CheckHidden(nHidden);
        DropoutOps.CheckProbability(p, nameof(p));
        Linear first = nn.Linear(inputs, nHidden), second = nn.Linear(nHidden, nHidden), third = nn.Linear(nHidden, 1);
        if (initGenerator is not null) DefaultInit(initGenerator, first, second, third);
        nn.Module<Tensor, Tensor> Dropout() => maskGenerator is null ? nn.Dropout(p) : new DropoutWithGenerator(p, maskGenerator);
        return nn.Sequential(
            first,
            Dropout(), // drop 50% of the neuron
            nn.ReLU(),
            second,
            Dropout(), // drop 50% of the neuron
            nn.ReLU(),
            third);
    }

    /// <summary>PyTorch's default Linear init drawn from <paramref name="generator"/>: each weight, then each bias, uniform ± 1/√fan_in.</summary>
    static void DefaultInit(Generator generator, params Linear[] layers)
    {
        using var _ = no_grad();
        foreach (var layer in layers)
        {
            double bound = 1 / Math.Sqrt(layer.weight!.shape[1]);
            layer.weight.uniform_(-bound, bound, generator);
            layer.bias?.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>Detached clones of <paramref name="net"/>'s state, to load into nets of the same shape.</summary>
    public static Dictionary<string, Tensor> CopyOfWeights(nn.Module net) =>
        net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    /// <summary>A <see cref="NetOverfitting"/> starting from <paramref name="weights"/>, a <see cref="CopyOfWeights"/> of another.</summary>
    public static Sequential NetOverfittingFrom(IReadOnlyDictionary<string, Tensor> weights, int nHidden = NHidden)
    {
        var net = NetOverfitting(nHidden, Inputs(weights));
        net.load_state_dict(new Dictionary<string, Tensor>(weights));
        return net;
    }

    /// <summary>
    /// A <see cref="NetDropped"/> whose Linear layers 0, 3, 6 start from net_overfitting's <paramref name="weights"/>
    /// (its 0, 2, 4), so the two nets differ only in the dropout. Masks come from <paramref name="generator"/> when given.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1] or nHidden &lt; 1.</exception>
    public static Sequential NetDroppedFrom(IReadOnlyDictionary<string, Tensor> weights, int nHidden = NHidden, double p = 0.5, Generator? generator = null)
    {
        var net = Dropped(nHidden, p, Inputs(weights), null, generator);
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

    /// <summary>MSE of <paramref name="net"/> on (x, y) in eval mode, without gradients; the net's mode is restored.</summary>
    public static double EvalLoss(nn.Module<Tensor, Tensor> net, Tensor x, Tensor y)
    {
        using var mode = ModuleMode.Eval(net);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return nn.functional.mse_loss(net.forward(x), y).item<float>();
    }

    // Inputs of the copied net (its first weight is [hidden, inputs]); the source's 1 when it is not there.
    static int Inputs(IReadOnlyDictionary<string, Tensor> weights) => weights.TryGetValue("0.weight", out var w) ? (int)w.shape[1] : 1;

    static void CheckHidden(int nHidden)
    {
        if (nHidden < 1) throw new ArgumentOutOfRangeException(nameof(nHidden), nHidden, $"a hidden layer needs at least 1 unit; got nHidden = {nHidden}.");
    }
}
