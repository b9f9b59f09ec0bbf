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

public class StudentTTests
{
    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(3, 3.1824)]
    [InlineData(4, 2.7764)]
    [InlineData(9, 2.2622)]
    [InlineData(1000, 1.9623)]
    public void TwoSidedCriticalValuesMatchTheTables(double df, double expected) =>
        Assert.Equal(expected, StudentT.Critical(df), 3);

    [Fact]
    public void NonIntegerDegreesOfFreedomLieBetweenTheirNeighboursAndBadArgumentsAreRefused()
    {
        double t = StudentT.Critical(2.5);
        Assert.InRange(t, StudentT.Critical(3), StudentT.Critical(2));
        Assert.Equal(1.8856, StudentT.Critical(2, 0.8), 3); // 80 % two-sided: the one-sided 90 % point
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Critical(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Critical(3, 1));
    }
}

public class ComparisonTests
{
    static Sample S(params double[] v) => Sample.Of(v);

    [Fact]
    public void PairedIsTheTIntervalOfThePerSeedDifferences()
    {
        // Per-seed differences 0.022, 0.020, 0.018: mean 0.02, s 0.002, SE 0.002/√3, t(2) = 4.3027.
        var c = Comparison.Of("A", S(0.852, 0.85, 0.848), "B", S(0.83, 0.83, 0.83), "test acc", higherIsBetter: true, paired: true);
        double half = 4.302653 * 0.002 / Math.Sqrt(3);
        Assert.Equal(0.02, c.Difference, 12);
        Assert.Equal(2, c.DegreesOfFreedom);
        Assert.Equal(0.02 - half, c.Low, 5);
        Assert.Equal(0.02 + half, c.High, 5);
        Assert.Equal("A", c.Better);
        Assert.Equal("paired t", c.Test);
        Assert.StartsWith("+0.0200 [", c.IntervalText());
        Assert.EndsWith($", +{(0.02 + half).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}]", c.IntervalText());
    }

    [Fact]
    public void WelchUsesBothSpreadsAndTheWelchSatterthwaiteDegreesOfFreedom()
    {
        var a = S(1.0, 1.2, 1.1, 0.9);
        var b = S(0.5, 0.9, 0.1);
        var c = Comparison.Of("A", a, "B", b, "x", higherIsBetter: true, paired: false);
        double va = 0.0166667 / 4, vb = 0.16 / 3;
        Assert.Equal(Math.Sqrt(va + vb), c.StdError, 5);
        Assert.Equal((va + vb) * (va + vb) / (va * va / 3 + vb * vb / 2), c.DegreesOfFreedom, 3);
        Assert.False(c.Paired);
        Assert.Equal("4 vs 3", c.Seeds);
        Assert.Null(c.Better); // 0.6 ± t(2.3)·0.24: the interval reaches below 0
    }

    [Fact]
    public void OneSeedGivesNoIntervalAndPairedSamplesMustMatch()
    {
        var c = Comparison.Of("A", S(0.8), "B", S(0.7), "acc", true, paired: true);
        Assert.False(c.CanEstimate);
        Assert.Null(c.Better);
        Assert.Contains("one seed", c.IntervalText());
        Assert.Throws<ArgumentException>(() => Comparison.Of("A", S(1, 2), "B", S(1, 2, 3), "x", true, paired: true));
    }

    [Fact]
    public void AgainstAValueIsTheOneSampleInterval()
    {
        var c = Comparison.WithValue("A", S(0.34, 0.36, 0.35), "0.35", 0.35, "loss", higherIsBetter: false);
        Assert.Equal(0, c.Difference, 12);
        Assert.Equal(Sample.Of([0.34, 0.36, 0.35]).MeanInterval.Low - 0.35, c.Low, 12);
    }
}

public class ClaimTests
{
    static Comparison C(double[] a, double[] b, bool higherIsBetter = true) =>
        Comparison.Of("A", Sample.Of(a), "B", Sample.Of(b), "m", higherIsBetter, paired: true);

