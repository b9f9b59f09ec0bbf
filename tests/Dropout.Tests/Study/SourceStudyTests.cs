using Dropout.Study;
using static Dropout.Study.SourceClaim;

namespace Dropout.Tests.Study;

public class SourceStudyTests
{
    /// <summary>A run of three epochs: losses 1.0, mid, final; accuracies from the loss; test acc curve given or rising.</summary>
    static IEnumerable<StudyRow> Run(DropoutPair pair, long seed, double final, double[]? testAcc = null, double mid = double.NaN)
    {
        double[] losses = [1.0, double.IsNaN(mid) ? (1.0 + final) / 2 : mid, final];
        testAcc ??= [0.70, 0.80, 1 - final / 2];
        return losses.Select((l, i) => new StudyRow("concise", pair.P1, pair.P2, seed, i + 1, l, 1 - l / 2, testAcc[i], 1));
    }

    static IEnumerable<StudyRow> Pair(DropoutPair pair, params double[] finals) => finals.SelectMany((f, s) => Run(pair, s, f));

    static StudySummary Study(params IEnumerable<StudyRow>[] pairs) => StudySummary.FromRows(pairs.SelectMany(p => p));

    static readonly DropoutPair A = new(0.2, 0.5), B = new(0.5, 0.2);

    [Fact]
    public void TheElevenRunsAreTheSourcesPairsInItsOrderWithTheirNumbers()
    {
        Assert.Equal(StudyPlan.SourcePairs, SourceStudy.Runs.Select(r => r.Pair));
        Assert.Equal(Enumerable.Range(1, 11), SourceStudy.Runs.Select(r => r.Number));
        Assert.Equal([1, 2, 3], SourceStudy.Conclusions.Select(c => c.Number));
        Assert.StartsWith("Neither layer's dropout probability may be too high", SourceStudy.Conclusions[0].Says);
        Assert.StartsWith("This model suits low dropout probabilities", SourceStudy.Conclusions[1].Says);
        Assert.StartsWith("Swapping the two layers' probabilities, or making them equal", SourceStudy.Conclusions[2].Says);
    }

    [Fact]
    public void AboutAValueHoldsWithinTheToleranceOfTheMean()
    {
        var s = Study(Pair(A, 0.36, 0.37, 0.35));
        Assert.Equal(ClaimVerdict.Holds, new FinalLossAbout(0.35).Check(s, A).Verdict);
        var off = new FinalLossAbout(0.30).Check(s, A);
        Assert.Equal(ClaimVerdict.DoesNotHold, off.Verdict);
        Assert.Contains("0.060 from 0.30 (beyond ±0.03)", off.Evidence);
        Assert.Equal(ClaimVerdict.Holds, new FinalLossBeyond(0.5, Below: true).Check(s, A).Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, new FinalLossBeyond(0.5, Below: false).Check(s, A).Verdict);
    }

    [Fact]
    public void ComparisonsFollowTheRuleOnEveryMetricTheyName()
    {
        var s = Study(Pair(A, 0.35, 0.36, 0.34), Pair(B, 0.45, 0.46, 0.44));
        Assert.Equal(ClaimVerdict.DoesNotHold, new ComparedWith(A, ClaimDirection.Better).Check(s, B).Verdict);
        Assert.Equal(ClaimVerdict.Holds, new ComparedWith(A, ClaimDirection.Worse).Check(s, B).Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, new ComparedWith(A, ClaimDirection.Similar).Check(s, B).Verdict);
        var close = Study(Pair(A, 0.35, 0.40, 0.30), Pair(B, 0.36, 0.41, 0.31));
        var similar = new ComparedWith(A, ClaimDirection.Similar, StudyMetric.TrainLoss, StudyMetric.TestAcc).Check(close, B);
        Assert.Equal(ClaimVerdict.Holds, similar.Verdict);
        Assert.Contains("no clear difference on train loss", similar.Evidence);
        Assert.Contains("no clear difference on test acc", similar.Evidence);
        var oneSeed = Study(Pair(A, 0.35), Pair(B, 0.45));
        Assert.Equal(ClaimVerdict.CannotJudge, new ComparedWith(A, ClaimDirection.Worse).Check(oneSeed, B).Verdict);
    }

