using Dropout.Statistics;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Tests.Study;

public class SourceStudyTests
{
    /// <summary>Three seeds of a pair whose final train loss is about <paramref name="loss"/> and test acc about <paramref name="acc"/>.</summary>
    static IEnumerable<(SeededRun Run, TrainingHistory History)> Pair(DropoutPair pair, double loss, double acc) =>
        Enumerable.Range(0, 3).Select(seed =>
        {
            double jitter = (seed - 1) * 0.002;
            var epochs = Enumerable.Range(1, 3).Select(e => new EpochMetrics(e, loss + (3 - e) * 0.1 + jitter, acc - 0.02, acc + jitter - (3 - e) * 0.01, 1)).ToList();
            return (new SeededRun(pair, seed), new TrainingHistory(epochs));
        });

    /// <summary>A study where the loss grows with the dropout probabilities (order does not matter) and accuracy barely moves.</summary>
    static StudyResults Study()
    {
        var runs = SourceStudy.Pairs.Append(SourceStudy.NoDropout)
            .SelectMany(p => Pair(p, 0.28 + 0.25 * (p.P1 + p.P2), 0.85 - 0.01 * (p.P1 + p.P2))).ToList();
        return StudyResults.Of(runs.Select(r => r.Run).ToList(), runs.Select(r => r.History).ToList());
    }

    [Fact]
    public void TheElevenRunsAreTheSourcesPairsInItsOrderWithTheLossesItReports()
    {
        Assert.Equal(Enumerable.Range(1, 11), SourceStudy.Runs.Select(r => r.Number));
        Assert.Equal(SourceStudy.Pairs, SourceStudy.Runs.Select(r => r.Pair));
        Assert.Equal(new DropoutPair(0.5, 0.8), SourceStudy.Runs[1].Pair);
        Assert.Equal(0.45, SourceStudy.Runs[1].SourceTrainLoss);
        Assert.Equal(0.541, SourceStudy.Runs[2].SourceTrainLoss);
        Assert.Equal([1, 2, 3], SourceStudy.Conclusions.Select(c => c.Number));
    }

    [Fact]
    public void EveryClaimIsJudgedByItsIntervalPairedOverTheSeeds()
    {
        var study = Study();
        var claims = SourceStudy.RunClaims(study).ToList();
        Assert.NotEmpty(claims);
        Assert.All(claims, x => Assert.True(x.Claim.Evidence.Paired));
        // run 2: (0.5, 0.8) has the higher loss here, clearly: "worse than (0.2, 0.5)" is supported
        var worse = claims.Single(x => x.Run.Number == 2 && x.Claim.Kind == ClaimKind.FirstWorse && x.Claim.Evidence.Metric == "final train loss");
        Assert.Equal(Verdict.Supported, worse.Claim.Verdict);
        Assert.True(worse.Claim.Evidence.Low > 0);
        // run 4: the swap has the same loss here, and the spread is tiny: similar within ±0.02 is supported
        var swap = claims.First(x => x.Run.Number == 4);
        Assert.Equal(Verdict.Supported, swap.Claim.Verdict);
    }

    [Fact]
    public void TheConclusionsAnswerWithTheirNumbers()
    {
        var study = Study();
        var first = SourceStudy.Conclusions[0];
        Assert.All(first.Claims(study).OfType<Claim>().Where(c => c.Evidence.Metric == "final train loss"), c => Assert.Equal(Verdict.Supported, c.Verdict));
        Assert.StartsWith("Worse than (0.2, 0.5) on train loss: (0.5, 0.8), (0.8, 0.5), (0.6, 0.6).\n", first.Answer(study));
        Assert.Contains("(0.02, 0.02) beats 10 of the other 10 pairs on train loss", SourceStudy.Conclusions[1].Answer(study));
        Assert.Equal("Swaps that change the train loss: none.\nSwaps that change test accuracy: none.", SourceStudy.Conclusions[2].Answer(study));
        Assert.Equal(4, SourceStudy.NoDropoutClaims(study).Count());
    }

    [Fact]
    public void ResultsRefuseRepeatedRunsAndTableEveryPair()
    {
        var runs = Pair(new(0.2, 0.5), 0.35, 0.85).ToList();
        Assert.Throws<ArgumentException>(() => StudyResults.Of([runs[0].Run, runs[0].Run], [runs[0].History, runs[1].History]));
        var table = Study().Table().ToList();
        Assert.Equal(12, table.Count);
        Assert.Equal("(0.2, 0.5)", table[0].Pair);
        Assert.Equal(3, table[0].Seeds);
    }
}
