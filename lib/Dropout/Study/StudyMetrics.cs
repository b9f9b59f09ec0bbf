using Dropout.Training;

namespace Dropout.Study;

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
