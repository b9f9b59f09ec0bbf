using System.Globalization;
using Dropout.Training;

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

    /// <summary>
    /// For a diverged run, where it diverged and — beside it, since the run stays out of means — where it ended:
    /// "diverged at epoch 4: train loss 2.4795 is above epoch 1's 2.3025; last epoch 12: train loss 0.9100, test acc 0.6200"
    /// (without the last epoch when no epoch finished with a finite loss); null for a run that did not diverge.
    /// </summary>
    public string? DivergenceText
    {
        get
        {
            if (Divergence is null) return null;
            var last = Epochs.Count > 0 ? Epochs[^1].Metrics : null;
            return last is not null && double.IsFinite(last.TrainLoss) ? $"{Divergence}; last epoch {last.Epoch}: {Numbers(last)}" : Divergence.ToString();
        }
    }

    /// <summary>
    /// "dropout 0.2/0.5, seed 1: train loss 0.5123, test acc 0.7650 (3.2 s)", or for a diverged run
    /// "…, seed 1: DIVERGED — " and its <see cref="DivergenceText"/>.
    /// </summary>
    public override string ToString()
    {
        string time = $"({Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s)";
        return Diverged ? $"{Config}, seed {Seed}: DIVERGED — {DivergenceText} {time}" : $"{Config}, seed {Seed}: {Numbers(Final.Metrics)} {time}";
    }

    static string Numbers(EpochMetrics m) =>
        $"train loss {m.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture)}, test acc {m.TestAcc.ToString("0.0000", CultureInfo.InvariantCulture)}";
}
