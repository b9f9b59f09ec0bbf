using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// Several processes of the built CLI on one results file at the same time — studies, a repair of an unfinished last
/// line, merges into one output: each waits its turn (--wait) or is refused at once naming the file and the process
/// that holds it; nothing is ever lost, repeated or torn. Each case runs several trials, since a race that is lost
/// once is not shown absent by one lucky run.
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class ResultsFileWritersTests
{
    const int Trials = 3;
    // A few seconds per study (data loading included), so that two started together surely overlap.
    static readonly string[] Tiny = ["--seeds", "2", "--epochs", "1", "--train-limit", "8000", "--test-limit", "200", "--workers", "1"];
    const int Epochs = 1;

    /// <summary>The file is clean (no torn line, no partial or repeated run) and holds exactly these runs.</summary>
    static void AssertHoldsExactly(string path, IEnumerable<SeededRun> runs)
    {
        var content = StudyCsv.Read(path, Epochs);
        Assert.True(!content.NeedsRepair, $"{path} needed repair: {content.RepairNote}\n{File.ReadAllText(path)}");
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal("", lines[^1]); // ends with a newline
        Assert.Equal(content.Rows.Count + 1, lines.Length - 1); // every line a row (or the header): nothing dropped by Read
        Assert.Equal(runs.OrderBy(r => r.Pair.P1).ThenBy(r => r.Pair.P2).ThenBy(r => r.Seed),
            content.Rows.Select(r => r.Run).OrderBy(r => r.Pair.P1).ThenBy(r => r.Pair.P2).ThenBy(r => r.Seed));
    }

    static IEnumerable<SeededRun> Runs(string pairs) =>
        new StudyPlan(DropoutPair.ParseList(pairs), StudyPlan.SeedRange(2)).Runs;

    [Fact]
    public async Task WhileAnotherProcessHoldsTheFileAStudyIsRefusedNamingTheFileAndTheHolder()
    {
        using var dir = new TempDir();
        using (StudyFileLock.Acquire(dir.File("r.csv")))
        {
            using var b = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.5:0.2", .. Tiny, "--out", "r.csv"]);
            Assert.Equal(2, await b.ExitAsync());
            var errorLines = b.Error.Trim().Split('\n');
            Assert.Equal(2, errorLines.Length);
            Assert.StartsWith($"error: r.csv is in use by process {Environment.ProcessId} (", errorLines[0]);
            Assert.Contains("--wait", errorLines[0]);
            Assert.StartsWith("run 'Dropout.Cli study --help'", errorLines[1]);
        }
        Assert.False(File.Exists(dir.File("r.csv")) && File.ReadAllText(dir.File("r.csv")).Contains("concise"), "the refused study wrote rows");
    }

    [Fact]
    public async Task WithWaitAStudyWaitsWhileAnotherProcessHoldsTheFileThenTrains()
    {
        using var dir = new TempDir();
        var held = StudyFileLock.Acquire(dir.File("r.csv"));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var b = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.5:0.2", .. Tiny, "--out", "r.csv", "--wait"],
            onOutLine: line => { if (line.StartsWith("waiting for r.csv", StringComparison.Ordinal)) waiting.TrySetResult(); });
        await b.WaitOrFail(waiting.Task, "the study to say it waits");
        Assert.False(b.Process.HasExited, "the study did not wait");
        held.Dispose();
        Assert.Equal(0, await b.ExitAsync());
        Assert.Contains($"waiting for r.csv: it is in use by process {Environment.ProcessId} (", b.Output);
        AssertHoldsExactly(dir.File("r.csv"), Runs("0.5:0.2"));
    }

    [Fact]
    public async Task TwoStudiesOnOneFileAtOnceOneRunsAndTheOtherIsRefusedOrCameAfter()
    {
        for (int trial = 1; trial <= Trials; trial++)
        {
            using var dir = new TempDir();
            using var a = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.2:0.5,0.5:0.2", .. Tiny, "--out", "r.csv"]);
            using var b = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.5:0.2,0.8:0.5", .. Tiny, "--out", "r.csv"]);
            int exitA = await a.ExitAsync(), exitB = await b.ExitAsync();
            if (exitA == 0 && exitB == 0)
            {
                // They did not overlap (the first was done before the second opened the file): the second resumed.
                Assert.Single(new[] { a, b }, p => p.Output.Contains("2 already in r.csv, 2 to train"));
                AssertHoldsExactly(dir.File("r.csv"), Runs("0.2:0.5,0.5:0.2,0.8:0.5"));
                continue;
            }
            var (winner, loser, winnerPairs) = exitA == 0 ? (a, b, "0.2:0.5,0.5:0.2") : (b, a, "0.5:0.2,0.8:0.5");
            Assert.True(winner.Process.ExitCode == 0, $"trial {trial}: exits {exitA} and {exitB}\nA: {a.Error}\nB: {b.Error}");
            Assert.True(loser.Process.ExitCode == 2, $"trial {trial}: exits {exitA} and {exitB}\nloser: {loser.Error}");
            // The winner is named once it has written its name into the lock file; a moment before, "another process"
            Assert.Matches($@"^error: r\.csv is in use by (process {winner.Id} \(|another process)", loser.Error.Trim().Split('\n')[0]);
            AssertHoldsExactly(dir.File("r.csv"), Runs(winnerPairs));
        }
    }

    [Fact]
    public async Task WithWaitTwoStudiesStartedTogetherTakeTurnsAndTheSecondTrainsOnlyWhatTheFirstLeft()
    {
        for (int trial = 1; trial <= Trials; trial++)
        {
            using var dir = new TempDir();
            using var a = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.2:0.5,0.5:0.2", .. Tiny, "--out", "r.csv", "--wait"]);
            using var b = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.5:0.2,0.8:0.5", .. Tiny, "--out", "r.csv", "--wait"]);
            int exitA = await a.ExitAsync(), exitB = await b.ExitAsync();
            Assert.True(exitA == 0 && exitB == 0, $"trial {trial}: exits {exitA} and {exitB}\nA: {a.Error}\nB: {b.Error}");
            AssertHoldsExactly(dir.File("r.csv"), Runs("0.2:0.5,0.5:0.2,0.8:0.5"));
            // Whichever got the file second skipped the two runs of the shared pair; if it had to wait, it named the first.
            var second = Assert.Single(new[] { a, b }, p => p.Output.Contains("2 already in r.csv, 2 to train"));
            var first = second == a ? b : a;
            Assert.Contains("0 already in r.csv, 4 to train", first.Output);
            Assert.DoesNotContain("waiting for r.csv", first.Output);
            if (second.Output.Contains("waiting for r.csv"))
                Assert.Matches($@"waiting for r\.csv: it is in use by (process {first.Id} \(|another process)", second.Output);
        }
    }

    [Fact]
    public async Task ARepairOfAnUnfinishedLastLineNeverRacesAnotherWriter()
    {
        for (int trial = 1; trial <= Trials; trial++)
        {
            using var dir = new TempDir();
            var first = await BuiltCli.RunAsync(dir.Path, ["study", "--pairs", "0.2:0.5", .. Tiny, "--out", "r.csv"]);
            Assert.True(first.Process.ExitCode == 0, first.Error);
            File.AppendAllText(dir.File("r.csv"), "concise,0.5,0.2,0,1,2.1"); // a write cut short

            // Two processes find the torn line at once: one repairs it under the lock, the other waits and then resumes.
            using var a = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.2:0.5,0.5:0.2", .. Tiny, "--out", "r.csv", "--wait"]);
            using var b = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.2:0.5,0.8:0.5", .. Tiny, "--out", "r.csv", "--wait"]);
            int exitA = await a.ExitAsync(), exitB = await b.ExitAsync();
            Assert.True(exitA == 0 && exitB == 0, $"trial {trial}: exits {exitA} and {exitB}\nA: {a.Error}\nB: {b.Error}");
            Assert.Equal(1, new[] { a, b }.Count(p => p.Output.Contains("repaired r.csv: dropped an unfinished last line ('concise,0.5,0.2,0,1,2.1')")));
            AssertHoldsExactly(dir.File("r.csv"), Runs("0.2:0.5,0.5:0.2,0.8:0.5"));
        }
    }

    [Fact]
    public async Task TwoMergesIntoOneOutputAtOnceWriteItOnceAndTheOtherIsRefused()
    {
        using var dir = new TempDir();
        var s1 = await BuiltCli.RunAsync(dir.Path, ["study", "--pairs", "0.2:0.5", .. Tiny, "--out", "s1.csv"]);
        var s2 = await BuiltCli.RunAsync(dir.Path, ["study", "--pairs", "0.8:0.5", .. Tiny, "--out", "s2.csv"]);
        Assert.True(s1.Process.ExitCode == 0 && s2.Process.ExitCode == 0, s1.Error + s2.Error);
        for (int trial = 1; trial <= Trials; trial++)
        {
            string output = $"merged-{trial}.csv";
            using var a = BuiltCli.Start(dir.Path, ["study-merge", "s1.csv", "s2.csv", "--out", output]);
            using var b = BuiltCli.Start(dir.Path, ["study-merge", "s1.csv", "s2.csv", "--out", output]);
            int exitA = await a.ExitAsync(), exitB = await b.ExitAsync();
            Assert.True(new[] { exitA, exitB }.Order().SequenceEqual([0, 2]), $"trial {trial}: exits {exitA} and {exitB}\nA: {a.Error}\nB: {b.Error}");
            var loser = exitA == 2 ? a : b;
            // The holder is named once it has written its name into the lock file; a moment before, "another process"
            Assert.Matches($@"^error: {System.Text.RegularExpressions.Regex.Escape(output)} (is in use by (process \d+ \(|another process)|already exists)", loser.Error);
            AssertHoldsExactly(dir.File(output), Runs("0.2:0.5,0.8:0.5"));
        }
    }

    [Fact]
    public async Task AMergeRefusesAnInputAStudyIsStillWriting()
    {
        using var dir = new TempDir();
        // About a minute of training (killed once the merge has answered), so that the merge surely meets it running.
        var studyStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var study = BuiltCli.Start(dir.Path, ["study", "--pairs", "0.2:0.5,0.5:0.2", "--seeds", "20", "--epochs", "3", "--train-limit", "5000",
                "--test-limit", "200", "--workers", "1", "--out", "s.csv"],
            onOutLine: line => { if (line.StartsWith("worker ", StringComparison.Ordinal)) studyStarted.TrySetResult(); });
        await study.WaitOrFail(studyStarted.Task, "the study's first epoch");
        var merge = await BuiltCli.RunAsync(dir.Path, "study-merge", "s.csv", "--out", "m.csv");
        Assert.False(study.Process.HasExited, "the study ended before the merge had started; make it longer");
        Assert.Equal(2, merge.Process.ExitCode);
        Assert.StartsWith($"error: s.csv is in use by process {study.Id} (", merge.Error);
        Assert.Contains("before merging it", merge.Error);
        Assert.False(File.Exists(dir.File("m.csv")));
    }
}
