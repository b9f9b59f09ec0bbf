using Dropout.Charts;
using Dropout.Experiments.Charts;
using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Cli.Commands;

/// <summary>What the study commands print at the end: the summary table, wall time, and optional charts.</summary>
internal static class StudyOutput
{
    /// <summary>The files <see cref="Print"/> writes in its charts folder.</summary>
    public static readonly IReadOnlyList<string> ChartFiles = ["test-accuracy.html", "train-loss.html", "train-loss-curves.html", "test-accuracy-heatmap.html"];

    /// <summary>Prints the summary of <paramref name="rows"/> and saves the charts; Ctrl+C stops it between steps.</summary>
    public static void Print(string path, IReadOnlyList<StudyRow> rows, string? chartsDirectory, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            Console.WriteLine($"{path} holds no finished run yet.");
            return;
        }
        var results = StudySummary.Results(rows);
        cancellationToken.ThrowIfCancellationRequested();
        Console.WriteLine();
        Console.WriteLine($"Summary of {path}: {results.Pairs.Sum(p => results[p].Runs.Count)} runs; final epoch, mean ± sample std over seeds (n/a with one seed); d2l check = runs passing train_loss < 0.5, accuracies > 0.7");
        Console.Write(StudySummary.Table(results));
        Console.WriteLine($"total training wall time in the file: {StudyProgress.Duration(TimeSpan.FromSeconds(rows.Sum(r => r.Seconds)))}");
        if (chartsDirectory is null) return;
        var charts = new Func<StudyResults, Plotly.NET.GenericChart>[]
        {
            StudyCharts.TestAccuracy, StudyCharts.TrainLoss, StudyCharts.TrainLossCurves, StudyCharts.TestAccuracyHeatmap,
        };
        var saved = new List<string>();
        for (int i = 0; i < charts.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string file = Path.Combine(chartsDirectory, ChartFiles[i]);
            ChartHtml.Save(charts[i](results), file);
            saved.Add(Path.GetFullPath(file));
        }
        Console.WriteLine($"charts: {string.Join(", ", saved)}");
    }
}
