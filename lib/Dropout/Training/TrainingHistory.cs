using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>The per-epoch results of a training run, in order.</summary>
public sealed class TrainingHistory(IReadOnlyList<EpochMetrics> epochs) : IReadOnlyList<EpochMetrics>
{
    /// <summary>The last epoch's metrics.</summary>
    public EpochMetrics Final => epochs.Count > 0 ? epochs[^1] : throw new InvalidOperationException("no epoch was trained.");

    /// <summary>d2l's end-of-training check on the last epoch.</summary>
    public D2lCheck CheckD2l() => new([
        new("train_loss", Final.TrainLoss, "< 0.5", Final.TrainLoss < 0.5),
        new("train_acc", Final.TrainAcc, "in (0.7, 1]", Final.TrainAcc > 0.7 && Final.TrainAcc <= 1),
        new("test_acc", Final.TestAcc, "in (0.7, 1]", Final.TestAcc > 0.7 && Final.TestAcc <= 1),
    ]);

    /// <summary>d2l's asserts: throws a <see cref="D2lAssertionException"/> naming the failing values.</summary>
    public void AssertD2l()
    {
        var check = CheckD2l();
        if (!check.Passed) throw new D2lAssertionException(check);
    }

    /// <summary>True when <paramref name="other"/> has the same epochs with the same train loss, train acc and test acc, bit for bit.</summary>
    public bool SameNumbersAs(TrainingHistory other) =>
        Count == other.Count && this.Zip(other).All(p => (p.First.TrainLoss, p.First.TrainAcc, p.First.TestAcc) == (p.Second.TrainLoss, p.Second.TrainAcc, p.Second.TestAcc));

    /// <summary>"10 epochs: train loss 0.3512, train acc 0.8712, test acc 0.8521" (the last epoch's numbers).</summary>
    public override string ToString() =>
        Count == 0 ? "no epoch" : $"{Count} epochs: train loss {Final.TrainLoss:F4}, train acc {Final.TrainAcc:F4}, test acc {Final.TestAcc:F4}";

    /// <inheritdoc/>
    public EpochMetrics this[int index] => epochs[index];
    /// <inheritdoc/>
    public int Count => epochs.Count;
    /// <inheritdoc/>
    public IEnumerator<EpochMetrics> GetEnumerator() => epochs.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
