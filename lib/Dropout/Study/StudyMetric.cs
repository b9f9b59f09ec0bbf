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
