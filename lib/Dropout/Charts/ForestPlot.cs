using Dropout.Statistics;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Charts;

/// <summary>A forest plot of claims: each claim's difference and 95 % interval on a row, coloured by verdict, a line at 0.</summary>
public static class ForestPlot
{
    /// <summary>The claims top to bottom, those without an interval (one seed) left out. One metric per plot: they share a scale.</summary>
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
