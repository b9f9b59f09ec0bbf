using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Charts;

/// <summary>Small bridges over Plotly.NET's F# API where the C# one has no equivalent.</summary>
public static class ChartStyle
{
    /// <summary>Sets the chart's title (Plotly.NET 6 has no C# <c>WithTitle</c>, Plotly.NET issue 491).</summary>
    public static GenericChart WithTitleText(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(Title.init(FSharpOption<string>.Some(title), null, null, null, null, null, null, null, null, null, null, null)).Invoke(chart);
}
