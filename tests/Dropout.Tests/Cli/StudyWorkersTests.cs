using System.Diagnostics;
using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// <c>study</c> spread over worker threads, run as the built CLI: the same numbers as one worker, every run once,
/// honest progress lines, a failing run reported as the error it is.
/// </summary>
[Collection(SerialCollection.Name)] // they take both cores
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class StudyWorkersTests
{
    // Small enough to take seconds, large enough that the numbers depend on every step.
    static readonly string[] Small = ["--pairs", "0.2:0.5,0.5:0.2", "--seeds", "2", "--epochs", "2", "--train-limit", "2000", "--test-limit", "500", "--hidden", "64"];

    static IEnumerable<(SeededRun, int, double, double, double)> Numbers(string path) =>
        StudyCsv.ReadRows(path).OrderBy(r => r.P1).ThenBy(r => r.P2).ThenBy(r => r.Seed).ThenBy(r => r.Epoch)
            .Select(r => (r.Run, r.Epoch, r.TrainLoss, r.TrainAcc, r.TestAcc));

    [Fact]
    public async Task TwoWorkersGiveBitForBitTheNumbersOfOneWorker()
    {
        using var dir = new TempDir();
        var one = await BuiltCli.RunAsync(dir.Path, ["study", .. Small, "--workers", "1", "--out", "one.csv"]);
        Assert.True(one.Process.ExitCode == 0, one.Error);
        var two = await BuiltCli.RunAsync(dir.Path, ["study", .. Small, "--workers", "2", "--out", "two.csv"]);
        Assert.True(two.Process.ExitCode == 0, two.Error);

        Assert.Contains("1 worker × 1 torch thread", one.Output);
        Assert.Contains("2 workers × 1 torch thread", two.Output);
        var expected = Numbers(dir.File("one.csv")).ToList();
        Assert.Equal(2 * 2 * 2, expected.Count);
        Assert.Equal(expected, Numbers(dir.File("two.csv")));

        // One line per finished epoch, naming the worker; both workers took runs; the last line has counted every epoch.
        var lines = two.Output.Split('\n').Where(l => l.StartsWith("worker ", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, lines.Count);
        Assert.Contains(lines, l => l.StartsWith("worker 1/2: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("worker 2/2: ", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"{i}/8 epochs"), lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"\d+/8 epochs").Value));
        Assert.EndsWith("ETA 0s", lines[^1].TrimEnd());
        Assert.Contains("trained 4 runs", two.Output);
    }

    [Fact]
    public async Task MoreWorkersThanRunsStartsOnlyAsManyAsThereAreRuns()
    {
        using var dir = new TempDir();
        var cli = await BuiltCli.RunAsync(dir.Path, ["study", "--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "1", "--train-limit", "300", "--test-limit", "200",
            "--hidden", "16", "--workers", "3", "--out", "r.csv"]);
        Assert.True(cli.Process.ExitCode == 0, cli.Error);
        Assert.Contains("1 worker × 1 torch thread", cli.Output);
        Assert.Single(StudyCsv.ReadRows(dir.File("r.csv")));
    }

    [Fact]
    public async Task ADivergedRunInAWorkerIsAUsageErrorAndKeepsTheRunsFinishedBefore()
    {
        using var dir = new TempDir();
        // lr 1e30 makes the loss infinite in the first steps of every run.
        var cli = await BuiltCli.RunAsync(dir.Path, ["study", "--pairs", "0.2:0.5,0.5:0.2", "--seeds", "1", "--epochs", "1", "--train-limit", "600",
            "--test-limit", "200", "--hidden", "16", "--lr", "1e30", "--workers", "2", "--out", "r.csv"]);
        Assert.Equal(2, cli.Process.ExitCode);
        var errorLines = cli.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", errorLines[0]);
        Assert.Contains("loss", errorLines[0]);
        Assert.False(File.Exists(dir.File("r.csv")), "no run finished, so no results file should have been written");
    }
}
