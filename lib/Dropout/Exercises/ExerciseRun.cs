using System.Globalization;
using Dropout.Training;

namespace Dropout.Exercises;

/// <summary>One training run of an exercise: a configuration trained from one seed.</summary>
/// <param name="Seed">The seed of the initial weights, the noise and the minibatch order.</param>
/// <param name="Epochs">Every epoch trained, in order (up to the one before a NaN or infinite loss, which ends a run).</param>
/// <param name="Divergence">By <see cref="Divergence.Rule"/>, judged on the whole run; null when it did not diverge.</param>
/// <param name="Seconds">Wall time of the run: training, evaluation and the exercise's measurements.</param>
public sealed record ExerciseRun(string Config, int Seed, IReadOnlyList<ExerciseEpoch> Epochs, Divergence? Divergence, double Seconds)
{
    /// <summary>True when the run broke <see cref="Divergence.Rule"/>: it is named, and kept out of means.</summary>
    public bool Diverged => Divergence is not null;

    /// <summary>The last epoch trained.</summary>
    public ExerciseEpoch Final => Epochs.Count > 0 ? Epochs[^1] : throw new InvalidOperationException($"{Config}, seed {Seed}: no epoch was trained.");

    /// <summary>d2l's per-epoch numbers as a <see cref="TrainingHistory"/> (for d2l's charts and checks).</summary>
    public TrainingHistory History => new(Epochs.Select(e => e.Metrics).ToList());

    /// <summary><paramref name="metric"/> averaged over the last <paramref name="epochs"/> (steadier than one at lr 0.5); NaN if fewer.</summary>
    public double MeanOverLast(int epochs, Func<ExerciseEpoch, double> metric) => MeanOverEpochs(Epochs.Count - epochs + 1, Epochs.Count, metric);

    /// <summary><paramref name="metric"/> averaged over epochs <paramref name="first"/>..<paramref name="last"/> (1-based); NaN when the run lacks one of them.</summary>
    public double MeanOverEpochs(int first, int last, Func<ExerciseEpoch, double> metric) =>
        first >= 1 && last >= first && Epochs.Count >= last ? Epochs.Skip(first - 1).Take(last - first + 1).Average(metric) : double.NaN;

    /// <summary>The run after its first <paramref name="epochs"/> epochs, divergence judged again: what a run that long gives.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 epoch.</exception>
    public ExerciseRun Upto(int epochs)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "keep at least one epoch.");
        if (epochs > Epochs.Count) return this;
        var kept = Epochs.Take(epochs).ToList();
        // A loss that became NaN after the kept epochs is not part of them; one within them stays.
        var divergence = Divergence is { Loss: var loss } d && !double.IsFinite(loss) && d.At <= epochs ? d
            : Divergence.Find(kept.Select(e => e.Metrics).ToList());
        return this with { Epochs = kept, Divergence = divergence, Seconds = Seconds * kept.Count / Math.Max(1, Epochs.Count) };
    }

    /// <summary>
    /// For a diverged run, where it diverged and where it ended (it stays out of means): "diverged: train loss 2.4795 at
    /// epoch 20, above epoch 1's 2.3025; last epoch 20: train loss 2.4795, test acc 0.1000"; null when it did not diverge.
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

    /// <summary>"20 epochs: train loss 0.3185, test acc 0.8731 (95.3 s)", or "DIVERGED — " and its <see cref="DivergenceText"/>.</summary>
    public override string ToString()
    {
        string time = $"({Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s)";
        return Diverged ? $"DIVERGED — {DivergenceText} {time}" : $"{Epochs.Count} epochs: {Numbers(Final.Metrics)} {time}";
    }

    static string Numbers(EpochMetrics m) =>
        $"train loss {m.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture)}, test acc {m.TestAcc.ToString("0.0000", CultureInfo.InvariantCulture)}";
}
