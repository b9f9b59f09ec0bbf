namespace Dropout.Study;

/// <summary>One of the source's three qualitative conclusions (定性结论), and how to check it on a metric.</summary>
/// <param name="Number">1, 2 or 3, in the source's order.</param>
/// <param name="Says">The conclusion, in our words.</param>
/// <param name="Check">Judges it on a study and one metric (the source's yardstick is the training loss).</param>
public sealed record SourceConclusion(int Number, string Says, Func<StudySummary, StudyMetric, ClaimCheck> Check);
