using Dropout.Study;

namespace Dropout.Tests.Study;

public class StudySummaryTests
{
    [Fact]
    public void MeanAndSampleStandardDeviation()
    {
        var m = MeanStd.Of([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5, m.Mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), m.Std!.Value, 12); // n - 1 = 7, not the population's 8
        Assert.Equal(8, m.N);
        Assert.Equal("5.0000 ± 2.1381", m.ToString());
    }

    [Fact]
    public void OneMeasurementHasNoStandardDeviation()
    {
        var m = MeanStd.Of([0.35]);
        Assert.Null(m.Std);
        Assert.Equal("0.3500 ± n/a", m.ToString());
        Assert.Throws<ArgumentException>(() => MeanStd.Of([]));
    }

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

    [Fact]
    public void PerPairFinalEpochStatisticsAndD2lChecks()
    {
        var summary = StudySummary.FromRows(Rows);
        Assert.Equal([new(0.2, 0.5), new(0.8, 0.5), new(0.9, 0.9)], summary.Pairs.Select(p => p.Pair));
        var p = summary.Find(new(0.8, 0.5))!;
        Assert.Equal([0L, 1L], p.Seeds);
        Assert.Equal(0.50, p.TrainLoss.Mean, 12);
        Assert.Equal(Math.Sqrt(0.0008), p.TrainLoss.Std!.Value, 12);
        Assert.Equal(0.81, p.TestAcc.Mean, 12);
        Assert.Equal(1, p.D2lPassed);
        Assert.Equal("1/2 (fails train_loss)", p.D2lText);
        Assert.Equal("2/2", summary.Find(new(0.2, 0.5))!.D2lText);
        Assert.Equal("0/1 (fails train_loss, train_acc, test_acc)", summary.Find(new(0.9, 0.9))!.D2lText);
        Assert.Null(summary.Find(new(0.1, 0.1)));
        Assert.Equal(5, summary.RunCount);
        Assert.Equal(25, summary.TotalSeconds, 9);
    }

    [Fact]
    public void TheTableShowsMeanAndStdPerPairAligned()
    {
        string expected = string.Join(Environment.NewLine,
            "p1   p2   seeds  train_loss       train_acc        test_acc         d2l check",
            "---  ---  -----  ---------------  ---------------  ---------------  -------------------------------------------",
            "0.2  0.5  2      0.3500 ± 0.0141  0.8700 ± 0.0000  0.8550 ± 0.0071  2/2",
            "0.8  0.5  2      0.5000 ± 0.0283  0.8000 ± 0.0141  0.8100 ± 0.0141  1/2 (fails train_loss)",
            "0.9  0.9  1      1.1000 ± n/a     0.5500 ± n/a     0.6000 ± n/a     0/1 (fails train_loss, train_acc, test_acc)",
            "");
        Assert.Equal(expected, StudySummary.FromRows(Rows).ToTable());
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
}

public class StudyComparisonTests
{
    static PairSummary Pair(DropoutPair pair, double[] testAcc, double[] trainLoss)
    {
        var rows = testAcc.Select((acc, i) => new StudyRow("concise", pair.P1, pair.P2, i, 1, trainLoss[i], 0.8, acc, 1));
        return StudySummary.FromRows(rows).Pairs[0];
    }

    [Fact]
    public void ADifferenceBeyondTwoStandardErrorsIsClear()
    {
        var a = Pair(new(0.2, 0.5), [0.85, 0.86, 0.87], [0.35, 0.36, 0.37]);
        var b = Pair(new(0.5, 0.2), [0.82, 0.83, 0.84], [0.33, 0.34, 0.35]);
        var acc = PairComparison.Of(a, b, "test_acc");
        Assert.Equal(0.03, acc.Difference, 12);
        Assert.Equal(Math.Sqrt(2 * 0.0001 / 3), acc.StdError!.Value, 12);
        Assert.Equal(new DropoutPair(0.2, 0.5), acc.ClearlyBetter);
        Assert.StartsWith("(0.2, 0.5) better on test_acc by 0.0300", acc.ToString());
        // Lower loss is better: b wins on train loss.
        Assert.Equal(new DropoutPair(0.5, 0.2), PairComparison.Of(a, b, "train_loss").ClearlyBetter);
    }

    [Fact]
    public void ADifferenceWithinNoiseOrFromOneSeedIsNotJudged()
    {
        var a = Pair(new(0.2, 0.5), [0.85, 0.80, 0.90], [0.35, 0.36, 0.37]);
        var b = Pair(new(0.5, 0.2), [0.86, 0.81, 0.89], [0.35, 0.36, 0.37]);
        Assert.Null(PairComparison.Of(a, b, "test_acc").ClearlyBetter);
        Assert.StartsWith("no clear difference on test_acc", PairComparison.Of(a, b, "test_acc").ToString());
        var single = PairComparison.Of(Pair(new(0.1, 0.1), [0.9], [0.3]), Pair(new(0.2, 0.2), [0.8], [0.4]), "test_acc");
        Assert.Null(single.ClearlyBetter);
        Assert.Contains("cannot judge with one seed", single.ToString());
        Assert.Throws<ArgumentException>(() => PairComparison.Of(a, b, "loss"));
    }

    [Fact]
    public void CorrelationIsPearsons()
    {
        Assert.Equal(1, StudyStatistics.Correlation([1, 2, 3], [2, 4, 6]), 12);
        Assert.Equal(-1, StudyStatistics.Correlation([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(0.8, StudyStatistics.Correlation([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.True(double.IsNaN(StudyStatistics.Correlation([1, 1], [2, 3])));
    }
}
