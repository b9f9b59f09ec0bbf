using System.CommandLine;
using Dropout.Study;

namespace Dropout.Cli.Commands;

/// <summary><c>study-merge</c>: combines the results files of a sharded study (or several studies with the same settings) into one.</summary>
internal static class StudyMergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "results CSVs written by study (each with its .settings.json)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "the merged CSV (must not exist yet)", Required = true };
        var charts = new Option<string?>("--charts") { Description = "also save the merged study's charts as self-contained HTML files in this folder" };
        var wait = new Option<bool>("--wait") { Description = "when a study is still writing an input, or another merge the output, wait for it instead of stopping at once" };
        var command = new Command("study-merge", "Merge study results files with the same settings; refuses other settings and runs present twice.")
        {
            inputs, output, charts, wait,
        };
        command.SetAction((result, cancellationToken) =>
        {
            string outPath = result.GetValue(output)!;
            OutputPaths.CheckFile("--out", outPath, "artifacts/study/merged.csv");
            string? chartsPath = result.GetValue(charts);
            if (chartsPath is not null) OutputPaths.CheckFolder("--charts", chartsPath);
            StudyMerge.Result merged;
            try
            {
                merged = StudyMerge.Run(result.GetValue(inputs)!, outPath, Console.WriteLine,
                    result.GetValue(wait) ? Timeout.InfiniteTimeSpan : null, cancellationToken);
            }
            catch (Exception e) when (e is StudySettingsMismatchException or ArgumentException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new UserError(CliRunner.MessageOf(e));
            }
            Console.WriteLine($"merged {merged.RunCount} runs ({merged.Rows.Count} rows, {merged.Settings}) into {outPath}");
            StudyOutput.Print(outPath, merged.Rows, chartsPath);
            return Task.FromResult(0);
        });
        return command;
    }
}