    [Fact]
    public void ADifferenceIsSupportedOnItsSideContradictedOnTheOtherAndOtherwiseNotSettled()
    {
        var aHigher = C([0.90, 0.91, 0.92], [0.80, 0.80, 0.81]);
        Assert.Equal(Verdict.Supported, new Claim("A better", aHigher, ClaimKind.FirstBetter).Verdict);
        Assert.Equal(Verdict.Contradicted, new Claim("A worse", aHigher, ClaimKind.FirstWorse).Verdict);
        // For a loss, higher is worse: the same numbers support "A worse".
        var lossHigher = C([0.90, 0.91, 0.92], [0.80, 0.80, 0.81], higherIsBetter: false);
        Assert.Equal(Verdict.Supported, new Claim("A worse", lossHigher, ClaimKind.FirstWorse).Verdict);
        var noisy = C([0.90, 0.70, 0.85], [0.80, 0.82, 0.79]);
        var open = new Claim("A better", noisy, ClaimKind.FirstBetter);
        Assert.Equal(Verdict.NotSettled, open.Verdict);
        Assert.Equal("not settled", open.VerdictText);
        Assert.True(open.SeedsToSettle > 3);
    }

    [Fact]
    public void ASimilarityIsSupportedInsideTheMarginAndContradictedWhollyOutside()
    {
        var close = C([0.850, 0.852, 0.849], [0.851, 0.850, 0.850]);
        Assert.Equal(Verdict.Supported, new Claim("same", close, ClaimKind.Similar, 0.01).Verdict);
        var far = C([0.90, 0.91, 0.92], [0.80, 0.80, 0.81]);
        Assert.Equal(Verdict.Contradicted, new Claim("same", far, ClaimKind.Similar, 0.01).Verdict);
        var wide = C([0.86, 0.84, 0.85], [0.85, 0.86, 0.84]);
        var claim = new Claim("same", wide, ClaimKind.Similar, 0.01);
        Assert.Equal(Verdict.NotSettled, claim.Verdict);
        Assert.True(claim.SeedsToSettle > 3);
        // A difference already beyond the margin cannot be shown similar by more seeds.
        var beyond = C([0.87, 0.84, 0.88], [0.85, 0.85, 0.85]);
        Assert.Equal(Verdict.NotSettled, new Claim("same", beyond, ClaimKind.Similar, 0.01).Verdict);
        Assert.Null(new Claim("same", beyond, ClaimKind.Similar, 0.01).SeedsToSettle);
    }

    [Fact]
    public void MoreSeedsAreNeededForSmallerDifferencesAndFewerForLargerOnes()
    {
        var c = C([0.86, 0.84, 0.85], [0.85, 0.84, 0.84]);
        Assert.True(c.SeedsForHalfWidth(0.001) > c.SeedsForHalfWidth(0.01));
        Assert.Null(c.SeedsForHalfWidth(0));
        var row = new Claim("A better", c, ClaimKind.FirstBetter).Row;
        Assert.Equal(Math.Round(c.Low, 4), row.Low95);
        Assert.Equal("paired t, 3 seeds", row.Test);
        Assert.Equal("A − B", row.Compared);
    }

    [Fact]
    public void WhatAClaimSaysOfTheDifferenceIsItsSign()
    {
        var acc = C([0.86, 0.84, 0.85], [0.85, 0.84, 0.84]);
        var loss = C([0.86, 0.84, 0.85], [0.85, 0.84, 0.84], higherIsBetter: false);
        Assert.Equal("> 0", new Claim("A better", acc, ClaimKind.FirstBetter).Claimed);
        Assert.Equal("< 0", new Claim("A worse", acc, ClaimKind.FirstWorse).Claimed);
        Assert.Equal("< 0", new Claim("A better", loss, ClaimKind.FirstBetter).Claimed);
        Assert.Equal("> 0", new Claim("A worse", loss, ClaimKind.FirstWorse).Claimed);
        Assert.Equal("within ±0.0050", new Claim("same", acc, ClaimKind.Similar, 0.005).Claimed);
    }

