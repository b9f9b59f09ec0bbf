using Dropout.Statistics;

namespace Dropout.Study;

/// <summary>A claim of the source checked against this study's numbers.</summary>
/// <param name="Says">The claim, in our words.</param>
/// <param name="Verdict">How it fares.</param>
/// <param name="Evidence">The numbers and the comparisons it was judged on.</param>
public sealed record ClaimCheck(string Says, ClaimVerdict Verdict, string Evidence)
{
    /// <summary>The verdict for a yes/no claim: true → holds, false → does not hold, null → cannot judge.</summary>
    public static ClaimVerdict Of(bool? holds) => holds switch { true => ClaimVerdict.Holds, false => ClaimVerdict.DoesNotHold, null => ClaimVerdict.CannotJudge };

    /// <summary>"holds", "holds in part", "does not hold" or "cannot judge".</summary>
    public string VerdictText => Verdict switch
    {
        ClaimVerdict.Holds => "holds",
        ClaimVerdict.HoldsInPart => "holds in part",
        ClaimVerdict.DoesNotHold => "does not hold",
        _ => "cannot judge",
    };
}
