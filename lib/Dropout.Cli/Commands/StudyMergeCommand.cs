using System.CommandLine;
using Dropout.Experiments.Study;
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
            string[] inputPaths = result.GetValue(inputs)!;
            foreach (string input in inputPaths) OutputPaths.CheckResultsInput(input);
            string outPath = result.GetValue(output)!;
            OutputPaths.CheckResultsFile("--out", outPath, "artifacts/study/merged.csv");
            string? chartsPath = result.GetValue(charts);
            if (chartsPath is not null) OutputPaths.CheckFolder("--charts", chartsPath, StudyOutput.ChartFiles);
            StudyMerge.Result merged;
            try
            {
                merged = StudyMerge.Run(inputPaths, outPath, Console.WriteLine, result.GetValue(wait) ? Timeout.InfiniteTimeSpan : null, cancellationToken);
            }
            catch (Exception e) when (e is StudySettingsMismatchException or ArgumentException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new UserError(CliRunner.MessageOf(e));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CommandInterruptedException($"interrupted while merging: {outPath} was not written, and the inputs are as they were. Run the same command again to merge.", cancellationToken);
            }
            Console.WriteLine($"merged {merged.RunCount} runs ({merged.Rows.Count} rows, {merged.Settings}) into {outPath}");
            try
            {
                StudyOutput.Print(outPath, merged.Rows, chartsPath, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CommandInterruptedException($"interrupted after the merge: {outPath} is written whole ({merged.RunCount} runs); " +
                    $"its summary{(chartsPath is null ? " was" : " and charts were")} not finished.", cancellationToken);
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
