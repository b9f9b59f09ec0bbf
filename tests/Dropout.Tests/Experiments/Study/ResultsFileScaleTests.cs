using System.Globalization;
using System.Text;
using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Tests.Cli;

namespace Dropout.Tests.Experiments.Study;

/// <summary>
/// Results files of many rows: reading, resuming and merging take one pass (their figures at a million rows come from
/// <c>lib/Dropout.Cli/Bench/results-file-scale.sh</c>, not from a timed test), and Ctrl+C or SIGTERM is honoured while
/// a file is read or merged, with the interruption's message and exit code, nothing changed.
/// </summary>
[Collection(SerialCollection.Name)] // redirects the console
public class ResultsFileScaleTests
{
    static readonly StudySettings Settings = new("concise", 16, 2, 0.5, 64, 300, 100);

    /// <summary>Pairs from a grid of 10 probabilities (100 pairs) × <paramref name="seeds"/> seeds, 2 epochs each, as a study writes them.</summary>
    static void WriteFile(string path, int seeds, int seedOffset = 0)
    {
        var text = new StringBuilder(StudyRow.CsvHeader).Append('\n');
        var grid = StudyPlan.Grid(Enumerable.Range(0, 10).Select(i => i / 10.0));
        foreach (var pair in grid)
            for (int seed = seedOffset; seed < seedOffset + seeds; seed++)
                for (int epoch = 1; epoch <= 2; epoch++)
                    text.Append(new StudyRow("concise", pair.P1, pair.P2, seed, epoch, 1.0 / epoch, 0.5, 0.5, 0.125).ToCsvLine()).Append('\n');
        File.WriteAllText(path, text.ToString());
        Settings.WriteSidecar(path);
    }

    static string[] StudyArgs(int seeds, string @out) =>
        ["study", "--grid", "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9", "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--epochs", "2",
         "--hidden", "16", "--batch-size", "64", "--train-limit", "300", "--test-limit", "100", "--out", @out];

    [Fact]
    public async Task AStudyWithNothingLeftToTrainResumesAFileOfThousandsOfRowsAndMergeCombinesThem()
    {
        using var dir = new TempDir();
        WriteFile(dir.File("a.csv"), seeds: 30);                 // 100 pairs × 30 seeds × 2 epochs = 6,000 rows
        WriteFile(dir.File("b.csv"), seeds: 30, seedOffset: 30); // the next 30 seeds
        string before = File.ReadAllText(dir.File("a.csv"));

        var resumed = await InProcessCli.RunAsync(dir.Path, StudyArgs(30, "a.csv"));
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Contains("3000 already in a.csv, 0 to train", resumed.Out);
        Assert.Equal(before, File.ReadAllText(dir.File("a.csv")));

        var merged = await InProcessCli.RunAsync(dir.Path, "study-merge", "a.csv", "b.csv", "--out", "m.csv");
        Assert.True(merged.Exit == 0, merged.Err);
        Assert.Contains("merged 6000 runs (12000 rows", merged.Out);
        var rows = StudyCsv.ReadRows(dir.File("m.csv"));
        Assert.Equal(12_000, rows.Count);
        Assert.Equal(6_000, rows.Select(r => r.Run).Distinct().Count());
    }

    [Fact]
    public void ReadingStopsWhenCancelledAndChangesNothing()
    {
        using var dir = new TempDir();
        WriteFile(dir.File("a.csv"), seeds: 60); // 12,000 rows: past the first point where reading looks at the token
        File.AppendAllText(dir.File("a.csv"), "concise,0.1,0.1,999,1,0.5,0.5"); // an unfinished last line, which a full read would repair
        string before = File.ReadAllText(dir.File("a.csv"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => StudyCsv.Read(dir.File("a.csv"), 2, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => StudyMerge.Run([dir.File("a.csv")], dir.File("m.csv"), cancellationToken: cancelled.Token));
        Assert.Equal(before, File.ReadAllText(dir.File("a.csv")));
        Assert.False(File.Exists(dir.File("m.csv")));
    }

    [Fact]
    public async Task CtrlCWhileAStudyReadsOrAMergeMergesIsTheInterruptionWithItsMessageAndExitCode()
    {
        using var dir = new TempDir();
        WriteFile(dir.File("a.csv"), seeds: 60);
        string before = File.ReadAllText(dir.File("a.csv"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel(); // counts as SIGINT

        var study = await InProcessCli.RunAsync(dir.Path, StudyArgs(60, "a.csv"), cancelled.Token);
        Assert.Equal(130, study.Exit);
        Assert.Equal("interrupted before any training: a.csv was not changed. Run the same command again to resume.", study.Err.Trim());
        Assert.DoesNotContain("Summary of", study.Out);
        Assert.Equal(before, File.ReadAllText(dir.File("a.csv")));

        var merge = await InProcessCli.RunAsync(dir.Path, ["study-merge", "a.csv", "--out", "m.csv"], cancelled.Token);
        Assert.Equal(130, merge.Exit);
        Assert.Equal("interrupted while merging: m.csv was not written, and the inputs are as they were. Run the same command again to merge.", merge.Err.Trim());
        Assert.False(File.Exists(dir.File("m.csv")));
        Assert.Equal([dir.File("a.csv"), dir.File("a.csv.settings.json")], Directory.EnumerateFiles(dir.Path).Order());
    }
}
