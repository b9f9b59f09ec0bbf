namespace Dropout.Regression;

/// <summary>What a regression comparison is judged on: a name for tables and verdicts, how to read it off a run, and its direction.</summary>
/// <param name="HigherIsBetter">False for losses; true for the fraction of near-zero weights, where "better" means sparser.</param>
public sealed record RegressionMetric(string Name, Func<RegressionRunResult, double> Of, bool HigherIsBetter)
{
    /// <summary>MSE on the source's 20 test points.</summary>
    public static readonly RegressionMetric TestLoss = new("test MSE (20 points)", r => r.TestLoss, false);

    /// <summary>MSE on the large fresh test set.</summary>
    public static readonly RegressionMetric LargeTestLoss = new("test MSE (large test set)", r => r.LargeTestLoss, false);

    /// <summary>MSE on the training points.</summary>
    public static readonly RegressionMetric TrainLoss = new("train MSE", r => r.TrainLoss, false);

    /// <summary>Fraction of weights near 0 (higher = sparser).</summary>
    public static readonly RegressionMetric SmallWeightFraction = new("fraction of weights near 0", r => r.SmallWeightFraction, true);

    /// <summary>How much the prediction moves when only the noise inputs change (lower = less sensitive to them).</summary>
    public static readonly RegressionMetric NoiseSensitivity = new("prediction change from the noise inputs (RMS)", r => r.NoiseSensitivity, false);
}