    [Fact]
    public void FallingFasterIsALowerLossAveragedOverTheEpochs()
    {
        // Same final loss, but B's middle epoch stays high: B falls more slowly.
        var s = Study(
            [.. Run(A, 0, 0.40, mid: 0.50), .. Run(A, 1, 0.40, mid: 0.51), .. Run(A, 2, 0.40, mid: 0.49)],
            [.. Run(B, 0, 0.40, mid: 0.90), .. Run(B, 1, 0.40, mid: 0.91), .. Run(B, 2, 0.40, mid: 0.89)]);
        Assert.Equal(ClaimVerdict.Holds, new LossFalls(A, Faster: false).Check(s, B).Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, new LossFalls(A, Faster: true).Check(s, B).Verdict);
    }

    [Fact]
    public void FluctuationIsTheTotalFallOfTheTestAccuracyCurve()
    {
        Assert.Equal(0.15, TestAccFluctuates.TotalFall([new(1, 1, 0.5, 0.80, 1), new(2, 1, 0.5, 0.70, 1), new(3, 1, 0.5, 0.75, 1), new(4, 1, 0.5, 0.70, 1)]), 12);
        var s = Study(
            [.. Run(A, 0, 0.4, [0.70, 0.80, 0.85]), .. Run(A, 1, 0.4, [0.71, 0.80, 0.85]), .. Run(A, 2, 0.4, [0.70, 0.81, 0.85])],
            [.. Run(B, 0, 0.4, [0.80, 0.70, 0.85]), .. Run(B, 1, 0.4, [0.81, 0.70, 0.85]), .. Run(B, 2, 0.4, [0.80, 0.71, 0.85])]);
        Assert.Equal(ClaimVerdict.Holds, new TestAccFluctuates(A).Check(s, B).Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, new TestAccFluctuates(B).Check(s, A).Verdict);
        var dip = new TestAccDipsAt(2).Check(s, B);
        Assert.Equal(ClaimVerdict.Holds, dip.Verdict);
        Assert.Equal("test acc lower at epoch 2 than at 1 in 3 of 3 seeds", dip.Evidence);
        Assert.Equal(ClaimVerdict.DoesNotHold, new TestAccDipsAt(2).Check(s, A).Verdict);
    }

    [Fact]
    public void BestSoFarAndTheD2lAssert()
    {
        var s = Study(Pair(A, 0.35, 0.36, 0.34), Pair(B, 0.55, 0.56, 0.45), Pair(new(0.02, 0.05), 0.30, 0.31, 0.29));
        Assert.Equal(ClaimVerdict.Holds, new BestSoFar([A, B]).Check(s, new(0.02, 0.05)).Verdict);
        Assert.Equal(ClaimVerdict.DoesNotHold, new BestSoFar([new(0.02, 0.05)]).Check(s, A).Verdict);
        var assert = new D2lAssertFails().Check(s, B);
        Assert.Equal(ClaimVerdict.Holds, assert.Verdict); // 2 of 3 seeds end with train loss ≥ 0.5
        Assert.Contains("fails in 2 of 3 seeds", assert.Evidence);
        Assert.Equal(ClaimVerdict.DoesNotHold, new D2lAssertFails().Check(s, A).Verdict);
    }

    [Fact]
    public void ADivergedPairCannotBeJudgedAndADivergedSeedIsLeftOut()
    {
        var s = Study(Pair(A, 0.35, 0.36, 0.34), [.. Run(B, 0, 5.0), .. Run(B, 1, 0.45), .. Run(B, 2, 0.44), .. Run(B, 3, 0.46)]);
        var check = new ComparedWith(A, ClaimDirection.Worse).Check(s, B);
        Assert.Equal(ClaimVerdict.Holds, check.Verdict);
        Assert.Contains("(3 vs 3 seeds)", check.Evidence); // B's diverged seed 0 is not in its mean
        var allDiverged = Study(Pair(A, 0.35, 0.36, 0.34), Pair(B, 5.0, 6.0));
        Assert.Equal(ClaimVerdict.CannotJudge, new ComparedWith(A, ClaimDirection.Worse).Check(allDiverged, B).Verdict);
        Assert.Equal(ClaimVerdict.CannotJudge, new FinalLossAbout(0.45).Check(allDiverged, B).Verdict);
    }

