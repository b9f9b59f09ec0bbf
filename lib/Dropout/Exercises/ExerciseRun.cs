using System.Globalization;

namespace Dropout.Exercises;

/// <summary>One training run of an exercise: a configuration trained from one seed.</summary>
/// <param name="Config">The configuration's name, e.g. "dropout 0.2/0.5" or "no dropout, wd 1e-3".</param>
/// <param name="Seed">The seed of the initial weights, the dropout masks and the minibatch order.</param>
/// <param name="Epochs">Every epoch trained, in order (up to the one that diverged, when the loss became NaN).</param>
/// <param name="Divergence">By <see cref="TrainingDivergence.Rule"/>, where the run diverged; null when it did not.</param>
/// <param name="Seconds">Wall time of the run: training, evaluation and the exercise's measurements.</param>
public sealed record ExerciseRun(string Config, long Seed, IReadOnlyList<ExerciseEpoch> Epochs, TrainingDivergence? Divergence, double Seconds)
{
    /// <summary>True when the run broke <see cref="TrainingDivergence.Rule"/>: it is named, and kept out of means.</summary>
    public bool Diverged => Divergence is not null;

    /// <summary>The last epoch trained.</summary>
    public ExerciseEpoch Final => Epochs.Count > 0 ? Epochs[^1] : throw new InvalidOperationException($"{Config}, seed {Seed}: no epoch was trained.");

    /// <summary>d2l's per-epoch numbers as a <see cref="TrainingHistory"/> (for d2l's charts and checks).</summary>
    public TrainingHistory History => new(Epochs.Select(e => e.Metrics).ToList());

    /// <summary>"dropout 0.2/0.5, seed 1: train loss 0.5123, test acc 0.7650 (3.2 s)", or the divergence instead of the numbers.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string time = $"({Seconds.ToString("0.0", c)} s)";
        if (Diverged) return $"{Config}, seed {Seed}: DIVERGED — {Divergence} {time}";
        var m = Final.Metrics;
        return $"{Config}, seed {Seed}: train loss {m.TrainLoss.ToString("0.0000", c)}, test acc {m.TestAcc.ToString("0.0000", c)} {time}";
    }
}
