using Dropout.Statistics;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Charts;

/// <summary>
/// A forest plot of claims: one row per claim, its difference as a point and its 95 % interval as a bar, a line at 0,
/// coloured by verdict — many comparisons read at a glance (which intervals clear 0, which do not).
/// </summary>
public static class ForestPlot
{
    /// <summary>
    /// The claims' intervals, top to bottom in the order given; claims whose interval cannot be estimated (one seed) are
    /// left out. Put claims of one metric in one plot: their differences share a scale.
    /// </summary>
    /// <exception cref="ArgumentException">No claim with an interval.</exception>
    public static GenericChart Create(IEnumerable<Claim> claims, string title)
    {
        var shown = claims.Where(c => c.Evidence.CanEstimate).ToList();
        if (shown.Count == 0) throw new ArgumentException("no claim has an interval to draw (one seed per side?).", nameof(claims));
        // Plotly draws categories bottom-up: reverse, so that the first claim is on top.
        var rows = shown.Select((c, i) => (Claim: c, Label: $"{i + 1}. {c.Says}")).Reverse().ToList();
        var traces = Enum.GetValues<Verdict>().Select(v => rows.Where(r => r.Claim.Verdict == v).ToList()).Where(g => g.Count > 0).Select(group =>
        {
            var points = Chart.Point<double, string, string>(group.Select(r => r.Claim.Evidence.Difference), group.Select(r => r.Label),
                Name: group[0].Claim.VerdictText);
            return Plotly.NET.Chart.withXErrorStyle<double, double>(
                FSharpOption<bool>.Some(true), FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data), FSharpOption<bool>.Some(false),
                FSharpOption<IEnumerable<double>>.Some(group.Select(r => r.Claim.Evidence.High - r.Claim.Evidence.Difference).ToArray()),
                FSharpOption<IEnumerable<double>>.Some(group.Select(r => r.Claim.Evidence.Difference - r.Claim.Evidence.Low).ToArray()),
                null, null, null, null, null, null, null, null).Invoke(points);
        }).ToList();
        var zero = Chart.Line<double, string, string>([0.0, 0.0], [rows[0].Label, rows[^1].Label], Name: "0", ShowLegend: false);
        return Chart.Combine(traces.Append(zero))
            .WithXAxisStyle<double, double, string>(TitleText: "difference, mean(A) − mean(B), with its 95 % interval")
            .WithSize(900, 120 + 28 * rows.Count)
            .WithTitleText(title);
    }
}
