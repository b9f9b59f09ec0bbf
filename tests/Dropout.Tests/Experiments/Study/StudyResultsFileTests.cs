using Dropout.Experiments.Study;
using Dropout.Study;

namespace Dropout.Tests.Experiments.Study;

public class StudyResultsFileTests
{
    static readonly StudySettings Settings = new("concise", 16, 3, 0.5, 64, 300, 100);
    static readonly StudyPlan Plan = new([new(0.2, 0.5), new(0.8, 0.5)], [0, 1]);

    static StudyOutcome RunStudy(string path, FakeTrainer trainer, StudySettings? settings = null, IReadOnlyList<SeededRun>? runs = null, CancellationToken ct = default)
    {
        using var file = StudyResultsFile.Open(path, settings ?? Settings);
        return StudyRunner.Run(Plan, runs ?? Plan.Runs, file, trainer.Train, cancellationToken: ct);
    }

    [Fact]
    public void TheCsvHasExactlyTheNineColumnsAndOneRowPerPairSeedEpoch()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer());
        var lines = File.ReadAllLines(path);
        Assert.Equal("model,p1,p2,seed,epoch,train_loss,train_acc,test_acc,seconds", lines[0]);
        Assert.Equal(1 + 4 * 3, lines.Length);
        var run = Plan.Runs[0];
        var m = FakeTrainer.Metrics(run, 1);
        Assert.Equal($"concise,0.2,0.5,0,1,{m.TrainLoss:R},{m.TrainAcc:R},{m.TestAcc:R},0.25", lines[1]);
        Assert.All(lines.Skip(1), l => Assert.Equal(9, l.Split(',').Length));
        Assert.True(File.Exists(path + ".settings.json"));
    }

    [Fact]
    public void RowsRoundTripExactly()
    {
        var row = new StudyRow("scratch", 0.02, 0.05, 7, 10, 0.30123456789012345, 0.8899, 1.0 / 3, 12.3456);
        var back = StudyRow.Parse(row.ToCsvLine(), "test");
        Assert.Equal(row with { Seconds = 12.346 }, back);
    }

    [Fact]
    public void ResumingSkipsFinishedRunsAndTrainsNothingTheSecondTime()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        var first = new FakeTrainer();
        var outcome1 = RunStudy(path, first);
        Assert.Equal((0, 4), (outcome1.Skipped, outcome1.Trained));
        string before = File.ReadAllText(path);

        var second = new FakeTrainer();
        var outcome2 = RunStudy(path, second);
        Assert.Empty(second.Trained);
        Assert.Equal((4, 0), (outcome2.Skipped, outcome2.Trained));
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void ResumingAfterAnInterruptionTrainsOnlyWhatIsMissing()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        using var cts = new CancellationTokenSource();
        // Ctrl+C during the third run: the first two are kept, the third is lost.
        var interrupted = new FakeTrainer { CancelAt = (3, cts) };
        Assert.ThrowsAny<OperationCanceledException>(() => RunStudy(path, interrupted, ct: cts.Token));
        Assert.Equal(2, StudyCsv.ReadRows(path).Select(r => r.Run).Distinct().Count());

        var resumed = new FakeTrainer();
        RunStudy(path, resumed);
        Assert.Equal(Plan.Runs.Skip(2), resumed.Trained);
        var rows = StudyCsv.ReadRows(path);
        Assert.Equal(12, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => (r.Run, r.Epoch)).Distinct().Count());
    }

    [Fact]
    public void AFileMadeWithOtherSettingsIsRefusedNamingTheSettingAndBothValues()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer());
        string before = File.ReadAllText(path);
        var e = Assert.Throws<StudySettingsMismatchException>(() => StudyResultsFile.Open(path, Settings with { NumEpochs = 5, Hidden = 32 }));
        Assert.Contains("hidden is 16 in the file but 32 now", e.Message);
        Assert.Contains("epochs is 3 in the file but 5 now", e.Message);
        Assert.Contains("choose another --out, or delete", e.Message);
        Assert.Equal(["hidden", "num_epochs"], e.Differences.Select(d => d.Name));
        Assert.Equal(before, File.ReadAllText(path));

        var limit = Assert.Throws<StudySettingsMismatchException>(() => StudyResultsFile.Open(path, Settings with { TrainLimit = null }));
        Assert.Contains("train_limit is 300 in the file but all now", limit.Message);
    }

    [Fact]
    public void ACsvWithoutItsSettingsFileIsRefused()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        File.WriteAllText(path, StudyRow.CsvHeader + "\n");
        var e = Assert.Throws<StudySettingsMismatchException>(() => StudyResultsFile.Open(path, Settings));
        Assert.Contains("settings file", e.Message);
    }

    [Fact]
    public void AnUnfinishedLastLineAndAnIncompleteRunAreDroppedAndReported()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer(), runs: Plan.Runs.Take(2).ToList());
        // An interrupted write: one whole line of the third run, then half a line.
        File.AppendAllText(path, "concise,0.8,0.5,0,1,1.8,0.51,0.56,0.25\nconcise,0.8,0.5,0,2,1.3");
        var reports = new List<string>();
        using var file = StudyResultsFile.Open(path, Settings, reports.Add);
        var report = Assert.Single(reports);
        Assert.Contains("dropped an unfinished last line ('concise,0.8,0.5,0,2,1.3')", report);
        Assert.Contains("dropped an unfinished run without all 3 epochs ((0.8, 0.5) seed 0: 1 of 3 from line 8)", report);
        Assert.Contains("kept 2 finished runs, the rest will be trained again", report);
        Assert.Equal(2, file.CompletedRuns.Count);
        Assert.Equal(1 + 6, File.ReadAllLines(path).Length);
        Assert.EndsWith("\n", File.ReadAllText(path));

        var trainer = new FakeTrainer();
        StudyRunner.Run(Plan, Plan.Runs, file, trainer.Train);
        Assert.Equal(Plan.Runs.Skip(2), trainer.Trained);
        Assert.Equal(12, StudyCsv.ReadRows(path).Count);
    }

    [Fact]
    public void AnIntactFileIsNotRewrittenOrReported()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer());
        var stamp = File.GetLastWriteTimeUtc(path);
        var reports = new List<string>();
        StudyResultsFile.Open(path, Settings, reports.Add).Dispose();
        Assert.Empty(reports);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void AMalformedLineOrHeaderIsAnErrorNamingTheLine()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer(), runs: Plan.Runs.Take(1).ToList());
        var lines = File.ReadAllLines(path).ToList();
        lines[2] = "concise,0.2,0.5,0,2,oops,0.5,0.6,0.25";
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        var e = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Open(path, Settings));
        Assert.Contains("line 3: train_loss 'oops' is not a number", e.Message);

        File.WriteAllText(path, "a,b,c\n");
        Assert.Contains("is not a study results file", Assert.Throws<InvalidDataException>(() => StudyResultsFile.Open(path, Settings)).Message);
    }

    [Fact]
    public void AppendRunAcceptsOnlyOneWholeNewRun()
    {
        using var dir = new TempDir();
        using var file = StudyResultsFile.Open(dir.File("results.csv"), Settings);
        var run = Plan.Runs[0];
        var rows = StudyRow.FromHistory("concise", run, Enumerable.Range(1, 3).Select(e => FakeTrainer.Metrics(run, e)));
        Assert.Throws<ArgumentException>(() => file.AppendRun(rows.Take(2).ToList()));
        Assert.Throws<ArgumentException>(() => file.AppendRun(rows.Select(r => r with { Model = "scratch" }).ToList()));
        file.AppendRun(rows);
        Assert.True(file.IsComplete(run));
        Assert.Contains("already in", Assert.Throws<ArgumentException>(() => file.AppendRun(rows)).Message);
    }

    [Fact]
    public void ProgressCountsEpochsAndEstimatesTheTimeLeftFromTheMeanEpoch()
    {
        using var dir = new TempDir();
        using var file = StudyResultsFile.Open(dir.File("results.csv"), Settings);
        var seen = new List<StudyProgress>();
        StudyRunner.Run(Plan, Plan.Runs, file, new FakeTrainer().Train, progress: seen.Add);
        Assert.Equal(4 * (1 + 3), seen.Count);
        var first = seen[0];
        Assert.Equal((1, 2, 1, 2, 0, 3, 0, 12), (first.PairNumber, first.PairCount, first.SeedNumber, first.SeedCount, first.Epoch, first.Epochs, first.EpochsDone, first.EpochsTotal));
        Assert.Null(first.Eta);
        var afterFive = seen.First(p => p.EpochsDone == 5);
        // Every fake epoch takes 0.25 s: 7 epochs left → 1.75 s.
        Assert.Equal(1.75, afterFive.Eta!.Value.TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, seen[^1].Eta);
        Assert.Matches(@"^worker 1/1: pair 2/2 \(0\.8, 0\.5\) seed 2/2 epoch 3/3 — 12/12 epochs, elapsed \d+s, ETA 0s$", seen[^1].ToString());
        Assert.StartsWith("worker 1/1: pair 1/2 (0.2, 0.5) seed 1/2 epoch 0/3 — 0/12 epochs, elapsed", first.ToString());
        Assert.EndsWith("ETA …", first.ToString());
    }

    [Fact]
    public void DurationsAreShort()
    {
        Assert.Equal("45s", StudyProgress.Duration(TimeSpan.FromSeconds(45)));
        Assert.Equal("2m10s", StudyProgress.Duration(TimeSpan.FromSeconds(130)));
        Assert.Equal("1h05m", StudyProgress.Duration(TimeSpan.FromMinutes(65)));
    }

    [Theory]
    [InlineData("concise,NaN,0.5,0,1,2.3,0.1,0.1,0.5", "p1 'NaN' is not between 0 and 1")]
    [InlineData("concise,0.2,1.5,0,1,2.3,0.1,0.1,0.5", "p2 '1.5' is not between 0 and 1")]
    [InlineData("concise,-0.1,0.5,0,1,2.3,0.1,0.1,0.5", "p1 '-0.1' is not between 0 and 1")]
    [InlineData("concise,0.2,0.5,0,0,2.3,0.1,0.1,0.5", "epoch 0 is out of range (at least 1)")]
    [InlineData("concise,0.2,0.5,0,1,Infinity,0.1,0.1,0.5", "train_loss 'Infinity' is not a finite number of at least 0")]
    [InlineData("concise,0.2,0.5,0,1,2.3,1.1,0.1,0.5", "train_acc '1.1' is not between 0 and 1")]
    [InlineData("concise,0.2,0.5,0,1,2.3,0.1,NaN,0.5", "test_acc 'NaN' is not between 0 and 1")]
    [InlineData("concise,0.2,0.5,0,1,2.3,0.1,0.1,-1", "seconds '-1' is not a finite number of at least 0")]
    public void ARowNoStudyWritesIsRefusedNamingTheFileLineAndField(string line, string message)
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer(), runs: Plan.Runs.Take(1).ToList());
        File.AppendAllText(path, line + "\n");
        var e = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Open(path, Settings));
        Assert.Equal($"{path} line 5: {message}.", e.Message);
        Assert.Throws<InvalidDataException>(() => StudyCsv.ReadRows(path));
    }

    [Fact]
    public void AnOpenResultsFileIsItsOnlyWriterUntilDisposed()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        var file = StudyResultsFile.Open(path, Settings);
        file.AppendRun(StudyRow.FromHistory("concise", Plan.Runs[1], Enumerable.Range(1, 3).Select(e => FakeTrainer.Metrics(Plan.Runs[1], e))));
        var busy = Assert.Throws<StudyFileBusyException>(() => StudyResultsFile.Open(path, Settings));
        Assert.StartsWith($"{path} is in use by process {Environment.ProcessId} (", busy.Message);
        Assert.Contains("pass --wait to take your turn after it", busy.Message);
        // Merging into it, or from it, waits for it just the same.
        Assert.Throws<StudyFileBusyException>(() => StudyMerge.Run([path], dir.File("merged.csv")));
        Assert.False(File.Exists(dir.File("merged.csv")));

        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.AppendRun(StudyRow.FromHistory("concise", Plan.Runs[0],
            Enumerable.Range(1, 3).Select(e => FakeTrainer.Metrics(Plan.Runs[0], e)))));
        using var again = StudyResultsFile.Open(path, Settings);
        Assert.Equal([Plan.Runs[1]], again.CompletedRuns);
    }

    /// <summary>Rows a study never writes, each after the first run (three whole epochs, lines 2–4) of a 3-epoch file.</summary>
    public static TheoryData<string, string, int> RowsNoStudyWrites() => new()
    {
        // an epoch beyond the file's epochs, after its run's good rows: not an unfinished run to retrain
        { "concise,0.2,0.5,0,4,0.3,0.9,0.9,0.25\n", "epoch 4 of (0.2, 0.5) seed 0, but the file's runs have 3 epochs; no study writes that", 5 },
        { "concise,0.8,0.5,0,9,0.3,0.9,0.9,0.25\n", "epoch 9 of (0.8, 0.5) seed 0, but the file's runs have 3 epochs", 5 },
        // the same run again, whole or in part
        { "concise,0.2,0.5,0,1,0.3,0.9,0.9,0.25\nconcise,0.2,0.5,0,2,0.3,0.9,0.9,0.25\nconcise,0.2,0.5,0,3,0.3,0.9,0.9,0.25\n",
            "(0.2, 0.5) seed 0 begins again, but the file already holds it whole from line 2", 5 },
        { "concise,0.2,0.5,0,2,0.3,0.9,0.9,0.25\n", "epoch 2 of (0.2, 0.5) seed 0 without its earlier epochs", 5 },
        // epochs out of order, or a gap
        { "concise,0.8,0.5,0,2,0.3,0.9,0.9,0.25\n", "epoch 2 of (0.8, 0.5) seed 0 without its earlier epochs", 5 },
        { "concise,0.8,0.5,0,1,0.3,0.9,0.9,0.25\nconcise,0.8,0.5,0,3,0.3,0.9,0.9,0.25\n", "epoch 3 of (0.8, 0.5) seed 0, but epoch 2 comes next", 6 },
        { "concise,0.8,0.5,0,1,0.3,0.9,0.9,0.25\nconcise,0.8,0.5,0,1,0.3,0.9,0.9,0.25\n", "(0.8, 0.5) seed 0 begins, but (0.8, 0.5) seed 0 (from line 5) stopped at epoch 1 of 3", 6 },
        // a run cut short in the middle of the file (a crash leaves one only at its end, and the next study repairs it at once)
        { "concise,0.8,0.5,0,1,0.3,0.9,0.9,0.25\nconcise,0.2,0.5,1,1,0.3,0.9,0.9,0.25\n", "(0.2, 0.5) seed 1 begins, but (0.8, 0.5) seed 0 (from line 5) stopped at epoch 1 of 3", 6 },
        // the other model
        { "scratch,0.8,0.5,0,1,0.3,0.9,0.9,0.25\n", "model 'scratch', but the file's settings say 'concise'", 5 },
    };

    [Theory]
    [MemberData(nameof(RowsNoStudyWrites))]
    public void ARowNoStudyWritesIsRefusedNamingTheFileAndLineNotRepaired(string appended, string message, int line)
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer(), runs: Plan.Runs.Take(1).ToList());
        File.AppendAllText(path, appended);
        string before = File.ReadAllText(path);

        var e = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Open(path, Settings));
        Assert.StartsWith($"{path} line {line}: {message}", e.Message);
        Assert.Equal(before, File.ReadAllText(path)); // nothing repaired away, no run retrained
        Assert.Throws<InvalidDataException>(() => StudyMerge.Run([path], dir.File("merged.csv")));
        Assert.False(File.Exists(dir.File("merged.csv")));
    }

    [Fact]
    public void ARepairNoteShowsUnprintableBytesEscaped()
    {
        using var dir = new TempDir();
        string path = dir.File("results.csv");
        RunStudy(path, new FakeTrainer(), runs: Plan.Runs.Take(1).ToList());
        // What some file systems leave after a crash: the file's new length, its bytes never written.
        File.AppendAllText(path, new string('\0', 300));
        var reports = new List<string>();
        using (StudyResultsFile.Open(path, Settings, reports.Add)) { }
        string report = Assert.Single(reports);
        Assert.DoesNotContain('\0', report);
        Assert.Contains("dropped an unfinished last line ('\\0\\0\\0", report);
        Assert.Contains("(300 characters)", report);
        Assert.Equal(1 + 3, File.ReadAllLines(path).Length);

        // A complete line of them is refused, escaped too.
        File.AppendAllText(path, "\0\0\u0001\n");
        var e = Assert.Throws<InvalidDataException>(() => StudyResultsFile.Open(path, Settings));
        Assert.Contains("found 1: '\\0\\0\\x01'", e.Message);
        Assert.DoesNotContain('\0', e.Message);
    }

    [Fact]
    public void AResultsFileIsCreatedWithItsFirstFinishedRunNotBefore()
    {
        using var dir = new TempDir();
        string path = dir.File("sub/results.csv");
        using (var file = StudyResultsFile.Open(path, Settings))
        {
            Assert.False(File.Exists(path));
            Assert.False(File.Exists(path + ".settings.json"));
        }
        // Opened and closed without a finished run: nothing at all stays (not even the folder made for the lock).
        Assert.False(Directory.Exists(dir.File("sub")));

        using (var file = StudyResultsFile.Open(path, Settings))
        {
            var run = Plan.Runs[0];
            file.AppendRun(StudyRow.FromHistory("concise", run, Enumerable.Range(1, 3).Select(e => FakeTrainer.Metrics(run, e))));
            Assert.Equal(1 + 3, File.ReadAllLines(path).Length);
            Assert.Equal(Settings, StudySettings.ReadSidecar(path));
        }
        Assert.Equal(["results.csv", "results.csv.settings.json"], Directory.EnumerateFiles(dir.File("sub")).Select(Path.GetFileName).Order());
    }
}
