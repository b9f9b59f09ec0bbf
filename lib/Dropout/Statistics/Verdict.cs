using System.Globalization;

namespace Dropout.Statistics;

/// <summary>What <see cref="Comparison"/> concluded.</summary>
public enum Verdict
{
    /// <summary>A's mean is better by more than <see cref="Comparison.Rule"/> allows chance.</summary>
    FirstBetter,
    /// <summary>B's mean is better by more than the rule allows chance.</summary>
    SecondBetter,
    /// <summary>The difference is within the noise between seeds.</summary>
    NoClearDifference,
    /// <summary>One side has a single measurement: the noise cannot be estimated.</summary>
    CannotJudge,
}
