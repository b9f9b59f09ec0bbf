namespace Dropout.Statistics;

/// <summary>What the numbers say about a claim (<see cref="Claim"/>), judged by its 95 % interval.</summary>
public enum Verdict
{
    /// <summary>The interval lies wholly where the claim says (a difference: beyond 0 on its side; a similarity: inside the margin).</summary>
    Supported,
    /// <summary>The interval lies wholly where the claim says it does not.</summary>
    Contradicted,
    /// <summary>The interval reaches both sides: these seeds cannot tell. Not the same as contradicted.</summary>
    NotSettled,
}
