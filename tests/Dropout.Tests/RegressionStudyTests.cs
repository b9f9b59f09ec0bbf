using static TorchSharp.torch;

namespace Dropout.Tests;

/// <summary>The multi-seed study: reproducible runs, snapshots where the notebook takes them, honest statistics.</summary>
[Collection(SerialCollection.Name)] // seeds torch's global generator and sets its thread count
public class RegressionStudyTests
{
    public RegressionStudyTests() => TorchNative.Ensure();

    static readonly RegressionSettings Small = new(Steps: 40, SnapshotEvery: 10, NHidden: 32);

    [Fact]
    public void TheSameSeedGivesTheSameRunAndAnotherSeedAnotherRun()
    {
        var a = RegressionStudy.Run(1, Small);
        var b = RegressionStudy.Run(1, Small);
        var c = RegressionStudy.Run(2, Small);
        Assert.Equal(a.Result, b.Result);
        Assert.Equal(a.Snapshots[^1].TestPredDropout, b.Snapshots[^1].TestPredDropout);
        Assert.NotEqual(a.Result.Overfitting, c.Result.Overfitting);
    }

    [Fact]
    public void SnapshotsAreTakenAfterEverySnapshotEverySteps()
    {
        var run = RegressionStudy.Run(3, Small);
        Assert.Equal([10, 20, 30, 40], run.Snapshots.Select(s => s.Step));
        Assert.All(run.Snapshots, s => Assert.Equal(20, s.TestPredOverfitting.Length));
        // The last snapshot is the trained pair: its losses are the result's.
        Assert.Equal(run.Result.Overfitting, run.Snapshots[^1].LossOverfitting, 6);
        Assert.Equal(run.Result.Dropout, run.Snapshots[^1].LossDropout, 6);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheUnregularizedNetMemorizesTheNoise()
    {
        // The source's 500 steps: net_overfitting ends far below the noise level (0.3² = 0.09) on the points
        // it was trained on and several times worse on fresh points: that gap is what "overfitting" means.
        using var oneThread = TorchThreads.Limit(1);
        random.manual_seed(1);
        var (x, y) = RegressionDemo.MakeData();
        var (test_x, test_y) = RegressionDemo.MakeData();
        using var net = RegressionDemo.NetOverfitting();
        var opt = optim.Adam(net.parameters(), 0.01);
        for (int t = 0; t < 500; t++)
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.mse_loss(net.forward(x), y);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        double train = RegressionDemo.EvalLoss(net, x, y), test = RegressionDemo.EvalLoss(net, test_x, test_y);
        Assert.True(train < 0.03, $"train MSE {train}");
        Assert.True(test > 3 * train, $"train MSE {train}, test MSE {test}");
    }

    [Fact]
    public void RunUsesOneThreadAndRestoresTheCallersSetting()
    {
        int before = get_num_threads();
        RegressionStudy.Run(4, Small with { Steps = 2, SnapshotEvery = 1 });
        Assert.Equal(before, get_num_threads());
        using (var limit = TorchThreads.Limit(1))
        {
            Assert.Equal(1, get_num_threads());
            Assert.Equal(before, limit.Previous);
        }
        Assert.Equal(before, get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchThreads.Limit(0));
    }

    [Fact]
    public void ALimitHoldsForTheCallingThreadAndThreadsThatFirstUseTorchDuringIt()
    {
        int before = get_num_threads(); // this thread has now used torch, so it keeps its own count
        int inside = -1, startedDuring = -1, thisThreadDuring = -1, after = -1;
        using var limited = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            using (TorchThreads.Limit(1))
            {
                inside = get_num_threads();
                var other = new Thread(() => startedDuring = get_num_threads());
                other.Start();
                other.Join();
                limited.Set();
                release.Wait();
            }
            after = get_num_threads();
        });
        worker.Start();
        limited.Wait();
        thisThreadDuring = get_num_threads();
        release.Set();
        worker.Join();
        Assert.Equal(1, inside);
        Assert.Equal(1, startedDuring);
        Assert.Equal(before, thisThreadDuring);
        Assert.Equal(before, after);
    }

    [Fact]
    public void RunSeedsReportsEachSeedInOrder()
    {
        var seen = new List<long>();
        var results = RegressionStudy.RunSeeds([7, 8, 9], Small with { Steps = 5, SnapshotEvery = 5 }, (r, seconds) =>
        {
            seen.Add(r.Seed);
            Assert.True(seconds >= 0);
        });
        Assert.Equal([7L, 8L, 9L], results.Select(r => r.Seed));
        Assert.Equal([7L, 8L, 9L], seen);
        Assert.All(results, r => Assert.True(r.Overfitting > 0 && r.Dropout > 0 && r.L2 > 0 && r.L1 > 0));
    }

    [Fact]
    public void RunSeedsStopsWhenCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => RegressionStudy.RunSeeds([1, 2], Small, cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData("Steps")]
    [InlineData("LrOverfitting")]
    [InlineData("WeightDecay")]
    [InlineData("DropoutP")]
    [InlineData("SnapshotEvery")]
    public void BadSettingsNameTheSetting(string name)
    {
        var bad = name switch
        {
            "Steps" => Small with { Steps = 0 },
            "LrOverfitting" => Small with { LrOverfitting = -0.01 },
            "WeightDecay" => Small with { WeightDecay = double.NaN },
            "DropoutP" => Small with { DropoutP = 2 },
            _ => Small with { SnapshotEvery = 0 },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RegressionStudy.Run(1, bad));
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void SummaryCountsWinsAndUsesTheSampleStandardDeviation()
    {
        RegressionSeedResult[] results =
        [
            new(1, Overfitting: 0.2, Dropout: 0.1, L2: 0.3, L1: 0.1),
            new(2, Overfitting: 0.1, Dropout: 0.15, L2: 0.05, L1: 0.1),
            new(3, Overfitting: 0.3, Dropout: 0.2, L2: 0.4, L1: 0.25),
        ];
        var s = RegressionStudySummary.Of(results);
        Assert.Equal(3, s.Seeds);
        Assert.Equal(2, s.DropoutBetter);
        Assert.Equal(1, s.L2Better);
        Assert.Equal(2, s.L1Better); // a tie (0.1 vs 0.1) is not a win
        Assert.Equal(0.2, s.Overfitting.Mean, 12);
        Assert.Equal(0.1, s.Overfitting.Std, 12); // sqrt((0.01 + 0 + 0.01) / 2)
        Assert.Equal(0.15, s.Dropout.Mean, 12);
        Assert.Equal(0.05, s.Dropout.Std, 12);
        Assert.Equal((0.1, 0.3), (s.Overfitting.Min, s.Overfitting.Max));
        Assert.Equal(["overfitting", "dropout", "L2 (weight_decay)", "L1 (λ·Σ|w| in the loss)"], s.Rows.Select(r => r.Net));
        Assert.Equal([0, 2, 1, 2], s.Rows.Select(r => r.BeatsOverfitting));
        Assert.StartsWith("dropout beat overfitting in 2 of 3 seeds; test loss mean ± std: overfitting 0.2000 ± 0.1000, dropout 0.1500 ± 0.0500", s.ToString());
        Assert.True(results[0].DropoutBetter);
        Assert.False(results[1].DropoutBetter);
    }

    [Fact]
    public void StatsOfOneValueHaveNoSpreadAndBadInputIsRejected()
    {
        Assert.Equal(new LossStats(0.5, 0, 0.5, 0.5), LossStats.Of([0.5]));
        Assert.Equal(Math.Sqrt(5.0 / 3), LossStats.Of([1, 2, 3, 4]).Std, 12);
        Assert.Throws<ArgumentException>(() => LossStats.Of([]));
        Assert.Throws<ArgumentException>(() => LossStats.Of([0.1, double.NaN]));
        Assert.Throws<ArgumentException>(() => RegressionStudySummary.Of([]));
    }

    [Fact]
    public void SnapshotTextIsTheSourcesFourDecimals()
    {
        var s = RegressionSnapshot.Of(50, zeros(20, 1), ones(20, 1), tensor(0.25f), tensor(0.03125f));
        Assert.Equal("overfitting loss=0.2500", s.OverfittingText);
        Assert.Equal("dropout loss=0.0312", s.DropoutText);
        Assert.Equal(20, s.TestPredDropout.Length);
        Assert.All(s.TestPredDropout, v => Assert.Equal(1f, v));
        Assert.Throws<ArgumentException>(() => RegressionSnapshot.Of(1, zeros(20, 1), zeros(19, 1), tensor(0f), tensor(0f)));
        Assert.Throws<ArgumentException>(() => RegressionSnapshot.Of(1, zeros(20, 1), zeros(20, 1), zeros(2), tensor(0f)));
    }
}
