using System.Globalization;

namespace Dropout.Statistics;

/// <summary>
/// Two settings compared over seeds by <see cref="Rule"/>: mean(A) − mean(B) with its 95 % Student's t interval.
/// <b>Paired</b> when both ran the same seeds (same initial weights and minibatch order): n − 1 degrees of freedom on the
/// per-seed differences. Otherwise <b>Welch's</b>: √(s₁²/n₁ + s₂²/n₂), Welch–Satterthwaite degrees of freedom.
/// </summary>
public sealed record Comparison
{
    /// <summary>The rule, stated once.</summary>
    public const string Rule =
        "a comparison is the difference of two means over seeds with its 95 % confidence interval (Student's t: paired on " +
        "the per-seed differences when both sides ran the same seeds, Welch's otherwise). A claim is supported when the " +
        "interval lies wholly on its side (of 0, or inside a stated margin), contradicted when wholly on the other, and " +
        "not settled otherwise.";

    Comparison(string first, Sample a, string second, Sample b, string metric, bool higherIsBetter, bool paired)
    {
        (First, A, Second, B, Metric, HigherIsBetter, Paired) = (first, a, second, b, metric, higherIsBetter, paired);
        Difference = a.Mean - b.Mean;
        if (paired)
        {
            var d = Sample.Of(a.Values.Zip(b.Values, (x, y) => x - y));
            Spread = d.Std ?? double.NaN;
            StdError = d.StdError ?? double.NaN;
            DegreesOfFreedom = d.N - 1;
        }
        else if (a.Std is double sa && b.Std is double sb)
        {
            double va = sa * sa / a.N, vb = sb * sb / b.N;
            Spread = Math.Sqrt((sa * sa + sb * sb) / 2);
            StdError = Math.Sqrt(va + vb);
            DegreesOfFreedom = va + vb == 0 ? a.N + b.N - 2 : (va + vb) * (va + vb) / (va * va / (a.N - 1) + vb * vb / (b.N - 1));
        }
        else (Spread, StdError, DegreesOfFreedom) = (double.NaN, double.NaN, 0);
        double half = CanEstimate ? StudentT.Critical(DegreesOfFreedom) * StdError : double.NaN;
        (Low, High) = (Difference - half, Difference + half);
    }

    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>; when paired, value i of each side comes from the same seed.</summary>
    /// <exception cref="ArgumentException">Paired samples of different lengths.</exception>
    public static Comparison Of(string first, Sample a, string second, Sample b, string metric, bool higherIsBetter, bool paired)
    {
        if (paired && a.N != b.N)
            throw new ArgumentException($"a paired comparison needs one value per seed on both sides; got {a.N} and {b.N}.", nameof(b));
        return new(first, a, second, b, metric, higherIsBetter, paired);
    }

    /// <summary><paramref name="a"/> against a fixed <paramref name="value"/> (one the source read off its curve): the one-sample t.</summary>
    public static Comparison WithValue(string first, Sample a, string valueName, double value, string metric, bool higherIsBetter) =>
        new(first, a, valueName, Sample.Of(Enumerable.Repeat(value, a.N)), metric, higherIsBetter, paired: true);

    /// <summary>The first setting's name, e.g. "(0.2, 0.5)".</summary>
    public string First { get; }
    /// <summary>Its measurements, one per seed.</summary>
    public Sample A { get; }
    /// <summary>The second setting's name.</summary>
    public string Second { get; }
    /// <summary>Its measurements, one per seed.</summary>
    public Sample B { get; }
    /// <summary>What was measured, e.g. "test acc".</summary>
    public string Metric { get; }
    /// <summary>True for accuracies, false for losses.</summary>
    public bool HigherIsBetter { get; }
    /// <summary>True when the interval is the paired one (same seeds on both sides).</summary>
    public bool Paired { get; }

    /// <summary>mean(A) − mean(B).</summary>
    public double Difference { get; }
    /// <summary>The standard error of <see cref="Difference"/>; NaN when a side (or the pairs) has a single value.</summary>
    public double StdError { get; }
    /// <summary>The t distribution's degrees of freedom (paired: n − 1; Welch: Welch–Satterthwaite).</summary>
    public double DegreesOfFreedom { get; }
    /// <summary>The lower end of the 95 % confidence interval of <see cref="Difference"/> (NaN when it cannot be estimated).</summary>
    public double Low { get; }
    /// <summary>The upper end of the 95 % confidence interval.</summary>
    public double High { get; }
    /// <summary>The spread one seed adds: the standard deviation of the per-seed differences (paired) or the pooled one.</summary>
    public double Spread { get; }

    /// <summary>False when a side (or the pairs) has a single value: the noise between seeds cannot be estimated.</summary>
    public bool CanEstimate => double.IsFinite(StdError) && DegreesOfFreedom > 0;

    /// <summary>Seeds per side: n (paired) or "n₁ vs n₂".</summary>
    public string Seeds => Paired ? $"{A.N}" : $"{A.N} vs {B.N}";

    /// <summary>"paired t" or "Welch t".</summary>
    public string Test => Paired ? "paired t" : "Welch t";

    /// <summary>The better setting's name when the interval excludes 0, else null.</summary>
    public string? Better =>
        !CanEstimate || (Low <= 0 && High >= 0) ? null : (Difference > 0) == HigherIsBetter ? First : Second;

    /// <summary>"+0.0120 [+0.0040, +0.0200]" (difference and 95 % interval), or "+0.0120 [one seed: no interval]".</summary>
    public string IntervalText(string format = "+0.0000;−0.0000;0.0000")
    {
        var c = CultureInfo.InvariantCulture;
        return CanEstimate
            ? $"{Difference.ToString(format, c)} [{Low.ToString(format, c)}, {High.ToString(format, c)}]"
            : $"{Difference.ToString(format, c)} [one seed: no interval]";
    }

    /// <summary>"(0.2, 0.5) − (0.5, 0.2), test acc: +0.0120 [+0.0040, +0.0200], paired t, 3 seeds".</summary>
    public override string ToString() => $"{First} − {Second}, {Metric}: {IntervalText()}, {Test}, {Seeds} seeds";

    /// <summary>
    /// Roughly how many seeds per side give a half-width ≤ <paramref name="halfWidth"/> four times in five (80 % power), at this
    /// spread; null when the spread is unknown (one seed), the half-width is not positive, or it takes over 10,000.
    /// </summary>
    public int? SeedsForHalfWidth(double halfWidth)
    {
        if (!double.IsFinite(Spread) || !(halfWidth > 0)) return null;
        // Var(difference) = σ²/n paired (σ of the differences) and 2σ²/n unpaired (σ pooled, n per side).
        double factor = Paired ? 1 : 2;
        for (int n = 2; n <= 10_000; n++)
        {
            double df = Paired ? n - 1 : 2 * n - 2;
            double needed = (StudentT.Critical(df) + StudentT.Critical(df, 0.6)) * Spread * Math.Sqrt(factor / n);
            if (needed <= halfWidth) return n;
        }
        return null;
    }
}
