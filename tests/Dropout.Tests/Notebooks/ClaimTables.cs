using System.Globalization;
using Dropout.Tests.Runner;

namespace Dropout.Tests.Notebooks;

/// <summary>
/// The claim tables a notebook shows (<c>claims.Select(c =&gt; c.Row).ToTabularDataResource()</c>), read back by column and
/// checked against the project's rule: each verdict must agree with its own interval and what the claim says of the
/// difference (its <c>Claimed</c> column), whatever the wording.
/// </summary>
static class ClaimTables
{
    public static readonly string[] Columns = ["Claim", "Metric", "Compared", "Claimed", "Difference", "Low95", "High95", "Test", "Verdict", "SeedsToSettle"];

    /// <summary>One claim row.</summary>
    public sealed record Row(string Claim, string Metric, string Compared, string Claimed, double Difference, double Low, double High, string Test, string Verdict, string SeedsToSettle)
    {
        /// <summary>Seeds per side the test used: "paired t, 4 seeds" → 4.</summary>
        public int Seeds => int.Parse(Test.Split(", ")[1].Split(' ')[0], CultureInfo.InvariantCulture);

        public bool IncludesDiverged => Claim.EndsWith("(diverged runs included)", StringComparison.Ordinal);
    }

    static double Number(string text) => text == "NaN" ? double.NaN : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The rows of every claim table in <paramref name="tables"/>.</summary>
    public static IReadOnlyList<Row> Of(IEnumerable<Dictionary<string, string[]>> tables) =>
        tables.Where(t => Columns.All(t.ContainsKey)).SelectMany(t => Enumerable.Range(0, t["Claim"].Length).Select(i => new Row(
            t["Claim"][i], t["Metric"][i], t["Compared"][i], t["Claimed"][i], Number(t["Difference"][i]), Number(t["Low95"][i]), Number(t["High95"][i]),
            t["Test"][i], t["Verdict"][i], t["SeedsToSettle"][i]))).ToList();

    /// <summary>The claim rows the cell containing <paramref name="fragment"/> showed.</summary>
    public static IReadOnlyList<Row> In(ExecutedNotebook notebook, string fragment) => Of(ExecutedNotebook.Tables(notebook.Cell(fragment)));

    /// <summary>
    /// Every claim row of the notebook agrees with its interval (rows are rounded, so the bounds are compared weakly): a
    /// difference claim ("&gt; 0", "&lt; 0") is supported when the interval lies on its side of 0, contradicted when on the
    /// other, not settled when it reaches both (or when one seed gives no interval); a similarity ("within ±m") is
    /// supported inside ±m, contradicted wholly outside. A claim not settled names the seeds that would settle it, or none
    /// when no number would (a similarity already beyond its margin).
    /// </summary>
    public static void AssertVerdictsAgreeWithIntervals(IReadOnlyList<Row> rows)
    {
        Assert.NotEmpty(rows);
        foreach (var r in rows)
        {
            string row = $"{r.Claim} ({r.Metric}): {r.Difference} [{r.Low}, {r.High}] {r.Claimed} → {r.Verdict}";
            Assert.True(double.IsNaN(r.Low) || (r.Low <= r.Difference && r.Difference <= r.High), row);
            if (double.IsNaN(r.Low))
            {
                Assert.True(r.Verdict == "not settled", row);
                continue;
            }
            bool onPositive = r.Low >= 0, onNegative = r.High <= 0;
            switch (r.Claimed)
            {
                case "> 0" or "< 0":
                    bool claimedPositive = r.Claimed == "> 0";
                    string expected = !onPositive && !onNegative ? "not settled" : (onPositive == claimedPositive ? "supported" : "contradicted");
                    if (onPositive && onNegative) expected = r.Verdict;   // an interval of [0, 0] at the printed precision
                    Assert.True(expected == r.Verdict, row);
                    break;
                default:
                    Assert.StartsWith("within ±", r.Claimed);
                    double m = Number(r.Claimed["within ±".Length..]);
                    bool inside = r.Low >= -m && r.High <= m, outside = r.Low >= m || r.High <= -m;
                    Assert.True(r.Verdict switch
                    {
                        "supported" => inside,
                        "contradicted" => outside,
                        "not settled" => !(r.Low > -m && r.High < m) && !(r.Low > m || r.High < -m),
                        _ => false,
                    }, row);
                    break;
            }
            if (r.Verdict != "not settled") Assert.True(r.SeedsToSettle == "", row);
            else if (r.SeedsToSettle != "") Assert.True(int.Parse(r.SeedsToSettle, CultureInfo.InvariantCulture) > 1, row);
        }
    }
}
