namespace Dropout.Study;

/// <summary>One run of the source's study, as the source describes it, and the claims it makes about it.</summary>
/// <param name="Number">Its place in the source (1–11).</param>
/// <param name="Pair">dropout1, dropout2.</param>
/// <param name="Why">What the source changes in this run, in our words.</param>
/// <param name="Observation">What the source saw on its curves, in our words.</param>
/// <param name="Claims">Its claims in checkable form.</param>
public sealed record SourceRun(int Number, DropoutPair Pair, string Why, string Observation, IReadOnlyList<SourceClaim> Claims)
{
    /// <summary>Every claim checked on <paramref name="study"/>.</summary>
    public IReadOnlyList<ClaimCheck> Check(StudySummary study) => Claims.Select(c => c.Check(study, Pair)).ToList();
}
