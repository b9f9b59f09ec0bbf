using System.CommandLine;
using Dropout.Cli;
using Dropout.Cli.Commands;
using Dropout.Experiments.Study;
using Dropout.Native;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

/// <summary>The study commands end to end; they redirect the console, so they run alone.</summary>
[Collection(SerialCollection.Name)]
public class StudyCommandTests
{
    public StudyCommandTests() => TorchNative.Ensure();

    static async Task<(int Exit, string Out, string Err)> Cli(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(StudyCommand.Create());
        root.Subcommands.Add(StudyMergeCommand.Create());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int exit = await CliRunner.InvokeAsync(root, args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    static readonly string[] Tiny = ["--seeds", "1", "--epochs", "1", "--train-limit", "300", "--test-limit", "200", "--hidden", "32"];

    [Fact]
    [Trait("Category", "RealData")]
    public async Task ATinyRealStudyRunsResumesAndMerges()
    {
        using var dir = new TempDir();
        string results = dir.File("results.csv");
        var (exit, output, error) = await Cli(["study", "--pairs", "0.2:0.5,0.8:0.5", .. Tiny, "--threads", "1", "--out", results, "--charts", dir.File("charts")]);
        Assert.True(exit == 0, error);
        Assert.Contains("2 pairs × 1 seeds = 2 runs; 0 already in", output);
        Assert.Contains("test_limit=200, 2 workers × 1 torch thread)", output); // the runs went to two worker processes
        Assert.Matches(@"worker [12]/2: pair 2/2 \(0\.8, 0\.5\) seed 1/1 epoch 1/1 — [12]/2 epochs, elapsed", output);
        Assert.Contains("p1   p2   seeds  train_loss", output);
        Assert.Contains("0.8  0.5  1", output);
        var rows = StudyCsv.ReadRows(results);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.TrainLoss > 0 && r.TestAcc is > 0 and <= 1 && r.Seconds > 0));
        Assert.True(File.Exists(dir.File("charts/test-accuracy-heatmap.html")));

        // The same command again trains nothing and leaves the file as it was.
        string before = File.ReadAllText(results);
        (exit, output, _) = await Cli(["study", "--pairs", "0.2:0.5,0.8:0.5", .. Tiny, "--out", results]);
        Assert.Equal(0, exit);
        Assert.Contains("2 already in", output);
        Assert.Contains(", 0 to train", output);
        Assert.DoesNotContain("epoch 1/1 —", output);
        Assert.Equal(before, File.ReadAllText(results));

        // Other settings are refused with exit 2 and a message naming the setting.
        (exit, _, error) = await Cli(["study", "--pairs", "0.2:0.5", "--seeds", "1", "--epochs", "2", "--train-limit", "300", "--test-limit", "200", "--hidden", "32", "--out", results]);
        Assert.Equal(2, exit);
        Assert.Contains("error: ", error);
        Assert.Contains("epochs is 1 in the file but 2 now", error);

        // Shard 2/2 of a larger plan into another file, then merge the two.
        string shard = dir.File("shard-2.csv");
        (exit, output, error) = await Cli(["study", "--pairs", "0.2:0.5,0.8:0.5,0.5:0.2,0:0", .. Tiny, "--shard", "2/2", "--out", shard]);
        Assert.True(exit == 0, error);
        Assert.Contains("shard 2/2 has 2", output);
        // Two workers: the runs are in the file in the order they finished.
        Assert.Equal([new(0, 0), new(0.8, 0.5)], StudyCsv.ReadRows(shard).Select(r => r.Run.Pair).OrderBy(p => p.P1));
        (exit, _, error) = await Cli(["study-merge", results, shard, "--out", dir.File("merged.csv")]);
        Assert.Equal(2, exit);
        Assert.Contains("(0.8, 0.5) seed 0 is in both", error);
    }

    [Fact]
    public async Task MergeCombinesFilesAndPrintsTheSummary()
    {
        using var dir = new TempDir();
        var settings = new StudySettings("concise", 16, 2, 0.5, 64, 300, 100);
        var plan = new StudyPlan([new(0.2, 0.5), new(0.5, 0.2)], [0, 1]);
        for (int k = 1; k <= 2; k++)
        {
            using var file = StudyResultsFile.Open(dir.File($"s{k}.csv"), settings);
            StudyRunner.Run(plan, plan.Shard(k, 2), file, new FakeTrainer { Epochs = 2 }.Train);
        }
        var (exit, output, error) = await Cli(["study-merge", dir.File("s1.csv"), dir.File("s2.csv"), "--out", dir.File("all.csv")]);
        Assert.True(exit == 0, error);
        Assert.Contains("merged 4 runs (8 rows", output);
        Assert.Contains("0.5  0.2  2", output);
        Assert.Equal(8, StudyCsv.ReadRows(dir.File("all.csv")).Count);
    }

    [Theory]
    [InlineData("--pairs", "0.2:1.5", "--pairs: p2 of '0.2:1.5': 1.5 is not a dropout probability")]
    [InlineData("--grid", "0,x", "--grid: grid value: 'x' is not a number")]
    [InlineData("--shard", "3/2", "'3/2' is not a shard")]
    [InlineData("--seeds", "0", "--seeds must be at least 1")]
    [InlineData("--epochs", "0", "--epochs must be between 1 and 10,000; got 0.")]
    [InlineData("--hidden", "0", "--hidden must be between 1 and 8,192; got 0.")]
    [InlineData("--lr", "1e308", "--lr must be a positive number that float32 can hold (1E-45 to 3.4028235E+38); got 1E+308.")]
    [InlineData("--lr", "1e-60", "--lr must be a positive number that float32 can hold")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1; got 0.")]
    [InlineData("--train-limit", "0", "--train-limit must be at least 1; got 0.")]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    public async Task BadInputIsAUserErrorNamingIt(string option, string value, string message)
    {
        using var dir = new TempDir();
        var (exit, _, error) = await Cli("study", option, value, "--out", dir.File("r.csv"));
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.False(File.Exists(dir.File("r.csv")));
    }
}
