using Dropout.Charts;
using Dropout.Statistics;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Dropout.Exercises;

/// <summary>The exercises' charts: means over seeds, ± one SE bars for the spread; answers judge by <see cref="Comparison.Rule"/>.</summary>
public static class ExerciseCharts
{
    /// <summary>One line per series against epoch 1..n, each point a mean over seeds with ± SE error bars.</summary>
    /// <exception cref="ArgumentException">No series, or a series without any point.</exception>
    public static GenericChart Curves(string title, string yTitle, params (string Name, IReadOnlyList<Sample?> PerEpoch)[] series)
    {
        if (series.Length == 0) throw new ArgumentException("give at least one series to plot.", nameof(series));
        var empty = series.FirstOrDefault(s => s.PerEpoch.All(p => p is null));
        if (empty.Name is not null) throw new ArgumentException($"series '{empty.Name}' has no point to plot (every run diverged?).", nameof(series));
        var lines = series.Select(s =>
        {
            var x = Enumerable.Range(1, s.PerEpoch.Count).ToArray();
            var line = Chart.Line<int, double, string>(x, s.PerEpoch.Select(Mean), ShowMarkers: true, Name: s.Name);
            return WithErrors(line, s.PerEpoch);
        });
        return Chart.Combine(lines)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(760, 440)
            .WithTitleText(title);
    }

    /// <summary>One line per series over shared categories (e.g. weight decays), each point a mean over seeds with ± SE bars.</summary>
    /// <exception cref="ArgumentException">No series, or a series whose number of values differs from the categories'.</exception>
    public static GenericChart Points(string title, string xTitle, string yTitle, IReadOnlyList<string> categories, params (string Name, IReadOnlyList<Sample?> Values)[] series)
    {
        if (series.Length == 0) throw new ArgumentException("give at least one series to plot.", nameof(series));
        var wrong = series.FirstOrDefault(s => s.Values.Count != categories.Count);
        if (wrong.Name is not null) throw new ArgumentException($"series '{wrong.Name}' has {wrong.Values.Count} values for {categories.Count} categories.", nameof(series));
        var lines = series.Select(s =>
            WithErrors(Chart.Line<string, double, string>(categories, s.Values.Select(Mean), ShowMarkers: true, Name: s.Name), s.Values));
        return Chart.Combine(lines)
            .WithXAxisStyle<string, string, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(760, 440)
            .WithTitleText(title);
    }

    // A missing point is NaN: Plotly.NET writes it as "NaN" and plotly.js leaves a gap.
    static double Mean(Sample? s) => s?.Mean ?? double.NaN;

    static GenericChart WithErrors(GenericChart chart, IReadOnlyList<Sample?> values) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(
            FSharpOption<bool>.Some(true), FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data), FSharpOption<bool>.Some(true),
            FSharpOption<IEnumerable<double>>.Some(values.Select(v => v?.StdError ?? 0).ToArray()), null, null, null, null, null, null, null, null, null).Invoke(chart);
}