    [Fact]
    public void ATinyDifferenceIsShownWithTheDecimalsItsIntervalNeeds()
    {
        // 0.00004 ± 0.00001: four decimals would print "0.0000 [0.0000, 0.0001]" for a supported claim
        var tiny = new Claim("A beats B", C([0.800040, 0.800045, 0.800035], [0.8, 0.8, 0.8]), ClaimKind.FirstBetter);
        Assert.Equal(Verdict.Supported, tiny.Verdict);
        Assert.True(tiny.Decimals > 4);
        Assert.True(tiny.Row.Low95 > 0 && tiny.Row.Difference == Math.Round(tiny.Evidence.Difference, tiny.Decimals));
        Assert.StartsWith("+0.000040 [+0.0000", tiny.Answer);
        Assert.Equal(4, new Claim("A beats B", C([0.90, 0.91, 0.92], [0.80, 0.80, 0.81]), ClaimKind.FirstBetter).Decimals);
    }

    [Fact]
    public void AnAnswerLeadsWithTheNumberAndEndsWithTheVerdict()
    {
        var settled = new Claim("A beats B", C([0.90, 0.91, 0.92], [0.80, 0.80, 0.81]), ClaimKind.FirstBetter);
        Assert.Equal($"{settled.Evidence.IntervalText()} m (A − B): A beats B — supported.", settled.Answer);
        var open = new Claim("A beats B", C([0.90, 0.70, 0.85], [0.80, 0.82, 0.79]), ClaimKind.FirstBetter);
        Assert.StartsWith(open.Evidence.IntervalText(), open.Answer);
        Assert.EndsWith($"A beats B — not settled; {open.SeedsToSettle} seeds per side would settle it.", open.Answer);
    }
}

public class CorrelationTests
{
    [Fact]
    public void PearsonWithAFisherInterval()
    {
        double[] x = [1, 2, 3, 4, 5, 6], y = [2.1, 3.9, 6.2, 8.1, 9.8, 12.2];
        var (r, low, high, n) = Correlation.PearsonWithInterval(x, y);
        Assert.Equal(Correlation.Pearson(x, y), r);
        Assert.Equal(6, n);
        Assert.InRange(r, low, high);
        Assert.True(high <= 1 && low > 0.8);
        Assert.True(double.IsNaN(Correlation.PearsonWithInterval([1, 2, 3], [1, 3, 2]).Low));
    }
}

public class SeedRunsTests
{
    static SeedRuns<double> Runs(string name, params (int Seed, double Value, string? Divergence)[] runs) =>
        new(name, runs.Select(r => new SeedRun<double>(r.Seed, r.Value, r.Divergence)).ToList());

    [Fact]
    public void DivergedRunsAreNamedAndKeptOutUnlessAskedFor()
    {
        var a = Runs("A", (0, 1.0, null), (1, 2.0, "diverged"), (2, 3.0, null));
        Assert.Equal(2, a.Kept.Count);
        Assert.Equal("seed 1 diverged", a.DivergedText);
        Assert.Equal(2.0, a.Of(v => v)!.Mean);
        Assert.Equal(3, a.Of(v => v, includeDiverged: true)!.N);
    }

    [Fact]
    public void ComparisonsArePairedOverTheSeedsBothKeptAndWelchWhenFewerThanTwoAreShared()
    {
        var a = Runs("A", (0, 1.0, null), (1, 2.0, "diverged"), (2, 3.0, null), (3, 4.0, null));
        var b = Runs("B", (0, 0.5, null), (1, 1.5, null), (2, 2.5, null), (3, 3.4, null));
        var c = a.Compare(b, "v", v => v, higherIsBetter: true)!;
        Assert.True(c.Paired);
        Assert.Equal(3, c.A.N); // seeds 0, 2, 3
        Assert.Equal((0.5 + 0.5 + 0.6) / 3, c.Difference, 12);
        var d = Runs("D", (7, 1.0, null), (8, 2.0, null));
        Assert.False(a.Compare(d, "v", v => v, true)!.Paired);
        Assert.Null(Runs("E", (0, 1, "diverged")).Compare(b, "v", v => v, true));
    }

