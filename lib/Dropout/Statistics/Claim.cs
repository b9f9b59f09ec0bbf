namespace Dropout.Statistics;

/// <summary>What a claim says about a <see cref="Comparison"/>'s difference, mean(A) − mean(B).</summary>
public enum ClaimKind
{
    /// <summary>A is better than B (higher accuracy, lower loss).</summary>
    FirstBetter,
    /// <summary>A is worse than B.</summary>
    FirstWorse,
    /// <summary>A and B are about the same: the difference lies within ± a stated margin.</summary>
    Similar,
}

/// <summary>
/// A claim (the source's or ours) about two settings, judged by its comparison's 95 % interval (<see cref="Verdict"/>):
/// a difference must clear 0 on its side, a similarity lie inside ± <see cref="Margin"/>.
/// </summary>
/// <param name="Says">The claim in a few words, e.g. "run 2 trains worse than run 1".</param>
/// <param name="Margin">For <see cref="ClaimKind.Similar"/>: how far apart "about the same" may be (in the metric's units).</param>
public sealed record Claim(string Says, Comparison Evidence, ClaimKind Kind, double Margin = 0)
{
    /// <summary>The verdict by the project's rule (<see cref="Comparison.Rule"/>).</summary>
    public Verdict Verdict
    {
        get
        {
            var c = Evidence;
            if (!c.CanEstimate) return Verdict.NotSettled;
            if (Kind == ClaimKind.Similar)
                return c.Low > -Margin && c.High < Margin ? Verdict.Supported
                    : c.Low > Margin || c.High < -Margin ? Verdict.Contradicted : Verdict.NotSettled;
            // "A better" means a positive difference for accuracies and a negative one for losses.
            bool positiveIsClaimed = (Kind == ClaimKind.FirstBetter) == c.HigherIsBetter;
            bool positive = c.Low > 0, negative = c.High < 0;
            return !positive && !negative ? Verdict.NotSettled : positive == positiveIsClaimed ? Verdict.Supported : Verdict.Contradicted;
        }
    }

    /// <summary>
    /// For a claim not settled, roughly how many seeds per side would settle a difference of the size seen, at the spread
    /// seen; null when settled, when no number would (a similarity beyond its margin, a difference of 0), or with one seed.
    /// </summary>
    public int? SeedsToSettle
    {
        get
        {
            if (Verdict != Verdict.NotSettled) return null;
            double size = Math.Abs(Evidence.Difference);
            return Kind == ClaimKind.Similar ? Evidence.SeedsForHalfWidth(Margin - size) : Evidence.SeedsForHalfWidth(size);
        }
    }

    /// <summary>The verdict as a learner reads it: "supported", "contradicted" or "not settled".</summary>
    public string VerdictText => Verdict switch
    {
        Verdict.Supported => "supported",
        Verdict.Contradicted => "contradicted",
        _ => "not settled",
    };

    /// <summary>What the claim says of mean(A) − mean(B): "&gt; 0" or "&lt; 0" (A better), or "within ±0.0100".</summary>
    public string Claimed => Kind == ClaimKind.Similar
        ? $"within ±{Margin.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}"
        : (Kind == ClaimKind.FirstBetter) == Evidence.HigherIsBetter ? "> 0" : "< 0";

    /// <summary>The claim as a table row, rounded to <see cref="Decimals"/>; rounding never moves an interval's end across 0.</summary>
    public ClaimRow Row => new(Says, Evidence.Metric, $"{Evidence.First} − {Evidence.Second}", Claimed, Math.Round(Evidence.Difference, Decimals),
        Math.Round(Evidence.Low, Decimals), Math.Round(Evidence.High, Decimals), $"{Evidence.Test}, {Evidence.Seeds} seeds", VerdictText,
        SeedsToSettle?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");

    /// <summary>Decimals for this claim's numbers: two significant digits of the interval's half-width, 4 to 10.</summary>
    public int Decimals
    {
        get
        {
            double half = (Evidence.High - Evidence.Low) / 2;
            return double.IsFinite(half) && half > 0 ? Math.Clamp(1 - (int)Math.Floor(Math.Log10(half)), 4, 10) : 4;
        }
    }

    /// <summary>
    /// The claim as an answer reads, number first: "−0.0210 [−0.0300, −0.0120] final gap (dropout − no dropout): dropout
    /// keeps the gap smaller — supported."; a claim not settled ends with the seeds that would settle it.
    /// </summary>
    public string Answer =>
        $"{Evidence.IntervalText(NumberFormat)} {Evidence.Metric} ({Evidence.First} − {Evidence.Second}): {Says} — {VerdictText}" +
        (SeedsToSettle is int n ? $"; {n} seeds per side would settle it." : ".");

    string NumberFormat
    {
        get
        {
            string zeros = "0." + new string('0', Decimals);
            return $"+{zeros};−{zeros};{zeros}";
        }
    }

    /// <summary>One line: the claim, its verdict, the numbers, and the seeds it would take.</summary>
    public override string ToString() =>
        $"{Says}: {VerdictText} — {Evidence}" + (SeedsToSettle is int n ? $"; about {n} seeds per side would settle it" : "");
}

/// <summary>A <see cref="Claim"/> as a table shows it (<see cref="Claim.Row"/>); <c>Compared</c> is A − B or A − the value.</summary>
public sealed record ClaimRow(string Claim, string Metric, string Compared, string Claimed, double Difference, double Low95, double High95,
    string Test, string Verdict, string SeedsToSettle);
