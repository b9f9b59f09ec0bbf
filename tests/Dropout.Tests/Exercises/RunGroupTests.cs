using Dropout.Exercises;
using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Tests.Exercises;

public class RunGroupTests
{
    static ExerciseRun Run(string config, long seed, params double[] testAccs)
    {
        var epochs = testAccs.Select((acc, i) => new ExerciseEpoch(new EpochMetrics(i + 1, 1.0 - 0.1 * i, acc, acc, 0.1),
            new Dictionary<string, double> { ["train acc (eval)"] = acc + 0.05 })).ToList();
        return new ExerciseRun(config, seed, epochs, TrainingDivergence.Find(epochs.Select(e => e.Metrics).ToList()), 1);
    }

    static ExerciseRun DivergedRun(string config, long seed)
    {
        var epochs = new[] { new EpochMetrics(1, 1.0, 0.5, 0.5, 0.1), new EpochMetrics(2, 3.0, 0.1, 0.1, 0.1) }
            .Select(m => new ExerciseEpoch(m, new Dictionary<string, double> { ["train acc (eval)"] = 0.1 })).ToList();
        return new ExerciseRun(config, seed, epochs, TrainingDivergence.Find(epochs.Select(e => e.Metrics).ToList()), 1);
    }

    static double TestAcc(ExerciseEpoch e) => e.Metrics.TestAcc;

    [Fact]
    public void DivergedRunsAreNamedAndKeptOutOfMeansAndCurves()
    {
        var group = new RunGroup("a", [Run("a", 0, 0.5, 0.80), Run("a", 1, 0.6, 0.82), DivergedRun("a", 2)]);
        Assert.Equal(2, group.Kept.Count);
        Assert.Equal(2, group.Final(TestAcc)!.N);
        Assert.Equal(0.81, group.Final(TestAcc)!.Mean, 12);
        Assert.Equal(0.55, group.PerEpoch(TestAcc)[0]!.Mean, 12);
        Assert.Equal("1 of 3 runs diverged, kept out of the means: seed 2 diverged: train loss 3.0000 at epoch 2, above epoch 1's 1.0000; " +
            "last epoch 2: train loss 3.0000, test acc 0.1000", group.DivergedText);
        Assert.Equal("none of 1 runs diverged", new RunGroup("b", [Run("b", 0, 0.5)]).DivergedText);
    }

    [Fact]
    public void ComparesFinalValuesByTheProjectsRuleAndGivesUpWhenEverythingDiverged()
    {
        var better = new RunGroup("dropout", [Run("dropout", 0, 0.5, 0.80), Run("dropout", 1, 0.5, 0.81), Run("dropout", 2, 0.5, 0.82)]);
        var worse = new RunGroup("none", [Run("none", 0, 0.5, 0.70), Run("none", 1, 0.5, 0.71), Run("none", 2, 0.5, 0.72)]);
        var c = better.Compare(worse, TestAcc, "test acc", higherIsBetter: true)!;
        Assert.Equal("dropout", c.Better);
        var gone = new RunGroup("gone", [DivergedRun("gone", 0)]);
        Assert.Null(better.Compare(gone, TestAcc, "test acc", true));
        Assert.Null(gone.Final(TestAcc));
        Assert.Null(gone.PerEpoch(TestAcc)[0]);
    }

    [Fact]
    public void EffectOverABaselinePairsRunsSeedBySeed()
    {
        var treated = new RunGroup("t", [Run("t", 0, 0.80), Run("t", 1, 0.90), DivergedRun("t", 2)]);
        var baseline = new RunGroup("b", [Run("b", 1, 0.85), Run("b", 0, 0.70), Run("b", 2, 0.75)]);
        var effect = treated.EffectOver(baseline, TestAcc)!;
        Assert.Equal(2, effect.N); // seed 2 diverged in t
        Assert.Equal([0.05, 0.10], effect.Values.Order().Select(v => Math.Round(v, 12)));
        Assert.Null(new RunGroup("x", [Run("x", 9, 0.5)]).EffectOver(baseline, TestAcc));
    }

    [Fact]
    public void RefusesAnEmptyGroupOrAForeignRun()
    {
        Assert.Throws<ArgumentException>(() => new RunGroup("a", []));
        var e = Assert.Throws<ArgumentException>(() => new RunGroup("a", [Run("b", 0, 0.5)]));
        Assert.Contains("a run of 'b' is not a run of 'a'", e.Message);
    }

    [Fact]
    public void ARunSaysItsFinalNumbersOrItsDivergence()
    {
        Assert.Equal("a, seed 0: train loss 0.9000, test acc 0.8000 (1.0 s)", Run("a", 0, 0.5, 0.8).ToString());
        Assert.Equal("a, seed 2: DIVERGED — diverged: train loss 3.0000 at epoch 2, above epoch 1's 1.0000; last epoch 2: " +
            "train loss 3.0000, test acc 0.1000 (1.0 s)", DivergedRun("a", 2).ToString());
        Assert.Null(Run("a", 0, 0.5).DivergenceText);
        // A loss that became NaN in its first epoch leaves no finished epoch to show
        var nan = new ExerciseRun("a", 3, [], new TrainingDivergence(1, double.NaN, double.NaN), 1);
        Assert.Equal("diverged at epoch 1: train loss NaN", nan.DivergenceText);
    }
}

public class ComparisonWordingTests
{
    [Fact]
    public void SaysTheComparisonWithoutAValueJudgement()
    {
        var c = Comparison.Of("dropout", Sample.Of([0.30, 0.31, 0.32]), "none", Sample.Of([0.10, 0.11, 0.12]), "layer-1 variance", higherIsBetter: true, paired: false);
        Assert.Equal(c.ToString(), ComparisonWording.HigherOrLower(c));
        Assert.DoesNotContain("better", ComparisonWording.HigherOrLower(c));
    }
}
