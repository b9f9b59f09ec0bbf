namespace Dropout.Study;

/// <summary>How a claim of the source fares against a study's numbers.</summary>
public enum ClaimVerdict
{
    /// <summary>The numbers agree with it.</summary>
    Holds,
    /// <summary>Some of its parts agree, some do not (a conclusion over several comparisons).</summary>
    HoldsInPart,
    /// <summary>The numbers contradict it.</summary>
    DoesNotHold,
    /// <summary>It cannot be judged: one seed, or every run of a pair diverged.</summary>
    CannotJudge,
}
