using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Exercises;

/// <summary>
/// d2l's exercise 3, "the variance of the activations in each hidden layer": <see cref="ActivationStats"/> of named layers
/// of a <see cref="Sequential"/> on a fixed probe batch, e.g. <c>relu1</c> (before dropout) and <c>dropout1</c> (after).
/// </summary>
public sealed class ActivationVarianceProbe
{
    readonly Tensor _inputs;

    /// <summary>A probe of <paramref name="inputs"/> (first dimension: samples, at least 2) at the layers named <paramref name="layers"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 samples, or no layer named.</exception>
    public ActivationVarianceProbe(Tensor inputs, params string[] layers)
    {
        if (inputs.shape.Length == 0 || inputs.shape[0] < 2)
            throw new ArgumentException("a variance across samples needs at least 2 probe samples.", nameof(inputs));
        if (layers.Length == 0) throw new ArgumentException("name at least one layer to measure.", nameof(layers));
        _inputs = inputs;
        Layers = layers;
    }

    /// <summary>The layers measured, by their names in the Sequential.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>The number of probe samples.</summary>
    public long Samples => _inputs.shape[0];

    /// <summary>
    /// Each layer's statistics without gradients, in eval mode or, with <paramref name="trainMode"/>, in training mode (dropout
    /// draws masks). The net's mode and torch's global generator are restored, so measuring mid-training changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A named layer is not a direct child of <paramref name="net"/>.</exception>
    public IReadOnlyDictionary<string, ActivationStats> Measure(Sequential net, bool trainMode = false)
    {
        var children = net.named_children().ToList();
        var missing = Layers.Where(l => children.All(c => c.name != l)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"the net has no layer named {string.Join(", ", missing)}; its layers: {string.Join(", ", children.Select(c => c.name))}.", nameof(net));

        bool wasTraining = net.training;
        using var rngState = random.get_rng_state();
        var result = new Dictionary<string, ActivationStats>();
        try
        {
            net.train(trainMode);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var x = _inputs;
            foreach (var (name, module) in children)
            {
                x = ((nn.Module<Tensor, Tensor>)module).forward(x);
                if (!Layers.Contains(name)) continue;
                var h = x.reshape(x.shape[0], -1).to_type(ScalarType.Float64);
                result[name] = new ActivationStats(h.var(0).mean().item<double>(), h.square().mean().item<double>());
                if (result.Count == Layers.Count) break;
            }
        }
        finally
        {
            net.train(wasTraining);
            random.set_rng_state(rngState);
        }
        return Layers.ToDictionary(l => l, l => result[l]);
    }
}
