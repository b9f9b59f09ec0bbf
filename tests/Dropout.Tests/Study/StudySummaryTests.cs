using Dropout.Statistics;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Tests.Study;

public class StudySummaryTests
{
    static StudyRow Row(double p1, double p2, long seed, int epoch, double loss, double trainAcc, double testAcc) =>
        new("concise", p1, p2, seed, epoch, loss, trainAcc, testAcc, 2.5);

    static readonly StudyRow[] Rows =
    [
        Row(0.8, 0.5, 0, 1, 0.90, 0.60, 0.65), Row(0.8, 0.5, 0, 2, 0.52, 0.79, 0.80),
        Row(0.8, 0.5, 1, 1, 0.88, 0.61, 0.66), Row(0.8, 0.5, 1, 2, 0.48, 0.81, 0.82),
        Row(0.2, 0.5, 0, 1, 0.60, 0.78, 0.80), Row(0.2, 0.5, 0, 2, 0.36, 0.87, 0.85),
        Row(0.2, 0.5, 1, 1, 0.62, 0.77, 0.79), Row(0.2, 0.5, 1, 2, 0.34, 0.87, 0.86),
        Row(0.9, 0.9, 0, 1, 1.90, 0.30, 0.40), Row(0.9, 0.9, 0, 2, 1.10, 0.55, 0.60),
    ];

    /// <summary>(0.2, 0.5) with a third seed whose loss jumps above its first epoch's at epoch 2.</summary>
    static readonly StudyRow[] WithDivergedSeed =
    [
        .. Rows,
        Row(0.2, 0.5, 2, 1, 0.61, 0.78, 0.80), Row(0.2, 0.5, 2, 2, 5.80, 0.10, 0.10),
    ];

    [Fact]
    public void PerPairFinalEpochStatisticsAndD2lChecks()
    {
        var summary = StudySummary.FromRows(Rows);
        Assert.Equal([new(0.2, 0.5), new(0.8, 0.5), new(0.9, 0.9)], summary.Pairs.Select(p => p.Pair));
        var p = summary[new(0.8, 0.5)];
        Assert.Equal([0L, 1L], p.Seeds);
        Assert.Equal(0.50, p.TrainLoss.Mean, 12);
        Assert.Equal(Math.Sqrt(0.0008), p.TrainLoss.Std!.Value, 12);
        Assert.Equal([0.80, 0.82], p.TestAcc.Values);
        Assert.Equal(1, p.D2lPassed);
        Assert.Equal("1/2 (fails train_loss)", p.D2lText);
        Assert.Equal("2/2", summary[new(0.2, 0.5)].D2lText);
        Assert.Equal("0/1 (fails train_loss, train_acc, test_acc)", summary[new(0.9, 0.9)].D2lText);
        Assert.Null(summary.Find(new(0.1, 0.1)));
        Assert.Throws<KeyNotFoundException>(() => summary[new(0.1, 0.1)]);
        Assert.Equal(5, summary.RunCount);
        Assert.Equal(25, summary.TotalSeconds, 9);
        Assert.Empty(summary.Diverged);
    }

    [Fact]
    public void ADivergedRunIsNamedAndKeptOutOfItsPairsStatisticsAndCurves()
    {
        var summary = StudySummary.FromRows(WithDivergedSeed);
        var p = summary[new(0.2, 0.5)];
        Assert.Equal([0L, 1L, 2L], p.Seeds);
        Assert.Equal([2L], p.Diverged.Select(r => r.Run.Seed));
        Assert.Equal(new TrainingDivergence(2, 5.80, 0.61), p.Diverged[0].Divergence);
        Assert.Equal(0.35, p.TrainLoss.Mean, 12); // seeds 0 and 1 only
        Assert.Equal(2, p.TrainLoss.N);
        Assert.Equal("seed 2 diverged: train loss 5.8000 at epoch 2, above epoch 1's 0.6100", p.DivergedText);
        Assert.Equal(2, summary.TrainLossCurve(new(0.2, 0.5))[1].TrainLoss.N);
        Assert.Equal("2/3 (fails train_loss, train_acc, test_acc)", p.D2lText); // the d2l check counts every run
        Assert.Single(summary.Diverged);
    }

    [Fact]
    public void TheTableShowsMeanStdMedianAndTheDivergedRunsAligned()
    {
        string expected = string.Join(Environment.NewLine,
            "p1   p2   seeds   train_loss       train_acc        test_acc         test_acc median  d2l check                                    diverged",
            "---  ---  ------  ---------------  ---------------  ---------------  ---------------  -------------------------------------------  ---------------------------------------------------------------------",
            "0.2  0.5  2 of 3  0.3500 ± 0.0141  0.8700 ± 0.0000  0.8550 ± 0.0071  0.8550           2/3 (fails train_loss, train_acc, test_acc)  seed 2 diverged: train loss 5.8000 at epoch 2, above epoch 1's 0.6100",
            "0.8  0.5  2       0.5000 ± 0.0283  0.8000 ± 0.0141  0.8100 ± 0.0141  0.8100           1/2 (fails train_loss)                       -",
            "0.9  0.9  1       1.1000 ± n/a     0.5500 ± n/a     0.6000 ± n/a     0.6000           0/1 (fails train_loss, train_acc, test_acc)  -",
            "");
        Assert.Equal(expected, StudySummary.FromRows(WithDivergedSeed).ToTable());
    }

    [Fact]
    public void CurvesAndHistoriesComeFromTheRows()
    {
        var summary = StudySummary.FromRows(Rows);
        var curve = summary.TrainLossCurve(new(0.2, 0.5));
        Assert.Equal([1, 2], curve.Select(c => c.Epoch));
        Assert.Equal(0.61, curve[0].TrainLoss.Mean, 12);
        var history = summary.History(new StudyRun(new(0.8, 0.5), 1));
        Assert.Equal(0.48, history.Final.TrainLoss);
        Assert.True(history.CheckD2l().Passed);
        Assert.Throws<KeyNotFoundException>(() => summary.History(new StudyRun(new(0.8, 0.5), 9)));
    }

    [Fact]
    public void PairsAreComparedByTheProjectsRuleOverTheirKeptRuns()
    {
        var summary = StudySummary.FromRows(WithDivergedSeed);
        var loss = summary.Compare(new(0.2, 0.5), new(0.8, 0.5), StudyMetric.TrainLoss);
        Assert.Equal(-0.15, loss.Difference, 12);

        Assert.Equal("train loss", loss.Metric);
        var acc = summary.Compare(new(0.2, 0.5), new(0.9, 0.9), StudyMetric.TestAcc);
        Assert.False(acc.CanEstimate); // (0.9, 0.9) has one seed
    }
}

public class CorrelationTests
{
    [Fact]
    public void CorrelationIsPearsons()
    {
        Assert.Equal(1, Correlation.Pearson([1, 2, 3], [2, 4, 6]), 12);
        Assert.Equal(-1, Correlation.Pearson([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0.8, Correlation.Pearson([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.True(double.IsNaN(Correlation.Pearson([1, 1], [2, 3])));
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([1], [2]));
    }
}
