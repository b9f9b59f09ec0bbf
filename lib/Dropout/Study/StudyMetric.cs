namespace Dropout.Study;

/// <summary>The final-epoch numbers a study compares pairs on.</summary>
public enum StudyMetric
{
    /// <summary>d2l's training loss of the last epoch (lower is better).</summary>
    TrainLoss,
    /// <summary>Training accuracy during the last epoch, dropout on (higher is better).</summary>
    TrainAcc,
    /// <summary>Test accuracy after the last epoch, eval mode (higher is better).</summary>
    TestAcc,
}

/// <summary>Names and directions of <see cref="StudyMetric"/>.</summary>
public static class StudyMetrics
{
    /// <summary>"train loss", "train acc", "test acc".</summary>
    public static string Name(this StudyMetric metric) => metric switch
    {
        StudyMetric.TrainLoss => "train loss",
        StudyMetric.TrainAcc => "train acc",
        _ => "test acc",
    };

    /// <summary>True for the accuracies, false for the loss.</summary>
    public static bool HigherIsBetter(this StudyMetric metric) => metric != StudyMetric.TrainLoss;

    /// <summary>The metric's value in <paramref name="epoch"/>.</summary>
    public static double Of(this StudyMetric metric, EpochMetrics epoch) => metric switch
    {
        StudyMetric.TrainLoss => epoch.TrainLoss,
        StudyMetric.TrainAcc => epoch.TrainAcc,
        _ => epoch.TestAcc,
    };
}
