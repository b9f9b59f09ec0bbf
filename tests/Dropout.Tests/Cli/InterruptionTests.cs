using System.Diagnostics;
using Dropout.Tests.Study;

namespace Dropout.Tests.Cli;

/// <summary>
/// Ctrl+C as a terminal sends it — SIGINT to the whole process group of the built CLI — and SIGTERM stop <c>train</c>
/// and <c>bench</c> at the end of the current step: they say what was kept and how to resume, exit 130 (SIGINT) or 143
/// (SIGTERM).
/// </summary>
[Collection(SerialCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "RealData")]
public class InterruptionTests
{
    /// <summary>Far longer than one training step (milliseconds) and one evaluation; a killed process would take no time at all.</summary>
    static readonly TimeSpan Prompt = TimeSpan.FromSeconds(30);

    /// <summary>Starts the CLI in its own process group, waits for a stdout line matching <paramref name="ready"/>, signals the group.</summary>
    static async Task<(BuiltCli Cli, TimeSpan StopTime)> SignalWhen(string directory, string[] args, Func<string, bool> ready, int signal)
    {
        var readySeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cli = BuiltCli.Start(directory, args, ownProcessGroup: true, onOutLine: line => { if (ready(line)) readySeen.TrySetResult(); });
        await cli.WaitOrFail(readySeen.Task, "the line to interrupt after");
        var clock = Stopwatch.StartNew();
        cli.SignalGroup(signal);
        await cli.ExitAsync();
        return (cli, clock.Elapsed);
    }

    [Fact]
    public async Task SigintStopsTrainMidEpochSayingWhatWasKept()
    {
        using var dir = new TempDir();
        var (cli, stopTime) = await SignalWhen(dir.Path,
            ["train", "--epochs", "5", "--train-limit", "20000", "--test-limit", "1000", "--seed", "1", "--chart", "curves.html"],
            l => l.StartsWith("epoch  1/5", StringComparison.Ordinal), BuiltCli.Sigint);
        using (cli)
        {
            Assert.True(cli.Process.ExitCode == 130, $"exit {cli.Process.ExitCode}\n{cli.Error}");
            Assert.True(stopTime < Prompt, $"took {stopTime} to stop");
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
        var (cli, stopTime) = await SignalWhen(dir.Path, ["bench", "--epochs", "4", "--ceiling-steps", "5"],
            l => l.StartsWith("epoch  1/4", StringComparison.Ordinal), BuiltCli.Sigterm);
        using (cli)
        {
            Assert.True(cli.Process.ExitCode == 143, $"exit {cli.Process.ExitCode}\n{cli.Error}");
            Assert.True(stopTime < Prompt, $"took {stopTime} to stop");
            Assert.Matches(@"interrupted after [1-3] of 4 epochs: the epochs measured so far are printed above", cli.Error);
            Assert.DoesNotContain("FLOPs counted", cli.Output); // the report is not printed half-measured
        }
    }
}
