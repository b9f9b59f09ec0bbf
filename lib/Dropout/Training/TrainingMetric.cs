namespace Dropout.Training;

/// <summary>A number read off one training run (its epochs), to compare runs over seeds.</summary>
/// <param name="Name">What it is, e.g. "final train loss".</param>
public sealed record TrainingMetric(string Name, Func<IReadOnlyList<EpochMetrics>, double> Of, bool HigherIsBetter)
{
    /// <summary>The last epoch's training loss (d2l's, dropout on): the source's yardstick.</summary>
    public static TrainingMetric TrainLoss { get; } = new("final train loss", e => e[^1].TrainLoss, false);

    /// <summary>The last epoch's training accuracy (dropout on).</summary>
    public static TrainingMetric TrainAcc { get; } = new("final train acc", e => e[^1].TrainAcc, true);

    /// <summary>The test accuracy after the last epoch (eval mode).</summary>
    public static TrainingMetric TestAcc { get; } = new("final test acc", e => e[^1].TestAcc, true);

    /// <summary>The training loss averaged over the epochs (the area under its curve): "it falls faster" is lower.</summary>
    public static TrainingMetric MeanTrainLoss { get; } = new("train loss averaged over the epochs", e => e.Average(m => m.TrainLoss), false);

    /// <summary>How much the test-accuracy curve fell, summed over the epochs where it fell: "it fluctuates" is a higher number.</summary>
    public static TrainingMetric TestAccFalls { get; } =
        new("test-accuracy falls, summed", e => e.Zip(e.Skip(1), (a, b) => Math.Max(0, a.TestAcc - b.TestAcc)).Sum(), false);

    /// <summary>The change of test accuracy at <paramref name="epoch"/> from the epoch before (negative: it fell, "a wobble");
    /// NaN for a run with fewer epochs.</summary>
    public static TrainingMetric TestAccChangeAt(int epoch) =>
        new($"test-acc change at epoch {epoch}", e => epoch >= 2 && e.Count >= epoch ? e[epoch - 1].TestAcc - e[epoch - 2].TestAcc : double.NaN, true);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
