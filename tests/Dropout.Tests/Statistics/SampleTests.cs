using Dropout.Statistics;
using Dropout.Training;

namespace Dropout.Tests.Statistics;

public class SampleTests
{
    [Fact]
    public void MeanStdStdErrorMedianAndRangeOfSeeds()
    {
        var s = Sample.Of([0.80, 0.84, 0.82, 0.90]);
        Assert.Equal(4, s.N);
        Assert.Equal(0.84, s.Mean, 12);
        Assert.Equal(Math.Sqrt((0.0016 + 0 + 0.0004 + 0.0036) / 3), s.Std!.Value, 12);
        Assert.Equal(s.Std!.Value / 2, s.StdError!.Value, 12);
        Assert.Equal(0.83, s.Median, 12);
        Assert.Equal(0.80, s.Min);
        Assert.Equal(0.90, s.Max);
        Assert.Equal(0.82, Sample.Of([0.9, 0.82, 0.1]).Median);
        Assert.Equal(1.0, Sample.Of([1.0, 0.9, 1.1, 1.0, 50.0]).Median); // one slow timing does not move it
        Assert.Equal("0.8400 ± 0.0432", s.ToString());
        Assert.Equal("[0.80, 0.84, 0.82, 0.90]", s.ValuesText("0.00"));
    }

    [Fact]
    public void OneValueHasNoSpreadAndEmptyOrNonFiniteSamplesAreRefused()
    {
        var one = Sample.Of([0.5]);
        Assert.Null(one.Std);
        Assert.Null(one.StdError);
        Assert.Equal("0.5000 ± n/a", one.ToString());
        Assert.Throws<ArgumentException>(() => Sample.Of([]));
        var nan = Assert.Throws<ArgumentException>(() => Sample.Of([0.3, double.NaN]));
        Assert.Contains("value 2 of the sample is NaN", nan.Message);
    }
}

public class ComparisonTests
{
    [Fact]
    public void AClearDifferenceNamesTheBetterRunWithTheNumbersItWasJudgedOn()
    {
        var c = new Comparison("(0.2, 0.5)", Sample.Of([0.85, 0.86, 0.84]), "(0.8, 0.5)", Sample.Of([0.80, 0.81, 0.79]), "test acc", HigherIsBetter: true);
        Assert.Equal(0.05, c.Difference, 12);
        Assert.Equal(Math.Sqrt(0.0001 / 3 + 0.0001 / 3), c.StdError!.Value, 12);
        Assert.Equal(Verdict.FirstBetter, c.Verdict);
        Assert.Equal("(0.2, 0.5)", c.ClearlyBetter);
        Assert.Equal("(0.2, 0.5) better on test acc: (0.2, 0.5) 0.8500 vs (0.8, 0.5) 0.8000, by 0.0500 > 2·SE 0.0163 (3 vs 3 seeds)", c.ToString());
    }

    [Fact]
    public void ForALossLowerIsBetter()
    {
        var c = new Comparison("a", Sample.Of([0.30, 0.31, 0.29]), "b", Sample.Of([0.40, 0.41, 0.39]), "train loss", HigherIsBetter: false);
        Assert.Equal(Verdict.FirstBetter, c.Verdict);
        Assert.Equal(Verdict.SecondBetter, (c with { HigherIsBetter = true }).Verdict);
    }

    [Fact]
    public void ADifferenceWithinTwoStandardErrorsIsNoClearDifferenceAndOneSeedCannotBeJudged()
    {
        var close = new Comparison("a", Sample.Of([0.85, 0.80, 0.90]), "b", Sample.Of([0.84, 0.86, 0.82]), "test acc", true);
        Assert.Equal(Verdict.NoClearDifference, close.Verdict);
        Assert.Null(close.ClearlyBetter);
        Assert.StartsWith("no clear difference on test acc: a 0.8500 vs b 0.8400, 0.0100 ≤ 2·SE", close.ToString());
        var single = new Comparison("a", Sample.Of([0.9]), "b", Sample.Of([0.1, 0.2]), "test acc", true);
        Assert.Equal(Verdict.CannotJudge, single.Verdict);
        Assert.StartsWith("cannot judge on test acc with one seed", single.ToString());
    }
}

public class TrainingDivergenceTests
{
    static EpochMetrics E(int epoch, double loss) => new(epoch, loss, 0.8, 0.8, 1);

    [Fact]
    public void ALossAboveTheFirstEpochsOrNotFiniteIsADivergenceAtItsEpoch()
    {
        Assert.Null(TrainingDivergence.Find([E(1, 1.0), E(2, 0.6), E(3, 0.5), E(4, 0.55)])); // a wobble below the start is not
        var spike = TrainingDivergence.Find([E(1, 1.0), E(2, 0.6), E(3, 1.8161), E(4, 0.5)]);
        Assert.Equal(new TrainingDivergence(3, 1.8161, 1.0), spike);
        Assert.Equal("diverged at epoch 3: train loss 1.8161 is above epoch 1's 1.0000", spike!.ToString());
        Assert.Equal(2, TrainingDivergence.Find([E(1, 1.0), E(2, double.NaN)])!.Epoch);
        Assert.Equal("diverged at epoch 2: train loss NaN", TrainingDivergence.Find([E(1, 1.0), E(2, double.NaN)])!.ToString());
        Assert.Null(TrainingDivergence.Find([]));
    }
}
