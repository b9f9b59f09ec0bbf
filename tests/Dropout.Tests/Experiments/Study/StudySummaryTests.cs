using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Tests.Experiments.Study;

public class StudySummaryTests
{
    static StudyRow Row(double p1, double p2, int seed, int epoch, double loss, double trainAcc, double testAcc) =>
        new("concise", p1, p2, seed, epoch, loss, trainAcc, testAcc, 2.5);

    static readonly StudyRow[] Rows =
    [
        Row(0.8, 0.5, 0, 1, 0.90, 0.60, 0.65), Row(0.8, 0.5, 0, 2, 0.52, 0.79, 0.80),
        Row(0.8, 0.5, 1, 1, 0.88, 0.61, 0.66), Row(0.8, 0.5, 1, 2, 0.48, 0.81, 0.82),
        Row(0.2, 0.5, 0, 1, 0.60, 0.78, 0.80), Row(0.2, 0.5, 0, 2, 0.36, 0.87, 0.85),
        Row(0.2, 0.5, 1, 1, 0.62, 0.77, 0.79), Row(0.2, 0.5, 1, 2, 0.34, 0.87, 0.86),
        Row(0.9, 0.9, 0, 1, 1.90, 0.30, 0.40), Row(0.9, 0.9, 0, 2, 1.10, 0.55, 0.60),
    ];

    /// <summary>(0.2, 0.5) with a third seed whose loss ends above its first epoch's.</summary>
    static readonly StudyRow[] WithDivergedSeed =
    [
        .. Rows,
        Row(0.2, 0.5, 2, 1, 0.61, 0.78, 0.80), Row(0.2, 0.5, 2, 2, 5.80, 0.10, 0.10),
    ];

    [Fact]
    public void ARowsFileIsReadAsTheLessonReadsAStudyPairsInDisplayOrder()
    {
        var results = StudySummary.Results(Rows.Reverse());
        Assert.Equal([new(0.2, 0.5), new(0.8, 0.5), new(0.9, 0.9)], results.Pairs);
        Assert.Equal([0, 1], results[new(0.8, 0.5)].Runs.Select(r => r.Seed));
        Assert.Equal(0.50, results.Mean(new(0.8, 0.5), TrainingMetric.TrainLoss), 12);
        Assert.Equal([0.88, 0.48], results[new(0.8, 0.5)].Runs[1].Result.Select(e => e.TrainLoss));   // epochs in order
        Assert.Throws<ArgumentException>(() => StudySummary.Results([]));
    }

    [Fact]
    public void ADivergedRunIsNamedAndKeptOutOfItsPairsStatistics()
    {
        var results = StudySummary.Results(WithDivergedSeed);
        var pair = results[new(0.2, 0.5)];
        Assert.Equal([2], pair.Diverged.Select(r => r.Seed));
        Assert.Equal(0.35, results.Mean(new(0.2, 0.5), TrainingMetric.TrainLoss), 12); // seeds 0 and 1 only
        Assert.Equal("seed 2 diverged: train loss 5.8000 at epoch 2, above epoch 1's 0.6100", pair.DivergedText);
        var paired = results.Compare(new(0.2, 0.5), new(0.8, 0.5), TrainingMetric.TrainLoss)!;
        Assert.True(paired.Paired);
        Assert.Equal(-0.15, paired.Difference, 12);
        Assert.False(results.Compare(new(0.2, 0.5), new(0.9, 0.9), TrainingMetric.TestAcc)!.CanEstimate); // (0.9, 0.9) has one seed
    }

    [Fact]
    public void TheTableShowsMeanStdMedianTheD2lCheckAndTheDivergedRunsAligned()
    {
        string expected = string.Join(Environment.NewLine,
            "p1   p2   seeds   train_loss       train_acc        test_acc         test_acc median  d2l check  diverged",
            "---  ---  ------  ---------------  ---------------  ---------------  ---------------  ---------  ---------------------------------------------------------------------",
            "0.2  0.5  2 of 3  0.3500 ± 0.0141  0.8700 ± 0.0000  0.8550 ± 0.0071  0.8550           2/3        seed 2 diverged: train loss 5.8000 at epoch 2, above epoch 1's 0.6100",
            "0.8  0.5  2       0.5000 ± 0.0283  0.8000 ± 0.0141  0.8100 ± 0.0141  0.8100           1/2        -",
            "0.9  0.9  1       1.1000 ± n/a     0.5500 ± n/a     0.6000 ± n/a     0.6000           0/1        -",
            "");
        Assert.Equal(expected, StudySummary.Table(StudySummary.Results(WithDivergedSeed)));
    }
}
