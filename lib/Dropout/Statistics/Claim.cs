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
/// A claim (the source's, or ours) about two settings, judged by its comparison's 95 % interval: a difference is
/// supported when the interval excludes 0 on the claimed side and contradicted when it excludes 0 on the other; a
/// similarity is supported when the interval lies inside ± <see cref="Margin"/> and contradicted when it lies wholly
/// outside. Anything else is not settled, and <see cref="SeedsToSettle"/> says roughly how many seeds would settle it.
/// </summary>
/// <param name="Says">The claim in a few words, e.g. "run 2 trains worse than run 1".</param>
/// <param name="Evidence">The comparison it is judged by.</param>
/// <param name="Kind">What it says of the difference.</param>
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
    /// For a claim not settled: roughly how many seeds per side would settle a difference of the size seen (its interval
    /// clear of 0, or for a similarity inside the margin), at the spread seen; null when settled, when no number of seeds
    /// would (a similarity whose difference already exceeds the margin, a difference of exactly 0), or when one seed
    /// gives no spread to plan with.
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

    /// <summary>
    /// What the claim says of the difference mean(A) − mean(B), in its sign: "&gt; 0" or "&lt; 0" for a difference (a higher
    /// accuracy or a lower loss of A), "within ±0.0100" for a similarity.
    /// </summary>
    public string Claimed => Kind == ClaimKind.Similar
        ? $"within ±{Margin.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}"
        : (Kind == ClaimKind.FirstBetter) == Evidence.HigherIsBetter ? "> 0" : "< 0";

    /// <summary>
    /// The claim as a table row: numbers rounded to <see cref="Decimals"/> places (NaN where one seed gives no interval).
    /// Rounding never moves an end of the interval across 0: a supported "&gt; 0" row shows Low95 ≥ 0.
    /// </summary>
    public ClaimRow Row => new(Says, Evidence.Metric, $"{Evidence.First} − {Evidence.Second}", Claimed, Math.Round(Evidence.Difference, Decimals),
        Math.Round(Evidence.Low, Decimals), Math.Round(Evidence.High, Decimals), $"{Evidence.Test}, {Evidence.Seeds} seeds", VerdictText,
        SeedsToSettle?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");

    /// <summary>
    /// How many decimals show this claim's numbers: enough for two significant digits of the interval's half-width (a
    /// difference of 0.00004 ± 0.00002 is not "0.0000"), at least 4, at most 10.
    /// </summary>
    public int Decimals
    {
        get
        {
            double half = (Evidence.High - Evidence.Low) / 2;
            return double.IsFinite(half) && half > 0 ? Math.Clamp(1 - (int)Math.Floor(Math.Log10(half)), 4, 10) : 4;
        }
    }

    /// <summary>
    /// The claim as an answer reads, the number first: "−0.0210 [−0.0300, −0.0120] final gap (dropout − no dropout): dropout
    /// keeps the gap smaller — supported." A claim not settled ends with the seeds that would settle it; the test and the
    /// seeds are in <see cref="Row"/>.
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

/// <summary>
/// A <see cref="Claim"/> as a table shows it: which difference (<c>Compared</c>: A − B, or A − the value), what the claim says of it
/// (<see cref="Claim.Claimed"/>), the difference of the means with its 95 % interval, the verdict, and the seeds that would
/// settle a claim not settled.
/// </summary>
public sealed record ClaimRow(string Claim, string Metric, string Compared, string Claimed, double Difference, double Low95, double High95,
    string Test, string Verdict, string SeedsToSettle);
