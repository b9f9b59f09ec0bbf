using Dropout.Training;

namespace Dropout.Exercises;

/// <summary>One epoch of an <see cref="ExerciseRun"/>: what <see cref="D2l.TrainCh3"/> measured, and what the exercise added.</summary>
/// <param name="Metrics">d2l's per-epoch numbers: train loss and train accuracy (train mode), test accuracy (eval mode).</param>
/// <param name="Measures">The exercise's own measurements after the epoch, by name (e.g. "train acc (eval)").</param>
public sealed record ExerciseEpoch(EpochMetrics Metrics, IReadOnlyDictionary<string, double> Measures)
{
    /// <summary>The measurement named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The exercise did not measure it; the message lists what it did measure.</exception>
    public double this[string name] => Measures.TryGetValue(name, out double value) ? value
        : throw new KeyNotFoundException($"no measure '{name}' at epoch {Metrics.Epoch}; measured: {string.Join(", ", Measures.Keys)}.");
}
