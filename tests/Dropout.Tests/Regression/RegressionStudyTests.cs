using Dropout.Native;
using Dropout.Platform;
using Dropout.Regression;
using Dropout.Training;
using Dropout.Statistics;
using static TorchSharp.torch;

namespace Dropout.Tests.Regression;

/// <summary>The multi-seed study: reproducible runs, every variant from the same start, divergence named, honest statistics.</summary>
[Collection(SerialCollection.Name)] // seeds torch's global generator and sets its thread count
public class RegressionStudyTests
{
    public RegressionStudyTests() => TorchNative.Ensure();

    static readonly RegressionSettings Small = new(Steps: 40, NHidden: 32, LargeTestSize: 50, RecordEvery: 10);

    static readonly RegressionVariant Plain = new("no dropout", Dropout: false, Lr: 0.01);
    static readonly RegressionVariant Dropped = new("dropout", Dropout: true, Lr: 0.01);
    static readonly RegressionVariant L1 = new("L1", Dropout: false, Lr: 0.01, Optimizer: RegressionOptimizer.Sgd, L1Lambda: 0.01);
    static readonly RegressionVariant SgdPlain = new("SGD", Dropout: false, Lr: 0.01, Optimizer: RegressionOptimizer.Sgd);

    [Fact]
    public void TheSameSeedGivesTheSameRunsAndAnotherSeedOthers()
    {
        var a = RegressionStudy.Run(1, [Plain, Dropped], Small);
        var b = RegressionStudy.Run(1, [Plain, Dropped], Small);
        var c = RegressionStudy.Run(2, [Plain, Dropped], Small);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0].LargeTestLoss, c[0].LargeTestLoss);
        Assert.All(a, r => Assert.Equal(1, r.Seed));
        Assert.Equal(["no dropout", "dropout"], a.Select(r => r.Variant.Name));
    }

    [Fact]
    public void ADeterministicVariantGivesTheSameNumbersWhateverRanBeforeIt()
    {
        // Every variant starts from the same weights on the same data: a deterministic variant (no dropout) gives
        // the same numbers whether or not other deterministic variants ran before it.
        var alone = RegressionStudy.Run(3, [Plain], Small);
        var after = RegressionStudy.Run(3, [SgdPlain, Plain], Small);
        Assert.Equal(alone[0] with { Variant = Plain }, after[1]);
    }

    [Fact]
    public void L1WithSgdLeavesMoreWeightsNearZeroThanPlainSgd()
    {
        var runs = RegressionStudy.Run(4, [SgdPlain, L1], Small with { Steps = 200, SmallWeight = 1e-3 });
        Assert.True(runs[1].SmallWeightFraction > 2 * runs[0].SmallWeightFraction,
            $"L1 {runs[1].SmallWeightFraction}, none {runs[0].SmallWeightFraction}");
        Assert.All(runs, r => Assert.False(r.Diverged));
    }

    [Fact]
    public void ARunThatBlowsUpIsMarkedNotStopped()
    {
        var reckless = new RegressionVariant("Adam lr 100", Dropout: false, Lr: 100);
        var runs = RegressionStudy.Run(5, [reckless, Plain], Small);
        Assert.True(runs[0].Diverged, $"train MSE {runs[0].TrainLoss}");
        Assert.Equal("step", runs[0].Divergence!.Unit);
        Assert.False(runs[1].Diverged);
    }

    [Fact]
    public void DivergenceIsANonFiniteLossOrALastLossAboveTheFirst()
    {
        Assert.Null(Divergence.Find([], "step"));
        Assert.Null(Divergence.Find([(1, 0.4), (50, 0.1), (100, 0.4)], "step"));  // equal to the first: not above
        Assert.Equal(new Divergence(150, double.NaN, 0.4, "step"), Divergence.Find([(1, 0.4), (50, 0.1), (100, 0.5), (150, double.NaN)], "step"));
        Assert.Null(Divergence.Find([(1, 0.4), (50, 0.9), (100, 0.3)], "step"));  // a rise that comes back down: judged on the whole run
        Assert.Equal(100, Divergence.Find([(1, 0.4), (50, 0.1), (100, 0.5)], "step")!.At);  // ended above where it started
        Assert.Equal(150, Divergence.Find([(1, 0.4), (50, 0.1), (150, double.PositiveInfinity)], "step")!.At);
        Assert.Equal(1, Divergence.Find([(1, double.NaN), (50, 0.1)], "step")!.At);
        Assert.Equal("diverged: train loss 0.5000 at step 100, above step 1's 0.4000", new Divergence(100, 0.5, 0.4, "step").ToString());
        Assert.Equal("diverged: train loss 3.1E+05 at step 150, above step 1's 0.4213", new Divergence(150, 3.1e5, 0.4213, "step").ToString());
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
        RegressionStudy.Run(4, [Plain], Small with { Steps = 2 });
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
    public void RunSeedsTrainsTheSeedsSideBySideAndGivesWhatEachSeedGivesAlone()
    {
        var lines = new List<string>();
        var results = RegressionStudy.RunSeeds([7, 8, 9], [Plain, Dropped], Small with { Steps = 5 }, workers: 2, progress: lines.Add);
        Assert.Equal([7L, 7L, 8L, 8L, 9L, 9L], results.Select(r => r.Seed));
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^\d/3 seed [789]: 2 runs", l));
        Assert.All(results, r => Assert.True(r.TestLoss > 0 && r.LargeTestLoss > 0 && r.TrainLoss > 0));
        // each seed owns its random numbers: the dropout runs, too, give what the seed gives alone
        Assert.Equal(RegressionStudy.Run(8, [Plain, Dropped], Small with { Steps = 5 }), results.Where(r => r.Seed == 8));
    }

    [Fact]
    public void ASeedGivesTheNumbersManualSeedGivesTheSourcesCode()
    {
        // The study's seed 1 draws the data and net_overfitting's starting weights as the notebook's cells do after manual_seed(1)
        random.manual_seed(1);
        var (x, y) = RegressionDemo.MakeData();
        var (_, testY) = RegressionDemo.MakeData();
        using var net = RegressionDemo.NetOverfitting(32);
        using var generator = new Generator(1);
        var (x2, y2) = RegressionDemo.MakeData(generator: generator);
        var (_, testY2) = RegressionDemo.MakeData(generator: generator);
        using var net2 = RegressionDemo.NetOverfitting(32, generator: generator);
        Assert.True(TensorAssert.Same(y, y2) && TensorAssert.Same(testY, testY2));
        foreach (var (a, b) in net.parameters().Zip(net2.parameters()))
            Assert.True(a.allclose(b, rtol: 0, atol: 1e-7), "the starting weights differ");
    }

    [Fact]
    public void NoiseInputsAreColumnsYDoesNotDependOnAndTheirSensitivityIsMeasured()
    {
        using var generator = new Generator(3);
        var (x, y) = RegressionDemo.MakeData(500, noiseInputs: 3, generator: generator);
        Assert.Equal([500L, 4L], x.shape);
        Assert.True(TensorAssert.Same(x[.., 0].unsqueeze(1), unsqueeze(linspace(-1, 1, 500), 1)));
        Assert.InRange(x[.., 1..].min().item<float>(), -1, -0.9);
        Assert.InRange(x[.., 1..].max().item<float>(), 0.9, 1);
        var redrawn = RegressionDemo.RedrawNoiseInputs(x, generator);
        Assert.True(TensorAssert.Same(redrawn[.., 0], x[.., 0]));
        Assert.False(TensorAssert.Same(redrawn[.., 1..], x[.., 1..]));

        var noisy = RegressionStudy.Run(2, [Plain], Small with { NoiseInputs = 3 });
        Assert.True(noisy[0].NoiseSensitivity > 0, $"{noisy[0].NoiseSensitivity}");
        Assert.True(double.IsNaN(RegressionStudy.Run(2, [Plain], Small)[0].NoiseSensitivity));
    }

    [Fact]
    public void RunSeedsStopsWhenCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => RegressionStudy.RunSeeds([1, 2], [Plain], Small, cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData("Steps")]
    [InlineData("LargeTestSize")]
    [InlineData("SmallWeight")]
    [InlineData("DropoutP")]
    [InlineData("RecordEvery")]
    [InlineData("Lr")]
    [InlineData("WeightDecay")]
    [InlineData("L1Lambda")]
    public void BadSettingsAndVariantsNameTheField(string name)
    {
        var (settings, variant) = name switch
        {
            "Steps" => (Small with { Steps = 0 }, Plain),
            "LargeTestSize" => (Small with { LargeTestSize = 1 }, Plain),
            "SmallWeight" => (Small with { SmallWeight = 0 }, Plain),
            "DropoutP" => (Small with { DropoutP = 2 }, Plain),
            "RecordEvery" => (Small with { RecordEvery = 0 }, Plain),
            "Lr" => (Small, Plain with { Lr = -0.01 }),
            "WeightDecay" => (Small, Plain with { WeightDecay = double.NaN }),
            _ => (Small, Plain with { L1Lambda = -1 }),
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RegressionStudy.Run(1, [variant], settings));
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void VariantsNeedDistinctNames()
    {
        Assert.Throws<ArgumentException>(() => RegressionStudy.Run(1, [], Small));
        var e = Assert.Throws<ArgumentException>(() => RegressionStudy.Run(1, [Plain, Plain with { Lr = 0.001 }], Small));
        Assert.Contains("no dropout", e.Message);
    }

    static RegressionRunResult R(long seed, RegressionVariant v, double large, bool diverged = false, double sparse = 0.01) =>
        new(seed, v, 0.01, large + 0.01, large, sparse, diverged ? new Divergence(50, 9, 0.4, "step") : null);

    [Fact]
    public void BySettingGivesEachVariantsRunsOverTheSeedsWithTheDivergedNamed()
    {
        RegressionRunResult[] results =
        [
            R(1, Plain, 0.20), R(1, Dropped, 0.10),
            R(2, Plain, 0.10), R(2, Dropped, 0.15),
            R(3, Plain, 0.30), R(3, Dropped, 9.00, diverged: true),
        ];
        var study = RegressionStudy.BySetting(results);
        Assert.Equal(["no dropout", "dropout"], study.Keys);
        var dropped = study["dropout"];
        Assert.Equal([1, 2, 3], dropped.Runs.Select(r => r.Seed));
        Assert.Equal("seed 3 diverged: train loss 9.0000 at step 50, above step 1's 0.4000", dropped.DivergedText);
        Assert.Equal([0.1, 0.15], dropped.Of(r => r.LargeTestLoss)!.Values);   // seed 3 kept out of the mean

        // Paired over the seeds both kept (1 and 2): the same data and starting weights on both sides
        var c = dropped.Compare(study["no dropout"], "large", r => r.LargeTestLoss, higherIsBetter: false)!;
        Assert.True(c.Paired);
        Assert.Equal(2, c.A.N);
        Assert.Equal((0.10 - 0.20 + 0.15 - 0.10) / 2, c.Difference, 12);
        // and with the diverged run included, beside it
        var claims = dropped.Claims(study["no dropout"], "dropout lowers the test loss", "large", r => r.LargeTestLoss, false, ClaimKind.FirstBetter);
        Assert.Equal(2, claims.Count);
        Assert.Equal("dropout lowers the test loss (diverged runs included)", claims[1].Says);
        Assert.Equal(3, claims[1].Evidence.A.N);
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
