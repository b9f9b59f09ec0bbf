using Dropout.Charts;
using Dropout.Study;

namespace Dropout.Cli.Commands;

/// <summary>What the study commands print at the end: the summary table, wall time, and optional charts.</summary>
internal static class StudyOutput
{
    public static void Print(string path, IReadOnlyList<StudyRow> rows, string? chartsDirectory)
    {
        if (rows.Count == 0)
        {
            Console.WriteLine($"{path} holds no finished run yet.");
            return;
        }
        var summary = StudySummary.FromRows(rows);
        Console.WriteLine();
        Console.WriteLine($"Summary of {path}: {summary.RunCount} runs; final epoch, mean ± sample std over seeds (n/a with one seed); d2l check = runs passing train_loss < 0.5, accuracies > 0.7");
        Console.Write(summary.ToTable());
        Console.WriteLine($"total training wall time in the file: {StudyProgress.Duration(TimeSpan.FromSeconds(summary.TotalSeconds))}");
        if (chartsDirectory is null) return;
        var saved = new List<string>
        {
            Save(StudyCharts.TestAccuracy(summary), "test-accuracy.html"),
            Save(StudyCharts.TrainLoss(summary), "train-loss.html"),
            Save(StudyCharts.TrainLossCurves(summary), "train-loss-curves.html"),
            Save(StudyCharts.TestAccuracyHeatmap(summary), "test-accuracy-heatmap.html"),
        };
        Console.WriteLine($"charts: {string.Join(", ", saved)}");

        string Save(Plotly.NET.GenericChart chart, string name)
        {
            string file = Path.Combine(chartsDirectory, name);
            ChartHtml.Save(chart, file);
            return Path.GetFullPath(file);
        }
    }
}
