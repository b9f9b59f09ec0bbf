using System.Globalization;
using Dropout.Training;

namespace Dropout.Regression;

/// <summary>
/// A regression run that blew up by <see cref="Rule"/>, <see cref="TrainingDivergence"/>'s rule on the recorded MSEs.
/// Such a run is named where results are shown and kept out of the means.
/// </summary>
/// <param name="Step">The training step (1-based) whose MSE broke the rule.</param>
/// <param name="FirstLoss">The first step's MSE (the starting weights').</param>
public sealed record RegressionDivergence(int Step, double Loss, double FirstLoss)
{
    /// <summary>The rule, stated once.</summary>
    public const string Rule =
        "a regression run diverged when its training MSE, recorded every few steps and after the last, became NaN or " +
        "infinite, or ended higher than at its first step (judged on the whole run: a rise that comes back down is not divergence)";

    /// <summary>
    /// Where <paramref name="recorded"/> (step, training MSE) pairs, in step order and starting with the first step, break
    /// <see cref="Rule"/>: the first non-finite one, else the last when it is above the first; null when they do not.
    /// </summary>
    public static RegressionDivergence? Find(IReadOnlyList<(int Step, double Loss)> recorded) =>
        TrainingDivergence.FirstBreak(recorded.Select(r => r.Loss).ToList()) is int i ? new(recorded[i].Step, recorded[i].Loss, recorded[0].Loss) : null;

    /// <summary>"diverged at step 150: training MSE 3.1e+05 is above step 1's 0.4213".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return double.IsFinite(Loss)
            ? $"diverged at step {Step}: training MSE {Loss.ToString("G4", c)} is above step 1's {FirstLoss.ToString("0.0000", c)}"
            : $"diverged at step {Step}: training MSE {Loss.ToString(c)}";
    }
}
