using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Exercises;

/// <summary>
/// The runs of one configuration over seeds. Diverged runs (<see cref="TrainingDivergence.Rule"/>) are named by
/// <see cref="DivergedText"/> and kept out of every mean, sample and comparison made here.
/// </summary>
public sealed class RunGroup
{
    /// <summary>The runs of <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">No run, or a run of another configuration.</exception>
    public RunGroup(string config, IEnumerable<ExerciseRun> runs)
    {
        Config = config;
        Runs = runs.ToList();
        if (Runs.Count == 0) throw new ArgumentException($"'{config}' has no run.", nameof(runs));
        var foreign = Runs.FirstOrDefault(r => r.Config != config);
        if (foreign is not null) throw new ArgumentException($"a run of '{foreign.Config}' is not a run of '{config}'.", nameof(runs));
    }

    /// <summary>The configuration's name.</summary>
    public string Config { get; }

    /// <summary>Every run, in the order trained.</summary>
    public IReadOnlyList<ExerciseRun> Runs { get; }

    /// <summary>The runs that did not diverge: the ones means are made of.</summary>
    public IReadOnlyList<ExerciseRun> Kept => Runs.Where(r => !r.Diverged).ToList();

    /// <summary>The runs that diverged.</summary>
    public IReadOnlyList<ExerciseRun> Diverged => Runs.Where(r => r.Diverged).ToList();

    /// <summary>
    /// "none of 3 runs diverged", or "1 of 3 runs diverged, kept out of the means: seed 2 diverged at epoch 9: ...; last
    /// epoch 12: ..." (each diverged run's <see cref="ExerciseRun.DivergenceText"/>).
    /// </summary>
    public string DivergedText => Diverged.Count == 0
        ? $"none of {Runs.Count} runs diverged"
        : $"{Diverged.Count} of {Runs.Count} runs diverged, kept out of the means: " + string.Join("; ", Diverged.Select(r => $"seed {r.Seed} {r.DivergenceText}"));

    /// <summary><paramref name="metric"/> at the last epoch, over the kept runs; null when every run diverged.</summary>
    public Sample? Final(Func<ExerciseEpoch, double> metric) => Kept.Count == 0 ? null : Sample.Of(Kept.Select(r => metric(r.Final)));

    /// <summary>Per epoch (index 0 = epoch 1), <paramref name="metric"/> over the kept runs; null entries where no kept run reached the epoch.</summary>
    public IReadOnlyList<Sample?> PerEpoch(Func<ExerciseEpoch, double> metric)
    {
        var kept = Kept;
        int epochs = Runs.Max(r => r.Epochs.Count);
        return Enumerable.Range(0, epochs).Select(i =>
        {
            var values = kept.Where(r => r.Epochs.Count > i).Select(r => metric(r.Epochs[i])).ToList();
            return values.Count == 0 ? null : Sample.Of(values);
        }).ToList();
    }

    /// <summary>
    /// This configuration against <paramref name="other"/> on <paramref name="metric"/> at the last epoch, by
    /// <see cref="Comparison.Rule"/>, kept runs only; null when either side has no kept run.
    /// </summary>
    public Comparison? Compare(RunGroup other, Func<ExerciseEpoch, double> metric, string metricName, bool higherIsBetter) =>
        Final(metric) is Sample a && other.Final(metric) is Sample b ? Comparison.Of(Config, a, other.Config, b, metricName, higherIsBetter, paired: false) : null;

    /// <summary>
    /// Seed by seed, this configuration's <paramref name="metric"/> at the last epoch minus <paramref name="baseline"/>'s
    /// (the same seed gives both the same initial weights and minibatch order when the nets have the same shape): the
    /// effect of what differs, one value per seed kept in both; null when no seed is.
    /// </summary>
    public Sample? EffectOver(RunGroup baseline, Func<ExerciseEpoch, double> metric)
    {
        var mine = Kept.ToDictionary(r => r.Seed);
        var differences = baseline.Kept.Where(b => mine.ContainsKey(b.Seed)).Select(b => metric(mine[b.Seed].Final) - metric(b.Final)).ToList();
        return differences.Count == 0 ? null : Sample.Of(differences);
    }
}