    [Fact]
    public void AClaimIsJudgedWithoutTheDivergedRunsAndBesideItWithThem()
    {
        var a = Runs("A", (0, 0.90, null), (1, 0.10, "diverged"), (2, 0.91, null), (3, 0.92, null));
        var b = Runs("B", (0, 0.80, null), (1, 0.80, null), (2, 0.80, null), (3, 0.81, null));
        var claims = a.Claims(b, "A beats B", "acc", v => v, higherIsBetter: true, ClaimKind.FirstBetter);
        Assert.Equal(2, claims.Count);
        Assert.Equal(Verdict.Supported, claims[0].Verdict);                 // seeds 0, 2, 3
        Assert.Equal("A beats B (diverged runs included)", claims[1].Says);
        Assert.Equal(4, claims[1].Evidence.A.N);
        Assert.Equal(Verdict.NotSettled, claims[1].Verdict);                // the one run flips it: both are shown
        Assert.Single(b.Claims(b, "same", "acc", v => v, true, ClaimKind.Similar, 0.01));   // nothing diverged: one claim
        // A diverged run without a value (its loss became NaN) adds nothing to include: one claim
        var nan = Runs("A", (0, 0.90, null), (1, double.NaN, "diverged at epoch 2: train loss NaN"), (2, 0.91, null), (3, 0.92, null));
        Assert.Single(nan.Claims(b, "A beats B", "acc", v => v, true, ClaimKind.FirstBetter));
        // Every run of a side diverged: no claim on the kept runs, only the one with the diverged runs beside
        var onlyIncluded = Runs("E", (0, 1, "diverged")).Claims(Runs("F", (1, 1, null)), "x", "acc", v => v, true, ClaimKind.FirstBetter);
        Assert.Equal("x (diverged runs included)", Assert.Single(onlyIncluded).Says);
    }

    [Fact]
    public void ARunWithoutAFiniteValueIsLeftOutEvenWhenDivergedRunsAreIncluded()
    {
        // A loss that became NaN gives no number to average: comparing "with the diverged runs" must not throw on it
        var a = Runs("A", (0, 0.90, null), (1, double.NaN, "diverged at epoch 2: train loss NaN"), (2, 0.91, null), (3, 0.93, null));
        var b = Runs("B", (0, 0.80, null), (1, 0.80, null), (2, 0.82, null), (3, 0.81, null));
        var c = a.Compare(b, "acc", v => v, higherIsBetter: true, includeDiverged: true)!;
        Assert.Equal(3, c.A.N);
        Assert.True(double.IsFinite(c.Difference));
    }
}

public class DivergenceTests
{
    static EpochMetrics E(int epoch, double loss) => new(epoch, loss, 0.5, 0.5, 1);

    [Fact]
    public void ARunDivergedWhenItsLossWentNonFiniteOrEndedAboveWhereItStarted()
    {
        Assert.Null(Divergence.Find([E(1, 1.0), E(2, 0.6), E(3, 0.5), E(4, 0.55)]));
        // A rise above the first epoch's loss that comes back down is judged on the whole run: not divergence.
        Assert.Null(Divergence.Find([E(1, 1.0), E(2, 0.6), E(3, 1.8161), E(4, 0.5)]));
        var ended = Divergence.Find([E(1, 1.0), E(2, 0.6), E(3, 1.8161), E(4, 1.2)]);
        Assert.Equal(new Divergence(4, 1.2, 1.0), ended);
        Assert.Equal("diverged: train loss 1.2000 at epoch 4, above epoch 1's 1.0000", ended!.ToString());
        Assert.Equal(2, Divergence.Find([E(1, 1.0), E(2, double.NaN), E(3, 0.5)])!.At);
        Assert.Equal("diverged at epoch 2: train loss NaN", Divergence.Find([E(1, 1.0), E(2, double.NaN)])!.ToString());
        Assert.Null(Divergence.Find([]));
    }
}
