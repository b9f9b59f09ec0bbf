using Dropout.Training;

namespace Dropout.Experiments.Benchmarks;

/// <summary>
/// FLOPs of the matrix products in one SGD step of a fully connected net (one multiply-add = 2 FLOPs). Per Linear layer
/// with <c>in</c> inputs and <c>out</c> outputs and a batch of B, each costs 2·B·in·out: forward <c>X·Wᵀ</c>, the weight
/// gradient <c>dYᵀ·X</c>, and the input gradient <c>dY·W</c> for every layer but the first (the images need no gradient,
/// so autograd does not compute it). Bias adds, ReLU, dropout, the loss and the SGD update are not counted: they are the
/// overhead that "achieved vs ceiling" exposes.
/// </summary>
public sealed class MlpTrainingFlops
{
    readonly long[] _widths;

    /// <summary>The layer widths, inputs first.</summary>
    public IReadOnlyList<long> Widths => _widths;

    /// <summary>A net with these layer widths (at least two: inputs and outputs).</summary>
    public MlpTrainingFlops(params long[] widths)
    {
        if (widths.Length < 2) throw new ArgumentException("an MLP needs at least an input and an output width.", nameof(widths));
        if (widths.Any(w => w <= 0)) throw new ArgumentException($"layer widths must be positive; got {string.Join("-", widths)}.", nameof(widths));
        _widths = widths.ToArray();
    }

    /// <summary>d2l's dropout MLP: 784-256-256-10.</summary>
    public static MlpTrainingFlops D2l { get; } = new(784, 256, 256, 10);

    /// <summary>The (in, out) shape of each Linear layer, first layer first.</summary>
    public IEnumerable<(long In, long Out)> Layers => _widths.Zip(_widths.Skip(1));

    /// <summary>Forward FLOPs per sample: Σ 2·in·out.</summary>
    public double ForwardPerSample => Layers.Sum(l => 2.0 * l.In * l.Out);

    /// <summary>Backward FLOPs per sample: weight gradients of every layer plus input gradients of all but the first.</summary>
    public double BackwardPerSample => ForwardPerSample + Layers.Skip(1).Sum(l => 2.0 * l.In * l.Out);

    /// <summary>Forward plus backward FLOPs per sample.</summary>
    public double TrainingStepPerSample => ForwardPerSample + BackwardPerSample;

    /// <summary>Forward plus backward FLOPs of a step on <paramref name="batchSize"/> samples.</summary>
    public double TrainingStep(long batchSize) => batchSize * TrainingStepPerSample;

    /// <summary>Forward FLOPs for <paramref name="samples"/> samples (what evaluation costs).</summary>
    public double Forward(long samples) => samples * ForwardPerSample;
}
