using Dropout.Statistics;

namespace Dropout.Regression;

/// <summary>
/// What the multi-seed regression study found, read through the project's one rule: per variant the
/// <see cref="Sample"/> of a metric over the seeds whose run did not diverge, the diverged runs named beside, and
/// <see cref="Comparison"/>s between variants with how many seeds each won.
/// </summary>
public sealed class RegressionStudySummary
{
    RegressionStudySummary(IReadOnlyList<RegressionRunResult> results)
    {
        Results = results;
        Variants = results.Select(r => r.Variant).DistinctBy(v => v.Name).ToList();
        Seeds = results.Select(r => r.Seed).Distinct().ToList();
    }

    /// <summary>Summarizes the runs of <see cref="RegressionStudy.RunSeeds"/>.</summary>
    /// <exception cref="ArgumentException">There is no run.</exception>
    public static RegressionStudySummary Of(IReadOnlyList<RegressionRunResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("there is no run to summarize (run at least one seed).", nameof(results));
        return new RegressionStudySummary(results);
    }

    /// <summary>Every run, in the order given.</summary>
    public IReadOnlyList<RegressionRunResult> Results { get; }

    /// <summary>The variants, in the order they first appear.</summary>
    public IReadOnlyList<RegressionVariant> Variants { get; }

    /// <summary>The seeds, in the order they first appear.</summary>
    public IReadOnlyList<long> Seeds { get; }

    /// <summary>The runs that broke <see cref="RegressionDivergence.Rule"/>, in order.</summary>
    public IReadOnlyList<RegressionRunResult> Diverged => Results.Where(r => r.Diverged).ToList();

    /// <summary>The runs of <paramref name="variant"/> that did not diverge, in seed order.</summary>
    /// <exception cref="ArgumentException">No variant has that name.</exception>
    public IReadOnlyList<RegressionRunResult> Kept(string variant)
    {
        if (!Variants.Any(v => v.Name == variant))
            throw new ArgumentException($"no variant is named '{variant}'; the variants are: {string.Join(", ", Variants.Select(v => v.Name))}.", nameof(variant));
        return Results.Where(r => r.Variant.Name == variant && !r.Diverged).ToList();
    }

    /// <summary><paramref name="metric"/> over the kept runs of <paramref name="variant"/>; null when every run diverged.</summary>
    public Sample? Sample(string variant, RegressionMetric metric)
    {
        var kept = Kept(variant);
        return kept.Count == 0 ? null : Statistics.Sample.Of(kept.Select(metric.Of));
    }

    /// <summary>
    /// <paramref name="first"/> against <paramref name="second"/> on <paramref name="metric"/> by <see cref="Comparison.Rule"/>,
    /// each over its kept runs; null when a side has no kept run.
    /// </summary>
    public Comparison? Compare(string first, string second, RegressionMetric metric) =>
        Sample(first, metric) is { } a && Sample(second, metric) is { } b
            ? Comparison.Of(first, a, second, b, metric.Name, metric.HigherIsBetter, paired: false)
            : null;

    /// <summary>
    /// Over the seeds where neither run diverged: in how many <paramref name="first"/> did strictly better than
    /// <paramref name="second"/> on <paramref name="metric"/> (a tie is no win), and how many such seeds there were.
    /// </summary>
    public (int Wins, int Seeds) Wins(string first, string second, RegressionMetric metric)
    {
        var a = Kept(first).ToDictionary(r => r.Seed);
        var b = Kept(second).ToDictionary(r => r.Seed);
        var both = a.Keys.Where(b.ContainsKey).ToList();
        int wins = both.Count(seed => metric.HigherIsBetter ? metric.Of(a[seed]) > metric.Of(b[seed]) : metric.Of(a[seed]) < metric.Of(b[seed]));
        return (wins, both.Count);
    }
}
