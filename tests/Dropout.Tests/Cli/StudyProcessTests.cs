using Dropout.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// <see cref="StudyProcess"/>, the entry point a notebook that loaded only Dropout.dll uses to run a study on all cores:
/// it runs the built CLI, hands its lines over on the caller's thread and returns the plan's rows.
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class StudyProcessTests
{
    [Fact]
    public void TheNotebookEntryPointRunsTheBuiltCliAndReturnsThePlansRows()
    {
        using var dir = new TempDir();
        var settings = new StudySettings("concise", 32, 1, 0.5, 256, 600, 200);
        var plan = new StudyPlan([new(0.2, 0.5), new(0.5, 0.2)], StudyPlan.SeedRange(1));
        var lines = new List<string>();
        int caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var rows = StudyProcess.Run(settings, plan, dir.File("r.csv"), line => { lines.Add(line); threads.Add(Environment.CurrentManagedThreadId); }, workers: 2);

        Assert.Equal(plan.Runs.ToHashSet(), rows.Select(r => r.Run).ToHashSet());
        Assert.Equal(2, rows.Count);
        Assert.Contains(lines, l => l.StartsWith("worker ", StringComparison.Ordinal) && l.Contains("2/2 epochs"));
        Assert.Contains(lines, l => l.StartsWith("Summary of ", StringComparison.Ordinal));
        Assert.Equal([caller], threads); // a notebook cell captures output on its own thread

        // Again: nothing to train, the same rows.
        lines.Clear();
        var again = StudyProcess.Run(settings, plan, dir.File("r.csv"), lines.Add);
        Assert.Equal(rows, again);
        Assert.Contains(lines, l => l.Contains("2 already in") && l.Contains(", 0 to train"));
    }

    [Fact]
    public void TheNotebookEntryPointReportsTheStudysErrorAndRefusesPlansTheCliCannotExpress()
    {
        using var dir = new TempDir();
        var settings = new StudySettings("concise", 32, 1, 0.5, 256, 600, 200);
        File.WriteAllText(dir.File("r.csv"), "not a results file\n");
        File.WriteAllText(dir.File("r.csv.settings.json"), settings.ToJson());
        var e = Assert.Throws<InvalidOperationException>(() =>
            StudyProcess.Run(settings, new StudyPlan([new(0.2, 0.5)], StudyPlan.SeedRange(1)), dir.File("r.csv")));
        Assert.Contains("exited with code 2", e.Message);
        Assert.Contains("is not a study results file", e.Message);

        Assert.Throws<ArgumentException>(() => StudyProcess.Arguments(settings, new StudyPlan([new(0.2, 0.5)], [5, 6]), dir.File("x.csv")));
    }

    [Fact]
    public void CancellingStopsTheStudyAsCtrlCWouldAndKeepsItsFinishedRuns()
    {
        using var dir = new TempDir();
        var settings = new StudySettings("concise", 256, 3, 0.5, 256, 20000, 1000);
        var plan = new StudyPlan([new(0.2, 0.5), new(0.5, 0.2)], StudyPlan.SeedRange(2));
        using var cancel = new CancellationTokenSource();
        var lines = new List<string>();
        var e = Assert.ThrowsAny<OperationCanceledException>(() => StudyProcess.Run(settings, plan, dir.File("r.csv"), line =>
        {
            lines.Add(line);
            if (line.StartsWith("worker ", StringComparison.Ordinal)) cancel.Cancel();
        }, workers: 2, cancellationToken: cancel.Token));
        Assert.Contains("interrupted: ", e.Message);
        Assert.Contains("Run the same command again to resume.", e.Message);
        // The file holds only whole runs (and does not exist when none had finished).
        if (File.Exists(dir.File("r.csv")))
        {
            var kept = StudyCsv.Read(dir.File("r.csv"), 3);
            Assert.False(kept.NeedsRepair, kept.RepairNote);
            Assert.True(kept.Rows.Select(r => r.Run).Distinct().Count() < 4, "the study was not interrupted");
        }
    }
}
