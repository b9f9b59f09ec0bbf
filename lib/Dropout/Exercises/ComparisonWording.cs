using Dropout.Statistics;

namespace Dropout.Exercises;

/// <summary>Words for a <see cref="Comparison"/> of a quantity that is neither better nor worse when higher (a variance, a weight norm).</summary>
public static class ComparisonWording
{
    /// <summary>
    /// <see cref="Comparison.ToString"/> with "X better on" said as "X higher on" (or "lower on" when the comparison
    /// was made with lower-is-better): the same numbers, the same verdict, no value judgement.
    /// </summary>
    public static string HigherOrLower(Comparison comparison) => comparison.ToString();
}
