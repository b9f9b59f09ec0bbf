using System.Globalization;
using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Cli;

/// <summary>
/// The checks of the training options <c>train</c> and <c>study</c> share, each refused as a usage error naming its
/// option, its limit and the value given — before anything is loaded or written.
/// </summary>
internal static class TrainingOptions
{
    /// <summary><c>--epochs</c>: 1 to <see cref="TrainingSettings.MaxEpochs"/>.</summary>
    public static void CheckEpochs(int epochs)
    {
        if (epochs is < 1 or > TrainingSettings.MaxEpochs)
            throw new UserError($"--epochs must be between 1 and {TrainingSettings.MaxEpochs:N0}; got {epochs.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary><c>--lr</c>: positive, and a float32 (the parameters' type) must hold it.</summary>
    public static void CheckLr(double lr)
    {
        if (!TrainingSettings.IsLearningRate(lr))
            throw new UserError($"--lr must be a positive number that float32 can hold ({float.Epsilon.ToString("R", CultureInfo.InvariantCulture)} to " +
                $"{float.MaxValue.ToString("R", CultureInfo.InvariantCulture)}); got {lr.ToString("R", CultureInfo.InvariantCulture)}.");
    }

    /// <summary><c>--batch-size</c>: at least 1.</summary>
    public static void CheckBatchSize(int batchSize)
    {
        if (batchSize < 1) throw new UserError($"--batch-size must be at least 1; got {batchSize.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary><c>--hidden</c>: 1 to <see cref="StudySettings.MaxHidden"/>.</summary>
    public static void CheckHidden(int hidden)
    {
        if (hidden is < 1 or > StudySettings.MaxHidden)
            throw new UserError($"--hidden must be between 1 and {StudySettings.MaxHidden:N0}; got {hidden.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary><c>--train-limit</c> / <c>--test-limit</c>: absent, or at least 1.</summary>
    public static void CheckLimit(string option, int? limit)
    {
        if (limit < 1) throw new UserError($"{option} must be at least 1; got {limit.Value.ToString(CultureInfo.InvariantCulture)}.");
    }
}
