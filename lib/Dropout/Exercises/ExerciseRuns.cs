using Dropout.Statistics;

namespace Dropout.Exercises;

/// <summary>What the exercises read off one configuration's runs over seeds (<see cref="SeedRuns{T}"/> of <see cref="ExerciseRun"/>).</summary>
public static class ExerciseRuns
{
    /// <summary>The runs of <paramref name="name"/> among <paramref name="runs"/>, one per seed, each kept or named as diverged.</summary>
    public static SeedRuns<ExerciseRun> Of(string name, IEnumerable<ExerciseRun> runs) =>
        new(name, runs.Where(r => r.Config == name).OrderBy(r => r.Seed).Select(r => new SeedRun<ExerciseRun>(r.Seed, r, r.DivergenceText)).ToList());

    /// <summary>Each run as it stood after <paramref name="epochs"/> epochs, divergence judged again on them (<see cref="ExerciseRun.Upto"/>).</summary>
    public static SeedRuns<ExerciseRun> Upto(this SeedRuns<ExerciseRun> runs, int epochs) =>
        Of(runs.Name, runs.Runs.Select(r => r.Result.Upto(epochs)));

    /// <summary>Per epoch (index 0 = epoch 1), <paramref name="metric"/> over the kept runs that reached it; null where none did.</summary>
    public static IReadOnlyList<Sample?> PerEpoch(this SeedRuns<ExerciseRun> runs, Func<ExerciseEpoch, double> metric)
    {
        int epochs = runs.Runs.Count == 0 ? 0 : runs.Runs.Max(r => r.Result.Epochs.Count);
        return Enumerable.Range(0, epochs).Select(i =>
        {
            var values = runs.Kept.Where(r => r.Result.Epochs.Count > i).Select(r => metric(r.Result.Epochs[i])).ToList();
            return values.Count == 0 ? null : Sample.Of(values);
        }).ToList();
    }

    /// <summary>
    /// Per seed both ran, <paramref name="treated"/> − <paramref name="baseline"/> on <paramref name="metric"/> (a seed gives
    /// both the same weights and minibatch order); a seed where either diverged is a diverged gain. Two gains compare paired
    /// over shared seeds: "is dropout's gain the same with weight decay?".
    /// </summary>
    public static SeedRuns<double> Gain(this SeedRuns<ExerciseRun> treated, SeedRuns<ExerciseRun> baseline, Func<ExerciseRun, double> metric, string name)
    {
        var base_ = baseline.Runs.ToDictionary(r => r.Seed);
        return new(name, treated.Runs.Where(r => base_.ContainsKey(r.Seed)).Select(r =>
        {
            var b = base_[r.Seed];
            string? divergence = (r.Divergence, b.Divergence) switch
            {
                (null, null) => null,
                (string t, null) => $"({treated.Name} {t})",
                (null, string d) => $"({baseline.Name} {d})",
                var (t, d) => $"({treated.Name} {t}; {baseline.Name} {d})",
            };
            return new SeedRun<double>(r.Seed, metric(r.Result) - metric(b.Result), divergence);
        }).ToList());
    }
}
