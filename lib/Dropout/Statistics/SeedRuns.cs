namespace Dropout.Statistics;

/// <summary>One seed's run of a setting: its result, and why it is kept out of means (null when it is not).</summary>
/// <param name="Result">What the run gave (a training history, a regression's losses, ...).</param>
/// <param name="Divergence">How the run diverged, as a learner reads it; null when it did not.</param>
public sealed record SeedRun<T>(int Seed, T Result, string? Divergence);

/// <summary>
/// One setting over seeds, the project's one summary over seeds: statistics over the <see cref="Kept"/> runs, diverged ones
/// named beside. Comparisons follow <see cref="Comparison.Rule"/>: paired over the seeds both kept (Welch's if under two).
/// </summary>
/// <param name="Name">The setting, e.g. "(0.2, 0.5)" or "dropout".</param>
/// <param name="Runs">One run per seed.</param>
public sealed record SeedRuns<T>(string Name, IReadOnlyList<SeedRun<T>> Runs)
{
    /// <summary>The runs the statistics are over: those that did not diverge.</summary>
    public IReadOnlyList<SeedRun<T>> Kept => Runs.Where(r => r.Divergence is null).ToList();

    /// <summary>The runs that diverged.</summary>
    public IReadOnlyList<SeedRun<T>> Diverged => Runs.Where(r => r.Divergence is not null).ToList();

    /// <summary>"" when no run diverged, else e.g. "seed 2 diverged at epoch 5: train loss NaN".</summary>
    public string DivergedText => string.Join("; ", Diverged.Select(r => $"seed {r.Seed} {r.Divergence}"));

    /// <summary><paramref name="metric"/> of each kept run (of every run with <paramref name="includeDiverged"/>), in seed order; null when none is left.</summary>
    public Sample? Of(Func<T, double> metric, bool includeDiverged = false)
    {
        var values = (includeDiverged ? Runs : Kept).Select(r => metric(r.Result)).ToList();
        return values.Count == 0 || values.Any(v => !double.IsFinite(v)) ? null : Sample.Of(values);
    }

    /// <summary>This setting against <paramref name="other"/> on <paramref name="metric"/>; null when every run of a side diverged.</summary>
    /// <param name="includeDiverged">Compare over every seed, diverged runs too.</param>
    public Comparison? Compare(SeedRuns<T> other, string metricName, Func<T, double> metric, bool higherIsBetter, bool includeDiverged = false)
    {
        // A run whose metric is NaN or infinite (its loss blew up) has no value to average, diverged runs included or not.
        var mine = (includeDiverged ? Runs : Kept).Where(r => double.IsFinite(metric(r.Result))).ToDictionary(r => r.Seed);
        var theirs = (includeDiverged ? other.Runs : other.Kept).Where(r => double.IsFinite(metric(r.Result))).ToDictionary(r => r.Seed);
        var shared = mine.Keys.Where(theirs.ContainsKey).Order().ToList();
        if (shared.Count >= 2)
            return Comparison.Of(Name, Sample.Of(shared.Select(s => metric(mine[s].Result))),
                other.Name, Sample.Of(shared.Select(s => metric(theirs[s].Result))), metricName, higherIsBetter, paired: true);
        return mine.Count > 0 && theirs.Count > 0
            ? Comparison.Of(Name, Sample.Of(mine.Values.Select(r => metric(r.Result))), other.Name, Sample.Of(theirs.Values.Select(r => metric(r.Result))),
                metricName, higherIsBetter, paired: false)
            : null;
    }

    /// <summary>
    /// The claim judged on <see cref="Compare"/> over the kept runs and, when a diverged run has a value, judged again with it,
    /// so that a verdict that turns on an excluded run shows it. Empty when every run of a side diverged.
    /// </summary>
    public IReadOnlyList<Claim> Claims(SeedRuns<T> other, string says, string metricName, Func<T, double> metric, bool higherIsBetter,
        ClaimKind kind, double margin = 0)
    {
        var claims = new List<Claim>();
        if (Compare(other, metricName, metric, higherIsBetter) is { } kept) claims.Add(new Claim(says, kept, kind, margin));
        if (Diverged.Count + other.Diverged.Count > 0 && Compare(other, metricName, metric, higherIsBetter, includeDiverged: true) is { } all
            && (claims.Count == 0 || all.A.N + all.B.N > claims[0].Evidence.A.N + claims[0].Evidence.B.N))
            claims.Add(new Claim($"{says} (diverged runs included)", all, kind, margin));
        return claims;
    }
}
