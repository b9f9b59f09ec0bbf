using System.Globalization;

namespace Dropout.Statistics;

/// <summary>
/// Two runs compared on one metric over seeds, by the project's one rule (<see cref="Rule"/>): the difference of
/// their means against twice the standard error of that difference. Every verdict the notebooks, the study and the
/// CLI print comes from here, with the numbers it was judged on.
/// </summary>
/// <param name="First">The first run's name, e.g. "(0.2, 0.5)" or "dropout".</param>
/// <param name="A">The first run's measurements.</param>
/// <param name="Second">The second run's name.</param>
/// <param name="B">The second run's measurements.</param>
/// <param name="Metric">What was measured, e.g. "test acc".</param>
/// <param name="HigherIsBetter">True for accuracies, false for losses.</param>
public sealed record Comparison(string First, Sample A, string Second, Sample B, string Metric, bool HigherIsBetter)
{
    /// <summary>The rule, stated once.</summary>
    public const string Rule =
        "two runs differ clearly when their means differ by more than twice the standard error of the difference, " +
        "2·√(s₁²/n₁ + s₂²/n₂) (s: the sample standard deviation over seeds, n: the number of seeds); a smaller difference " +
        "is within the noise between seeds. With 3 seeds this is a rough rule, not a significance test; with one seed " +
        "nothing can be judged.";

    /// <summary>mean(A) − mean(B).</summary>
    public double Difference => A.Mean - B.Mean;

    /// <summary>√(s_A²/n_A + s_B²/n_B); null when a side has a single measurement.</summary>
    public double? StdError => A.Std is double sa && B.Std is double sb ? Math.Sqrt(sa * sa / A.N + sb * sb / B.N) : null;

    /// <summary>The verdict under <see cref="Rule"/>.</summary>
    public Verdict Verdict =>
        StdError is not double se ? Verdict.CannotJudge
        : Math.Abs(Difference) <= 2 * se ? Verdict.NoClearDifference
        : (Difference > 0) == HigherIsBetter ? Verdict.FirstBetter : Verdict.SecondBetter;

    /// <summary>The clearly better run's name, or null when neither is.</summary>
    public string? ClearlyBetter => Verdict switch { Verdict.FirstBetter => First, Verdict.SecondBetter => Second, _ => null };

    /// <summary>
    /// "(0.2, 0.5) better on test acc: 0.8521 vs 0.8410, by 0.0111 > 2·SE 0.0040 (3 vs 3 seeds)", or
    /// "no clear difference on test acc: ... 0.0020 ≤ 2·SE 0.0090 ...", or "cannot judge ... one seed".
    /// </summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string means = $"{First} {A.Mean.ToString("0.0000", c)} vs {Second} {B.Mean.ToString("0.0000", c)}";
        string seeds = $"({A.N} vs {B.N} seeds)";
        string by = Math.Abs(Difference).ToString("0.0000", c);
        return Verdict switch
        {
            Verdict.CannotJudge => $"cannot judge on {Metric} with one seed: {means} {seeds}",
            Verdict.NoClearDifference => $"no clear difference on {Metric}: {means}, {by} ≤ 2·SE {(2 * StdError!.Value).ToString("0.0000", c)} {seeds}",
            _ => $"{ClearlyBetter} better on {Metric}: {means}, by {by} > 2·SE {(2 * StdError!.Value).ToString("0.0000", c)} {seeds}",
        };
    }
}
