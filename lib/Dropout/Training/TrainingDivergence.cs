using System.Globalization;

namespace Dropout.Training;

/// <summary>
/// A training run that went wrong: by <see cref="Rule"/>, the first epoch whose training loss is NaN or infinite, or
/// higher than the first epoch's. Such a run is a result of its own — named where it is shown, and kept out of the
/// means it would distort (shown beside them instead).
/// </summary>
/// <param name="Epoch">The first epoch (1-based) that broke the rule.</param>
/// <param name="Loss">Its training loss.</param>
/// <param name="FirstLoss">The first epoch's training loss.</param>
public sealed record TrainingDivergence(int Epoch, double Loss, double FirstLoss)
{
    /// <summary>The rule, stated once.</summary>
    public const string Rule =
        "a run diverged when an epoch's training loss is NaN or infinite, or higher than its first epoch's " +
        "(training with a sound learning rate only brings the loss below where it started)";

    /// <summary>The first epoch of <paramref name="epochs"/> that breaks <see cref="Rule"/>, or null when none does.</summary>
    public static TrainingDivergence? Find(IReadOnlyList<EpochMetrics> epochs) =>
        FirstBreak(epochs.Select(e => e.TrainLoss).ToList()) is int i ? new(epochs[i].Epoch, epochs[i].TrainLoss, epochs[0].TrainLoss) : null;

    /// <summary>
    /// The position of the first of <paramref name="losses"/> (training losses in the order they were recorded, the first
    /// one first) that breaks the rule — NaN or infinite, or above the first — or null when none does. Every divergence
    /// rule of the project (this one, <c>RegressionDivergence</c>'s) is this test.
    /// </summary>
    public static int? FirstBreak(IReadOnlyList<double> losses)
    {
        if (losses.Count == 0) return null;
        if (!double.IsFinite(losses[0])) return 0;
        for (int i = 1; i < losses.Count; i++)
            if (!double.IsFinite(losses[i]) || losses[i] > losses[0]) return i;
        return null;
    }

    /// <summary>"diverged at epoch 9: train loss 1.8161 is above epoch 1's 1.0321".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return double.IsFinite(Loss)
            ? $"diverged at epoch {Epoch}: train loss {Loss.ToString("0.0000", c)} is above epoch 1's {FirstLoss.ToString("0.0000", c)}"
            : $"diverged at epoch {Epoch}: train loss {Loss.ToString(c)}";
    }
}
