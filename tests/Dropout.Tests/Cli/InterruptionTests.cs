using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// Ctrl+C as a terminal sends it — SIGINT to the whole process group of the built CLI, workers included — and SIGTERM
/// stop <c>study</c>, <c>train</c> and <c>bench</c> at the end of the current step: they say what was kept and how to
/// resume, exit 130 (SIGINT) or 143 (SIGTERM), leave no process behind, and a study resumes where it stopped.
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class InterruptionTests
{
    /// <summary>Starts the CLI in its own process group, waits for a stdout line matching <paramref name="ready"/>, signals the group.</summary>
    /// <remarks>
    /// Whether it stopped promptly is told by what it says it kept (a run or epoch in progress dropped, the rest not
    /// done), never by a duration: the machine may be busy.
    /// </remarks>
    static async Task<BuiltCli> SignalWhen(string directory, string[] args, Func<string, bool> ready, int signal)
    {
        var readySeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cli = BuiltCli.Start(directory, args, ownProcessGroup: true, onOutLine: line => { if (ready(line)) readySeen.TrySetResult(); });
        await cli.WaitOrFail(readySeen.Task, "the line to interrupt after");
        cli.SignalGroup(signal);
        await cli.ExitAsync();
        return cli;
    }

    static string[] StudyArgs(int workers) =>
        ["study", "--pairs", "0.2:0.5,0.5:0.2", "--seeds", "2", "--epochs", "3", "--train-limit", "20000", "--test-limit", "1000",
         "--workers", workers.ToString(), "--out", "r.csv"];

    [Fact]
    public async Task SigintToTheGroupStopsAStudyAndItsWorkersKeepsFinishedRunsAndTheStudyResumes()
    {
        using var dir = new TempDir();
        var cli = await SignalWhen(dir.Path, StudyArgs(2), l => l.Contains(" epoch 1/3 "), BuiltCli.Sigint);
        using (cli)
        {
            Assert.True(cli.Process.ExitCode == 130, $"exit {cli.Process.ExitCode}\n{cli.Error}");
            var errorLines = cli.Error.Trim().Split('\n');
            Assert.Empty(BuiltCli.ProcessesInGroup(cli.Id)); // the workers are gone too
            Assert.DoesNotContain("trained", cli.Output);

            // What is in the file is whole (a study that finished no run has written nothing); the same command trains exactly the rest.
            int keptRuns = 0;
            if (File.Exists(dir.File("r.csv")))
            {
                var kept = StudyCsv.Read(dir.File("r.csv"), 3);
                Assert.False(kept.NeedsRepair, kept.RepairNote);
                keptRuns = kept.Rows.Select(r => r.Run).Distinct().Count();
            }
            Assert.Matches(keptRuns == 0
                ? @"^interrupted: no run had finished, so nothing was written to r\.csv; the runs in progress were dropped\. Run the same command again to resume\.$"
                : $@"^interrupted: {keptRuns} finished runs are in r\.csv \({keptRuns} of this study's 4\); the runs in progress were dropped\. Run the same command again to resume\.$",
                errorLines[^1]);
            Assert.True(keptRuns < 4, "every run finished: the signal was not acted on");

            var resumed = await BuiltCli.RunAsync(dir.Path, StudyArgs(2));
            Assert.True(resumed.Process.ExitCode == 0, resumed.Error);
            Assert.Contains($"{keptRuns} already in r.csv, {4 - keptRuns} to train", resumed.Output);
            var all = StudyCsv.Read(dir.File("r.csv"), 3);
            Assert.False(all.NeedsRepair, all.RepairNote);
            Assert.Equal(4 * 3, all.Rows.Count);
        }
    }

    [Fact]
    public async Task SigtermStopsAOneWorkerStudyWithExit143()
    {
        using var dir = new TempDir();
        var cli = await SignalWhen(dir.Path, StudyArgs(1), l => l.Contains(" epoch 2/3 "), BuiltCli.Sigterm);
        using (cli)
        {
            Assert.True(cli.Process.ExitCode == 143, $"exit {cli.Process.ExitCode}\n{cli.Error}");
            Assert.Contains("the run in progress was dropped. Run the same command again to", cli.Error);
            if (File.Exists(dir.File("r.csv"))) Assert.False(StudyCsv.Read(dir.File("r.csv"), 3).NeedsRepair);
        }
    }

    [Fact]
    public async Task SigintStopsTrainMidEpochSayingWhatWasKept()
    {
        using var dir = new TempDir();
        var cli = await SignalWhen(dir.Path,
            ["train", "--epochs", "5", "--train-limit", "20000", "--test-limit", "1000", "--seed", "1", "--chart", "curves.html"],
            l => l.StartsWith("epoch  1/5", StringComparison.Ordinal), BuiltCli.Sigint);
        using (cli)
        {
            Assert.True(cli.Process.ExitCode == 130, $"exit {cli.Process.ExitCode}\n{cli.Error}");
            Assert.Matches(@"interrupted during epoch [2-5] of 5: the [1-4] finished epochs? (is|are) printed above and drawn in curves\.html; the epoch in progress was dropped\. " +
                "train keeps no checkpoint: run the same command again to train from the start.", cli.Error);
            Assert.DoesNotContain("d2l check", cli.Output);
            Assert.True(File.Exists(dir.File("curves.html")));
        }
    }

    [Fact]
    public async Task SigtermStopsBenchBetweenStepsWithExit143()
    {
        using var dir = new TempDir();
        var cli = await SignalWhen(dir.Path, ["bench", "--epochs", "4", "--ceiling-steps", "5"],
            l => l.StartsWith("epoch  1/4", StringComparison.Ordinal), BuiltCli.Sigterm);
        using (cli)
        {
            Assert.True(cli.Process.ExitCode == 143, $"exit {cli.Process.ExitCode}\n{cli.Error}");
            Assert.Matches(@"interrupted after [1-3] of 4 epochs: the epochs measured so far are printed above", cli.Error);
            Assert.DoesNotContain("FLOPs counted", cli.Output); // the report is not printed half-measured
        }
    }
}