    /// <summary>Every source pair, three seeds, final losses spread a little around the given means.</summary>
    static StudySummary Source(Func<DropoutPair, double> mean) =>
        StudySummary.FromRows(StudyPlan.SourcePairs.SelectMany(p => Pair(p, mean(p) - 0.005, mean(p), mean(p) + 0.005)));

    static double Realistic(DropoutPair p) => (p.P1, p.P2) switch
    {
        (0.2, 0.5) => 0.346, (0.5, 0.8) => 0.449, (0.8, 0.5) => 0.538, (0.5, 0.2) => 0.375, (0.1, 0.3) => 0.327, (0.3, 0.1) => 0.344,
        (0.02, 0.05) => 0.311, (0.2, 0.2) => 0.335, (0.02, 0.02) => 0.300, (0.4, 0.4) => 0.366, _ => 0.428,
    };

    [Fact]
    public void TheConclusionsAreJudgedFromTheComparisonsTheyPrint()
    {
        var study = Source(Realistic);
        var tooHigh = SourceStudy.Conclusions[0].Check(study, StudyMetric.TrainLoss);
        Assert.Equal(ClaimVerdict.Holds, tooHigh.Verdict);
        Assert.StartsWith("all 3 high pairs are clearly worse than (0.2, 0.5) on train loss", tooHigh.Evidence);

        var lowBest = SourceStudy.Conclusions[1].Check(study, StudyMetric.TrainLoss);
        Assert.Equal(ClaimVerdict.Holds, lowBest.Verdict);

        // Every swap differs clearly here (lower-first trains to a lower loss in all three): the order mattered.
        var order = SourceStudy.Conclusions[2].Check(study, StudyMetric.TrainLoss);
        Assert.Equal(ClaimVerdict.DoesNotHold, order.Verdict);
        Assert.StartsWith("every swap makes a clear difference: (0.2, 0.5) better than its swap, (0.1, 0.3) better than its swap, (0.5, 0.8) better than its swap", order.Evidence);
    }

    [Fact]
    public void ConclusionsHoldInPartWhenSomeOfTheirComparisonsAgree()
    {
        // (0.6, 0.6) as good as (0.2, 0.5); (0.02, 0.05) as good as (0.02, 0.02); swaps equal but for one.
        var study = Source(p => (p.P1, p.P2) switch
        {
            (0.6, 0.6) => 0.346, (0.02, 0.05) => 0.300, (0.5, 0.2) => 0.346, (0.3, 0.1) => 0.327, _ => Realistic(p),
        });
        Assert.Equal(ClaimVerdict.HoldsInPart, SourceStudy.Conclusions[0].Check(study, StudyMetric.TrainLoss).Verdict);
        var lowBest = SourceStudy.Conclusions[1].Check(study, StudyMetric.TrainLoss);
        Assert.Equal(ClaimVerdict.HoldsInPart, lowBest.Verdict);
        Assert.Contains("within the noise of (0.02, 0.05)", lowBest.Evidence);
        var order = SourceStudy.Conclusions[2].Check(study, StudyMetric.TrainLoss);
        Assert.Equal(ClaimVerdict.HoldsInPart, order.Verdict);
        Assert.StartsWith("1 of the 3 swaps makes a clear difference ((0.5, 0.8) better than its swap)", order.Evidence);
    }

    [Fact]
    public void BothAtTwoPercentBeingBestDoesNotHoldWhenTheyAreClearlyBetterThanNoOtherPair()
    {
        // Every pair within the noise of every other: (0.1, 0.3) has the best mean, (0.02, 0.02) beats nobody clearly.
        var study = StudySummary.FromRows(StudyPlan.SourcePairs.SelectMany(p =>
            Pair(p, (p.P1, p.P2) == (0.1, 0.3) ? 0.30 : 0.32, 0.33, 0.40)));
        var lowBest = SourceStudy.Conclusions[1].Check(study, StudyMetric.TrainLoss);
        Assert.Equal(ClaimVerdict.DoesNotHold, lowBest.Verdict);
        Assert.StartsWith("(0.1, 0.3) has the best mean train loss, and (0.02, 0.02) is clearly better than none of the other 10 pairs", lowBest.Evidence);
    }
}
