using System.Globalization;

namespace Dropout.Training;

/// <summary>A training run that diverged by <see cref="Rule"/>. It is a result of its own: named where it is shown, and
/// kept out of the means it would distort (shown beside them, with and without it).</summary>
/// <param name="Epoch">The epoch (1-based) that shows it: the first non-finite one, or the last.</param>
/// <param name="Loss">That epoch's training loss.</param>
public sealed record TrainingDivergence(int Epoch, double Loss, double FirstLoss)
{
    /// <summary>The rule, stated once.</summary>
    public const string Rule =
        "a run diverged when its training loss became NaN or infinite, or its last epoch's loss is above its first epoch's " +
        "(judged on the whole run: a rise that comes back down is not divergence)";

    /// <summary>The epoch of <paramref name="epochs"/> that breaks <see cref="Rule"/>, or null when the run did not diverge.</summary>
    public static TrainingDivergence? Find(IReadOnlyList<EpochMetrics> epochs) =>
        FirstBreak(epochs.Select(e => e.TrainLoss).ToList()) is int i ? new(epochs[i].Epoch, epochs[i].TrainLoss, epochs[0].TrainLoss) : null;

    /// <summary>Where a run's training <paramref name="losses"/> break <see cref="Rule"/>: the first NaN or infinite
    /// one, else the last when it is above the first; null when they do not. The project's one divergence test.</summary>
    public static int? FirstBreak(IReadOnlyList<double> losses)
    {
        if (losses.Count == 0) return null;
        for (int i = 0; i < losses.Count; i++)
            if (!double.IsFinite(losses[i])) return i;
        return losses[^1] > losses[0] ? losses.Count - 1 : null;
    }

    /// <summary>"diverged: train loss 1.8161 at epoch 9, above epoch 1's 1.0321" or "diverged at epoch 2: train loss NaN".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return double.IsFinite(Loss)
            ? $"diverged: train loss {Loss.ToString("0.0000", c)} at epoch {Epoch}, above epoch 1's {FirstLoss.ToString("0.0000", c)}"
            : $"diverged at epoch {Epoch}: train loss {Loss.ToString(c)}";
    }
}
