using System.Globalization;

namespace Dropout.Training;

/// <summary>A training run that diverged by <see cref="Rule"/>: d2l's loop (per epoch) or the regression demo (per recorded
/// step). It is a result of its own: named where it is shown, and kept out of the means it would distort.</summary>
/// <param name="At">Where it shows (1-based): the first non-finite recorded loss, or the last.</param>
/// <param name="Loss">The training loss there.</param>
/// <param name="Unit">What <paramref name="At"/> counts: "epoch" or "step".</param>
public sealed record Divergence(int At, double Loss, double FirstLoss, string Unit = "epoch")
{
    /// <summary>The project's one divergence rule, stated once.</summary>
    public const string Rule =
        "a run diverged when its training loss became NaN or infinite, or its last recorded loss is above its first " +
        "(judged on the whole run: a rise that comes back down is not divergence)";

    /// <summary>Where d2l-style <paramref name="epochs"/> break <see cref="Rule"/>, or null when the run did not diverge.</summary>
    public static Divergence? Find(IReadOnlyList<EpochMetrics> epochs) => Find(epochs.Select(e => (e.Epoch, e.TrainLoss)).ToList(), "epoch");

    /// <summary>Where <paramref name="recorded"/> (position, training loss), in order from the first, break <see cref="Rule"/>:
    /// the first NaN or infinite loss, else the last when it is above the first; null when they do not.</summary>
    public static Divergence? Find(IReadOnlyList<(int At, double Loss)> recorded, string unit)
    {
        if (recorded.Count == 0) return null;
        var (first, last) = (recorded[0], recorded[^1]);
        foreach (var r in recorded)
            if (!double.IsFinite(r.Loss)) return new(r.At, r.Loss, first.Loss, unit);
        return last.Loss > first.Loss ? new(last.At, last.Loss, first.Loss, unit) : null;
    }

    /// <summary>"diverged: train loss 1.8161 at epoch 9, above epoch 1's 1.0321" or "diverged at step 2: train loss NaN".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string Number(double x) => x.ToString(Math.Abs(x) < 1e4 ? "0.0000" : "G4", c);
        return double.IsFinite(Loss)
            ? $"diverged: train loss {Number(Loss)} at {Unit} {At}, above {Unit} 1's {Number(FirstLoss)}"
            : $"diverged at {Unit} {At}: train loss {Loss.ToString(c)}";
    }
}
